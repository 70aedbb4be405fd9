/**
 * How the NM starts and signals container processes (YARN's ContainerExecutor). The real one forks
 * process groups; unit tests plug in a fake that records calls.
 */
export interface LaunchSpec {
  readonly containerId: string;
  /** One shell command line, run by `/bin/sh -c`. */
  readonly script: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdoutPath: string;
  readonly stderrPath: string;
}

export interface ProcessExit {
  /** The process's exit code, or 128 + signal number when a signal ended it (shell convention). */
  readonly exitCode: number;
  readonly signal: string | null;
  /** Set when the process could not be started at all. */
  readonly launchError?: string;
}

export interface LaunchedProcess {
  readonly pid: number;
  /** Resolves when the group leader has exited (other members may linger; see isAlive). */
  readonly exited: Promise<ProcessExit>;
}

export type KillSignal = 'SIGTERM' | 'SIGKILL';

export interface ContainerExecutor {
  /** Throws when nothing could be started (then no pid exists and nothing needs killing). */
  launch(spec: LaunchSpec): LaunchedProcess;
  /** Signals the whole process group led by `pid`; false when the group is already gone. */
  signal(pid: number, signal: KillSignal): boolean;
  /** True while any process of the group led by `pid` is alive. */
  isAlive(pid: number): boolean;
}
