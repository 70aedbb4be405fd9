import type { Cancel, Clock } from '../../rm/common/clock.ts';

/**
 * One timer per idle TaskManager, due when its `resourcemanager.taskmanager-timeout` runs out, so
 * the ResourceManager re-runs its decision exactly then (and not on a polling tick).
 */
export class IdleReleaseTimers {
  private readonly clock: Clock;
  private readonly onDue: () => void;
  private readonly timers = new Map<string, { at: number; cancel: Cancel }>();

  constructor(clock: Clock, onDue: () => void) {
    this.clock = clock;
    this.onDue = onDue;
  }

  /** Makes the timers match `dueAt` (resourceId -> when its idle timeout ends). */
  update(dueAt: ReadonlyMap<string, number>): void {
    for (const [id, timer] of this.timers) {
      if (dueAt.get(id) !== timer.at) {
        timer.cancel();
        this.timers.delete(id);
      }
    }
    for (const [id, at] of dueAt) {
      if (this.timers.has(id)) continue;
      const cancel = this.clock.schedule(Math.max(0, at - this.clock.now()), () => {
        this.timers.delete(id);
        this.onDue();
      });
      this.timers.set(id, { at, cancel });
    }
  }

  cancelAll(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
