import type { Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import type { ContainerExecutor } from './container-executor.ts';

export interface ProcessGroupKillerDeps {
  readonly executor: ContainerExecutor;
  readonly clock: Clock;
  /** yarn.nodemanager.sleep-delay-before-sigkill.ms */
  readonly sigkillDelayMs: number;
  readonly logger: Logger;
}

/**
 * Stops a container's process group the way YARN's ContainerLaunch.cleanupContainer does: SIGTERM
 * to the group so it can shut down cleanly, then SIGKILL to whatever is left after the delay.
 */
export class ProcessGroupKiller {
  private readonly deps: ProcessGroupKillerDeps;

  constructor(deps: ProcessGroupKillerDeps) {
    this.deps = deps;
  }

  /** Resolves once the SIGKILL step has run (or was not needed). */
  kill(pid: number): Promise<void> {
    const { executor, clock, sigkillDelayMs, logger } = this.deps;
    if (!executor.isAlive(pid)) return Promise.resolve();
    executor.signal(pid, 'SIGTERM');
    return new Promise((resolve) => {
      clock.schedule(sigkillDelayMs, () => {
        if (executor.isAlive(pid)) {
          logger.info({ pid }, 'process group still alive after SIGTERM; sending SIGKILL');
          executor.signal(pid, 'SIGKILL');
        }
        resolve();
      });
    });
  }
}
