import type { Scheduler } from '../scheduler/scheduler.ts';

/** Calls and total wall time of the scheduler's passes (a Hadoop MutableRate's NumOps and sum). */
export interface PassTimes {
  readonly numOps: number;
  readonly totalMs: number;
}

/**
 * Wraps a scheduler so each `schedule()` pass is timed, as CapacitySchedulerMetrics' `allocate`
 * rate times the CapacityScheduler's allocation. Wall time on purpose: this is the cost of the
 * decision on this machine, not a point on the RM's (injectable) clock.
 */
export class SchedulerPassTimer {
  private ops = 0;
  private total = 0;

  wrap(scheduler: Scheduler): Scheduler {
    const schedule: Scheduler['schedule'] = (state) => {
      const start = performance.now();
      try {
        return scheduler.schedule(state);
      } finally {
        this.ops++;
        this.total += performance.now() - start;
      }
    };
    return new Proxy(scheduler, {
      get: (target, prop, receiver) => (prop === 'schedule' ? schedule : (Reflect.get(target, prop, receiver) as unknown)),
    });
  }

  get times(): PassTimes {
    return { numOps: this.ops, totalMs: this.total };
  }
}
