import { ValueStateDescriptor } from '../../../state/state-descriptor.ts';
import { toMillis } from '../../../api/duration.ts';
import type { TimeSpan } from '../time.ts';
import type { Window } from '../window.ts';
import { Trigger, type OnMergeContext, type TriggerContext } from './trigger.ts';
import { TriggerResult } from './trigger-result.ts';

const min = (a: number, b: number): number => Math.min(a, b);

/**
 * Fires every `interval` of event time while the window is open, and at its end (Flink's
 * ContinuousEventTimeTrigger): the next fire time, aligned to the interval, is kept in the
 * trigger's state "fire-time".
 */
export class ContinuousEventTimeTrigger<T = unknown> extends Trigger<T, Window> {
  readonly interval: number;
  private readonly stateDesc = new ValueStateDescriptor<number>('fire-time');

  private constructor(interval: number) {
    super();
    this.interval = interval;
  }

  static of<T = unknown>(interval: TimeSpan): ContinuousEventTimeTrigger<T> {
    const ms = toMillis(interval);
    if (!Number.isInteger(ms) || ms <= 0) throw new Error(`ContinuousEventTimeTrigger.of(${String(ms)}): the interval must be a positive number of milliseconds`);
    return new ContinuousEventTimeTrigger<T>(ms);
  }

  onElement(_element: T, timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(window.maxTimestamp());
    const fireTime = ctx.getPartitionedState(this.stateDesc);
    if (fireTime.value() === undefined) this.registerNextFireTimestamp(timestamp - (timestamp % this.interval), window, ctx);
    return TriggerResult.CONTINUE;
  }

  override onEventTime(time: number, window: Window, ctx: TriggerContext): TriggerResult {
    if (time === window.maxTimestamp()) return TriggerResult.FIRE;
    const fireTime = ctx.getPartitionedState(this.stateDesc);
    if (fireTime.value() === time) {
      fireTime.clear();
      this.registerNextFireTimestamp(time, window, ctx);
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(window: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.stateDesc, min);
    const next = ctx.getPartitionedState(this.stateDesc).value();
    if (next !== undefined) ctx.registerEventTimeTimer(next);
    if (window.maxTimestamp() > ctx.getCurrentWatermark()) ctx.registerEventTimeTimer(window.maxTimestamp());
  }

  clear(_window: Window, ctx: TriggerContext): void {
    const fireTime = ctx.getPartitionedState(this.stateDesc);
    const time = fireTime.value();
    if (time !== undefined) {
      ctx.deleteEventTimeTimer(time);
      fireTime.clear();
    }
  }

  toString(): string {
    return `ContinuousEventTimeTrigger(${this.interval})`;
  }

  private registerNextFireTimestamp(time: number, window: Window, ctx: TriggerContext): void {
    const next = Math.min(time + this.interval, window.maxTimestamp());
    ctx.getPartitionedState(this.stateDesc).update(next);
    ctx.registerEventTimeTimer(next);
  }
}
