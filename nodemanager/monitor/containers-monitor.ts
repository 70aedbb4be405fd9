import { every, type Cancel, type Clock } from '../../rm/common/clock.ts';
import type { Service } from '../../rm/common/lifecycle.ts';
import type { Logger } from '../../rm/common/logger.ts';
import type { NmConfig } from '../config.ts';
import type { Container } from '../containers/container.ts';
import { checkMemory } from './memory-check.ts';
import { formatProcessTreeDump, snapshotProcessTree } from './process-tree.ts';
import type { ProcReader } from './proc-reader.ts';

export interface ContainersMonitorDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: NmConfig;
  readonly proc: ProcReader;
  readonly containers: () => Iterable<Container>;
  readonly kill: (containerId: string, exitStatus: number, diagnostics: string) => void;
}

const MB = 1024 * 1024;

/**
 * Samples each running container's process-tree memory every monitor interval and kills the ones
 * over their allocation (YARN's ContainersMonitorImpl; /proc polling, since cgroup v2 memory
 * limits are not available on the machines weft targets, see reference/platform.md).
 */
export class ContainersMonitor implements Service {
  readonly name = 'ContainersMonitor';
  private readonly deps: ContainersMonitorDeps;
  private readonly logger: Logger;
  private cancel: Cancel | undefined;
  /** Last sampled RSS per container, for the NM REST and debugging. */
  readonly lastRssBytes = new Map<string, number>();

  constructor(deps: ContainersMonitorDeps) {
    this.deps = deps;
    this.logger = deps.logger.child({ component: 'nm.containers-monitor' });
  }

  get enabled(): boolean {
    const { conf } = this.deps.config;
    return conf['yarn.nodemanager.pmem-check-enabled'] || conf['yarn.nodemanager.vmem-check-enabled'];
  }

  start(): void {
    if (!this.enabled) {
      this.logger.info('physical and virtual memory checks are disabled');
      return;
    }
    this.cancel = every(this.deps.clock, this.deps.config.conf['yarn.nodemanager.container-monitor.interval-ms'], () => this.checkAll());
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  /** One sampling round; public so tests can drive it without a timer. */
  checkAll(): void {
    const { conf } = this.deps.config;
    const seen = new Set<string>();
    for (const c of this.deps.containers()) {
      if (c.state !== 'RUNNING' || c.pid === undefined) continue;
      seen.add(c.id);
      const tree = snapshotProcessTree(this.deps.proc, c.pid);
      this.lastRssBytes.set(c.id, tree.rssBytes);
      const pmemLimitBytes = c.resource.memory * MB;
      const verdict = checkMemory(
        { pid: c.pid, containerId: c.id, rssBytes: tree.rssBytes, vmemBytes: tree.vmemBytes },
        {
          pmemLimitBytes,
          vmemLimitBytes: Math.round(pmemLimitBytes * conf['yarn.nodemanager.vmem-pmem-ratio']),
          pmemCheck: conf['yarn.nodemanager.pmem-check-enabled'],
          vmemCheck: conf['yarn.nodemanager.vmem-check-enabled'],
        },
      );
      if (verdict.kill) {
        const diagnostics = `${verdict.diagnostics}\n${formatProcessTreeDump(c.id, tree)}`;
        c.logger.warn({ rssBytes: tree.rssBytes, limitBytes: pmemLimitBytes, exitStatus: verdict.exitStatus }, 'container over its memory limit');
        this.deps.kill(c.id, verdict.exitStatus, diagnostics);
      }
    }
    for (const id of this.lastRssBytes.keys()) if (!seen.has(id)) this.lastRssBytes.delete(id);
  }
}
