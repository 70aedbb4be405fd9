import type { ContainerExecutor, KillSignal, LaunchSpec, LaunchedProcess, ProcessExit } from '../../../nodemanager/launcher/container-executor.ts';

/** A ContainerExecutor that starts nothing: records launches and signals, and lets tests end processes. */
export class FakeExecutor implements ContainerExecutor {
  readonly launches: LaunchSpec[] = [];
  readonly signals: { pid: number; signal: KillSignal }[] = [];
  /** Groups that are "running"; a test decides what a signal does to them. */
  readonly alive = new Set<number>();
  /** Pids that ignore SIGTERM (like a process that traps it). */
  readonly ignoresTerm = new Set<number>();
  private nextPid = 1000;
  private readonly exits = new Map<number, (exit: ProcessExit) => void>();

  launch(spec: LaunchSpec): LaunchedProcess {
    this.launches.push(spec);
    const pid = this.nextPid++;
    this.alive.add(pid);
    const exited = new Promise<ProcessExit>((resolve) => this.exits.set(pid, resolve));
    return { pid, exited };
  }

  signal(pid: number, signal: KillSignal): boolean {
    this.signals.push({ pid, signal });
    if (!this.alive.has(pid)) return false;
    if (signal === 'SIGKILL' || !this.ignoresTerm.has(pid)) this.exit(pid, signal === 'SIGKILL' ? 137 : 143, signal);
    return true;
  }

  isAlive(pid: number): boolean {
    return this.alive.has(pid);
  }

  /** Ends a fake process as if it exited by itself. */
  exit(pid: number, exitCode: number, signal: string | null = null): void {
    this.alive.delete(pid);
    this.exits.get(pid)?.({ exitCode, signal });
    this.exits.delete(pid);
  }
}
