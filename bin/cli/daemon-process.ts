import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { WEFT_HOME, weftPath } from '../../rm/common/weft-home.ts';

export { WEFT_HOME };
export const WEFT_RUN = weftPath('bin/weft-run');

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A weft daemon (RM or NM) running as a child process in its own process group. */
export interface Daemon {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The daemon's `{"ready":true,...}` line; rejects if it exits or times out first. */
  readonly ready: Promise<Record<string, unknown>>;
  readonly exited: Promise<ExitInfo>;
  hasExited(): boolean;
}

export interface SpawnDaemonOptions {
  /** Where the daemon's stdout and stderr go once it runs. */
  readonly logFile: string;
  readonly readyTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs `entry` (a TypeScript main, relative to the package root) through bin/weft-run with the
 * current Node binary. Its own process group, so a terminal's Ctrl-C reaches only `weft`, which
 * then stops the daemons in order.
 */
export function spawnDaemon(name: string, entry: string, args: readonly string[], options: SpawnDaemonOptions): Daemon {
  const child = spawn(WEFT_RUN, [resolve(WEFT_HOME, entry), ...args], {
    env: { ...process.env, WEFT_NODE: process.execPath, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`could not start the ${name}`);
  const log: WriteStream = createWriteStream(options.logFile, { flags: 'a' });
  let stderrTail = '';
  let exitedAlready = false;
  const exited = new Promise<ExitInfo>((res) => {
    child.on('exit', (code, signal) => {
      exitedAlready = true;
      res({ code, signal });
    });
  });
  child.stderr.on('data', (d: Buffer) => {
    log.write(d);
    stderrTail = (stderrTail + d.toString('utf8')).slice(-4000);
  });
  child.on('close', () => log.end());
  const ready = new Promise<Record<string, unknown>>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`the ${name} did not report ready within ${options.readyTimeoutMs ?? 60_000} ms (log: ${options.logFile})`)), options.readyTimeoutMs ?? 60_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.write(`${line}\n`);
      if (!line.startsWith('{')) return;
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.ready === true) {
          clearTimeout(timer);
          res(parsed);
        }
      } catch {
        // an ordinary log line
      }
    });
    void exited.then((e) => {
      clearTimeout(timer);
      const lastLine = stderrTail.trim().split('\n').slice(-5).join('\n');
      rej(new Error(`the ${name} exited before it was ready (${describeExit(e)})${lastLine ? `:\n${lastLine}` : ''}\n(full log: ${options.logFile})`));
    });
  });
  // A rejection nobody awaited (the daemon died after a stop was requested) is not a crash.
  ready.catch(() => {});
  return { name, pid: child.pid, child, ready, exited, hasExited: () => exitedAlready };
}

export const describeExit = (e: ExitInfo): string => (e.signal ? `signal ${e.signal}` : `exit code ${e.code}`);

/** SIGTERM to the daemon's group, then SIGKILL if it has not exited by the deadline. */
export async function stopDaemon(daemon: Daemon, graceMs = 10_000): Promise<ExitInfo> {
  if (!daemon.hasExited()) signalGroup(daemon.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([daemon.exited, new Promise<undefined>((res) => (timer = setTimeout(() => res(undefined), graceMs)))]);
  clearTimeout(timer);
  if (result) return result;
  signalGroup(daemon.pid, 'SIGKILL');
  return daemon.exited;
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}
