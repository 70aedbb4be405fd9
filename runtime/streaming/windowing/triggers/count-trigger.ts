import { ValueStateDescriptor } from '../../../state/state-descriptor.ts';
import type { Window } from '../window.ts';
import { Trigger, type OnMergeContext, type TriggerContext } from './trigger.ts';
import { TriggerResult } from './trigger-result.ts';

const sum = (a: number, b: number): number => a + b;

/**
 * Fires when a window holds `maxCount` elements, then counts again from zero (Flink's
 * CountTrigger); the count is per key and window, in the trigger's state "count".
 */
export class CountTrigger<T = unknown> extends Trigger<T, Window> {
  readonly maxCount: number;
  private readonly stateDesc = new ValueStateDescriptor<number>('count');

  private constructor(maxCount: number) {
    super();
    this.maxCount = maxCount;
  }

  static of<T = unknown>(maxCount: number): CountTrigger<T> {
    if (!Number.isInteger(maxCount) || maxCount <= 0) throw new Error(`CountTrigger.of(${String(maxCount)}): the count must be a positive integer`);
    return new CountTrigger<T>(maxCount);
  }

  onElement(_element: T, _timestamp: number, _window: Window, ctx: TriggerContext): TriggerResult {
    const count = ctx.getPartitionedState(this.stateDesc);
    const n = (count.value() ?? 0) + 1;
    if (n >= this.maxCount) {
      count.clear();
      return TriggerResult.FIRE;
    }
    count.update(n);
    return TriggerResult.CONTINUE;
  }


  override canMerge(): boolean {
    return true;
  }

  override onMerge(_window: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.stateDesc, sum);
  }

  clear(_window: Window, ctx: TriggerContext): void {
    ctx.getPartitionedState(this.stateDesc).clear();
  }

  toString(): string {
    return `CountTrigger(${this.maxCount})`;
  }
}
