import type { Resource } from '../protocol/records.ts';
import type { RmChange } from '../rm-changes.ts';
import type { RmContext } from '../rm-context.ts';
import { isFinalContainerState } from '../container/rm-container.ts';

interface Held {
  readonly queue: string;
  readonly memory: number;
  readonly vCores: number;
}

/**
 * What SLS's SchedulerMetrics gauges read (root queue allocated, per-queue allocated, running
 * applications and containers), kept up to date from the RM's change feed so that a sample costs
 * nothing per node or application.
 */
export class ClusterTracker {
  readonly allocated: { memory: number; vCores: number } = { memory: 0, vCores: 0 };
  readonly byQueue = new Map<string, { memory: number; vCores: number }>();
  readonly runningApps = new Set<string>();
  private readonly held = new Map<string, Held>();
  private readonly ctx: RmContext;

  constructor(ctx: RmContext, queues: readonly string[]) {
    this.ctx = ctx;
    for (const q of queues) this.queue(q);
    ctx.changes.subscribe((c) => this.onChange(c));
  }

  get runningContainers(): number {
    return this.held.size;
  }

  queue(name: string): { memory: number; vCores: number } {
    let q = this.byQueue.get(name);
    if (!q) {
      q = { memory: 0, vCores: 0 };
      this.byQueue.set(name, q);
    }
    return q;
  }

  private onChange(c: RmChange): void {
    if (c.kind === 'app') {
      if (c.state === 'RUNNING') this.runningApps.add(c.id);
      else this.runningApps.delete(c.id);
      return;
    }
    if (c.kind !== 'container') return;
    if (c.state === 'ALLOCATED') {
      const container = this.ctx.containers.get(c.id);
      if (!container) return;
      const h: Held = { queue: container.attempt.app.queue, memory: container.resource.memory, vCores: container.resource.vCores };
      this.held.set(c.id, h);
      this.charge(h, 1);
    } else if (isFinalContainerState(c.state)) {
      const h = this.held.get(c.id);
      if (!h) return;
      this.held.delete(c.id);
      this.charge(h, -1);
    }
  }

  private charge(h: Held, sign: 1 | -1): void {
    this.allocated.memory += sign * h.memory;
    this.allocated.vCores += sign * h.vCores;
    const q = this.queue(h.queue);
    q.memory += sign * h.memory;
    q.vCores += sign * h.vCores;
  }

  available(total: Resource): Resource {
    return { memory: total.memory - this.allocated.memory, vCores: total.vCores - this.allocated.vCores };
  }
}
