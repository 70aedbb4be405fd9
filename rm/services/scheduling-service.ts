import type { RmContext } from '../rm-context.ts';
import { RmContainer } from '../container/rm-container.ts';
import type { RmAppAttempt } from '../app/attempt/rm-app-attempt.ts';
import type { SchedulerApp, SchedulerState } from '../scheduler/scheduler.ts';

/**
 * The impure half of scheduling: builds a snapshot for the pure scheduler, then applies its
 * decision (new RMContainers, lowered asks, waiting diagnostics). Runs when an AM calls allocate,
 * and coalesced after anything else that frees or adds capacity (YARN's async scheduling).
 */
export class SchedulingService {
  private readonly ctx: RmContext;
  private pending = false;

  constructor(ctx: RmContext) {
    this.ctx = ctx;
  }

  /** Coalesces many requests from one cascade into one pass, after the current call stack. */
  request(): void {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.run();
    });
  }

  snapshot(): { state: SchedulerState; attempts: Map<string, RmAppAttempt> } {
    const nodes = [];
    for (const n of this.ctx.nodes.values()) {
      if (n.schedulable) nodes.push({ nodeId: n.nodeId, host: n.host, rack: n.rack, total: n.total, available: n.available });
    }
    const apps: SchedulerApp[] = [];
    const attempts = new Map<string, RmAppAttempt>();
    for (const app of this.ctx.apps.values()) {
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
    return { state: { nodes, apps }, attempts };
  }

  /** One scheduling pass; returns the snapshot it decided on (for headroom). */
  run(): SchedulerState {
    const { state, attempts } = this.snapshot();
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
    for (const app of state.apps) {
      const rmApp = this.ctx.apps.get(app.appId);
      if (rmApp) rmApp.waitingDiagnostics = decision.waiting.get(app.appId) ?? '';
    }
    return state;
  }
}
