import type { RmContext, RmChange } from '../rm-context.ts';
import { RmContainer } from '../container/rm-container.ts';
import type { RmApp } from '../app/rm-app.ts';
import type { RmAppAttempt } from '../app/attempt/rm-app-attempt.ts';
import type { SchedulerApp, SchedulerState } from '../scheduler/scheduler.ts';

interface Snapshot {
  readonly state: SchedulerState;
  readonly attempts: Map<string, RmAppAttempt>;
}

/**
 * The impure half of scheduling: builds a snapshot for the pure scheduler, then applies its
 * decision (new RMContainers, lowered asks, waiting diagnostics). Runs when an AM calls allocate,
 * and coalesced after anything else that frees or adds capacity (YARN's async scheduling).
 *
 * Touches only what changed: a pass runs only when something it decides on changed since the
 * last one (new asks, freed or added capacity, a new attempt), since the pass places everything
 * that fits and the same inputs would give the same (empty) answer; the snapshot is rebuilt only
 * after an entity changed; and it reads only the applications that are not finished.
 */
export class SchedulingService {
  private readonly ctx: RmContext;
  private pending = false;
  /** Something the scheduler decides on changed since the last pass. */
  private dirty = true;
  private cached: Snapshot | undefined;
  /** Applications not in a final state, in the order they first changed (submission order). */
  private readonly live = new Map<string, RmApp>();

  constructor(ctx: RmContext) {
    this.ctx = ctx;
    ctx.changes.on('change', (c) => this.onChange(c));
  }

  /** Coalesces many requests from one cascade into one pass, after the current call stack. */
  request(): void {
    this.changed();
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.run();
    });
  }

  /** The scheduler's inputs changed (asks, blacklist, capacity): the next pass must decide again. */
  changed(): void {
    this.dirty = true;
    this.cached = undefined;
  }

  private onChange(c: RmChange): void {
    // Acquiring or launching a container changes nothing the scheduler reads.
    if (c.kind === 'container' && (c.state === 'ACQUIRED' || c.state === 'RUNNING')) return;
    this.cached = undefined;
    if (c.kind !== 'app') return;
    const app = this.ctx.apps.get(c.id) ?? this.live.get(c.id);
    if (!app || app.isFinal) this.live.delete(c.id);
    else this.live.set(c.id, app);
  }

  snapshot(): Snapshot {
    if (this.cached) return this.cached;
    const nodes = [];
    for (const n of this.ctx.nodes.values()) {
      if (n.schedulable) nodes.push({ nodeId: n.nodeId, host: n.host, rack: n.rack, total: n.total, available: n.available });
    }
    const apps: SchedulerApp[] = [];
    const attempts = new Map<string, RmAppAttempt>();
    for (const app of this.live.values()) {
      const attempt = app.currentAttempt;
      if (app.isFinal || !attempt || attempt.isFinal) continue;
      attempts.set(attempt.attemptId, attempt);
      apps.push({
        appId: app.appId,
        attemptId: attempt.attemptId,
        queue: app.queue,
        user: app.user,
        priority: app.context.priority,
        submitTime: app.submitTime,
        ...(attempt.wantsAmContainer ? { amRequest: app.amResource } : {}),
        asks: attempt.state === 'RUNNING' ? attempt.schedulerAsks() : [],
        used: attempt.used,
        numContainers: attempt.liveContainers,
        amUsed: attempt.amUsed,
        blacklist: attempt.blacklist,
      });
    }
    this.cached = { state: { nodes, apps }, attempts };
    return this.cached;
  }

  /** One scheduling pass, if anything changed since the last; returns the snapshot it decided on (for headroom). */
  run(): SchedulerState {
    const { state, attempts } = this.snapshot();
    if (!this.dirty) return state;
    this.dirty = false;
    if (state.apps.length === 0) return state;
    const decision = this.ctx.scheduler.schedule(state);
    for (const a of decision.allocations) {
      const attempt = attempts.get(a.attemptId);
      const node = this.ctx.nodes.get(a.nodeId);
      if (!attempt || !node || attempt.isFinal) continue;
      const container = new RmContainer(this.ctx, {
        id: attempt.newContainerId(),
        attempt,
        nodeId: node.nodeId,
        nodeHttpAddress: node.httpAddress,
        resource: a.capability,
        priority: a.priority,
        allocationRequestId: a.allocationRequestId,
        isAm: a.isAm,
        resourceName: a.resourceName,
      });
      this.ctx.events.dispatch(() => container.handle({ type: 'START' }));
      if (a.isAm) this.ctx.events.dispatch(() => attempt.handle({ type: 'CONTAINER_ALLOCATED', container }));
      else attempt.allocationMade({ ...a });
    }
    if (decision.allocations.length > 0) this.cached = undefined;
    for (const app of state.apps) {
      const rmApp = this.ctx.apps.get(app.appId);
      if (rmApp) rmApp.waitingDiagnostics = decision.waiting.get(app.appId) ?? '';
    }
    return state;
  }
}
