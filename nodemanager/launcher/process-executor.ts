import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import { LinuxProcReader, liveGroupMembers, type ProcReader } from '../monitor/proc-reader.ts';
import type { ContainerExecutor, KillSignal, LaunchSpec, LaunchedProcess, ProcessExit } from './container-executor.ts';

/** 128 + n, as a shell reports a process ended by signal n (143 for SIGTERM, 137 for SIGKILL). */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? (constants.signals as Record<string, number | undefined>)[signal] : undefined;
  return n !== undefined ? 128 + n : -1;
}

/**
 * Forks each container as its own process group (YARN's DefaultContainerExecutor uses setsid), so
 * one signal to `-pid` reaches the shell and everything it started.
 */
export class ProcessExecutor implements ContainerExecutor {
  private readonly proc: ProcReader;

  constructor(proc: ProcReader = new LinuxProcReader()) {
    this.proc = proc;
  }

  launch(spec: LaunchSpec): LaunchedProcess {
    // Files rather than pipes: the output outlives the NM and needs no pumping through it.
    const out = openSync(spec.stdoutPath, 'a', 0o640);
    const err = openSync(spec.stderrPath, 'a', 0o640);
    try {
      const child = spawn('/bin/sh', ['-c', spec.script], {
        cwd: spec.cwd,
        env: spec.env,
        detached: true,
        stdio: ['ignore', out, err],
      });
      const exited = new Promise<ProcessExit>((resolve) => {
        child.once('error', (e) => {
          if (child.pid === undefined) resolve({ exitCode: -1, signal: null, launchError: e.message });
        });
        child.once('exit', (code, signal) => {
          child.removeAllListeners();
          resolve({ exitCode: exitCodeOf(code, signal), signal });
        });
      });
      if (child.pid === undefined) {
        return { pid: -1, exited };
      }
      return { pid: child.pid, exited };
    } finally {
      closeSync(out);
      closeSync(err);
    }
  }

  signal(pid: number, signal: KillSignal): boolean {
    if (pid <= 0) return false;
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  isAlive(pid: number): boolean {
    if (pid <= 0) return false;
    try {
      process.kill(-pid, 0);
    } catch (err) {
      // EPERM means it exists but is not ours to signal; it is still alive.
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
    // The group exists, but orphans re-parented to an init that never reaps them (as in some
    // sandboxes) linger as zombies: those are dead for our purposes.
    return liveGroupMembers(this.proc, pid).length > 0;
  }
}
