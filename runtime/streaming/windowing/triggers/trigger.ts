import type { ValueState } from '../../keyed-value-state.ts';
import type { ValueStateDescriptor } from '../../../state/state-descriptor.ts';
import type { Window } from '../window.ts';
import { TriggerResult } from './trigger-result.ts';

/**
 * What a trigger may do for the window it is called for (Flink's Trigger.TriggerContext): read
 * time, set and delete timers, and keep state scoped to the current key and window.
 */
export interface TriggerContext {
  getCurrentProcessingTime(): number;
  getCurrentWatermark(): number;
  registerProcessingTimeTimer(time: number): void;
  registerEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  /** State of the current key in the current window. */
  getPartitionedState<S>(descriptor: ValueStateDescriptor<S>): ValueState<S>;
}

/** During a merge of windows (Flink's Trigger.OnMergeContext). */
export interface OnMergeContext extends TriggerContext {
  /**
   * Folds the named state of the merged windows into the state of the result window with `merge`
   * (Flink's ReducingStateDescriptor carries the reduce function; here it is passed along).
   */
  mergePartitionedState<S>(descriptor: ValueStateDescriptor<S>, merge: (a: S, b: S) => S): void;
}

/**
 * Decides when a window fires and when it is purged (Flink's Trigger). Called per element, per
 * timer it registered, on merges (if canMerge) and when the window is cleaned up.
 */
export abstract class Trigger<T, W extends Window> {
  abstract onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult;

  /** A processing-time timer this trigger registered fired; by default nothing happens. */
  onProcessingTime(_time: number, _window: W, _ctx: TriggerContext): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  /** An event-time timer this trigger registered fired; by default nothing happens. */
  onEventTime(_time: number, _window: W, _ctx: TriggerContext): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  /** Whether the trigger supports merging windows (sessions). */
  canMerge(): boolean {
    return false;
  }

  onMerge(_window: W, _ctx: OnMergeContext): void {
    throw new Error(`${this.toString()} does not support merging windows`);
  }

  /** The window is removed: delete its timers and state. */
  abstract clear(window: W, ctx: TriggerContext): void;

  abstract toString(): string;
}
