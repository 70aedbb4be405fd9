import type { Resource } from '../protocol/records.ts';
import type { Scheduler, SchedulerState, SchedulingDecision } from '../scheduler/scheduler.ts';

/** SLS's timed scheduler operations; weft's scheduling pass is `pass`. */
export const OPERATIONS = ['allocate', 'NODE_ADDED', 'NODE_UPDATE', 'APP_ADDED', 'pass'] as const;
export type Operation = (typeof OPERATIONS)[number];

interface Window {
  count: number;
  totalMs: number;
}

/**
 * Wall-clock cost of the RM's operations, per record interval (SLS's SchedulerMetrics timers):
 * each sample reports the mean of the calls made since the previous one, in milliseconds.
 */
export class OperationTimes {
  private readonly windows = new Map<Operation, Window>();
  private readonly totals = new Map<Operation, Window>();
  /** Allocations made, and passes that made none, since the last sample. */
  allocations = 0;
  emptyPasses = 0;
  private passWithAllocationsMs = 0;
  private passesWithAllocations = 0;
  private emptyPassMs = 0;

  constructor() {
    for (const op of OPERATIONS) {
      this.windows.set(op, { count: 0, totalMs: 0 });
      this.totals.set(op, { count: 0, totalMs: 0 });
    }
  }

  add(op: Operation, ms: number): void {
    for (const w of [this.windows.get(op), this.totals.get(op)] as Window[]) {
      w.count++;
      w.totalMs += ms;
    }
  }

  pass(ms: number, allocations: number): void {
    this.add('pass', ms);
    if (allocations > 0) {
      this.allocations += allocations;
      this.passesWithAllocations++;
      this.passWithAllocationsMs += ms;
    } else {
      this.emptyPasses++;
      this.emptyPassMs += ms;
    }
  }

  /** Means since the last call, then starts a new window. */
  drain(): { means: Record<Operation, number>; counts: Record<Operation, number>; allocations: number; emptyPasses: number; commitSuccessMs: number; commitFailureMs: number } {
    const means = {} as Record<Operation, number>;
    const counts = {} as Record<Operation, number>;
    for (const [op, w] of this.windows) {
      means[op] = w.count === 0 ? 0 : w.totalMs / w.count;
      counts[op] = w.count;
      w.count = 0;
      w.totalMs = 0;
    }
    const out = {
      means,
      counts,
      allocations: this.allocations,
      emptyPasses: this.emptyPasses,
      commitSuccessMs: this.passesWithAllocations === 0 ? 0 : this.passWithAllocationsMs / this.passesWithAllocations,
      commitFailureMs: this.emptyPasses === 0 ? 0 : this.emptyPassMs / this.emptyPasses,
    };
    this.allocations = 0;
    this.emptyPasses = 0;
    this.passesWithAllocations = 0;
    this.passWithAllocationsMs = 0;
    this.emptyPassMs = 0;
    return out;
  }

  /** Over the whole run: calls and mean milliseconds per operation. */
  summary(): Record<Operation, { count: number; meanMs: number }> {
    const out = {} as Record<Operation, { count: number; meanMs: number }>;
    for (const [op, w] of this.totals) out[op] = { count: w.count, meanMs: w.count === 0 ? 0 : w.totalMs / w.count };
    return out;
  }
}

/**
 * SLS's SchedulerWrapper: the configured scheduler, unchanged, with every pass timed and its
 * decision shown to `observe` (which AM containers were placed, why the rest wait).
 */
export function timedScheduler(inner: Scheduler, times: OperationTimes, observe: (decision: SchedulingDecision) => void): Scheduler {
  return {
    type: inner.type,
    checkSubmit: (queue, user, running, appId) => inner.checkSubmit(queue, user, running, appId),
    canAdminister: (queue, user) => inner.canAdminister(queue, user),
    schedule: (state: SchedulerState) => {
      const t0 = performance.now();
      const decision = inner.schedule(state);
      times.pass(performance.now() - t0, decision.allocations.length);
      observe(decision);
      return decision;
    },
    headroom: (state, attemptId): Resource => inner.headroom(state, attemptId),
    schedulerInfo: (state) => inner.schedulerInfo(state),
    leafQueues: () => inner.leafQueues(),
  };
}
