import { NO_TIMESTAMP } from '../../stream-element.ts';
import { EventTimeTrigger } from '../triggers/event-time-trigger.ts';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.ts';
import type { Trigger } from '../triggers/trigger.ts';
import type { Window } from '../window.ts';

/** What an assigner may ask of the operator (Flink's WindowAssigner.WindowAssignerContext). */
export interface WindowAssignerContext {
  getCurrentProcessingTime(): number;
}

/**
 * Assigns each element to zero or more windows (Flink's WindowAssigner). Event-time assigners use
 * the element's timestamp, processing-time ones the operator's clock.
 */
export abstract class WindowAssigner<T, W extends Window> {
  abstract assignWindows(element: T, timestamp: number, context: WindowAssignerContext): W[];
  /** The trigger a WindowedStream uses unless trigger() replaces it. */
  abstract getDefaultTrigger(): Trigger<T, W>;
  abstract isEventTime(): boolean;
  abstract toString(): string;
}

/** An assigner whose windows merge (sessions): Flink's MergingWindowAssigner. */
export abstract class MergingWindowAssigner<T, W extends Window> extends WindowAssigner<T, W> {
  /** Calls `callback(toMerge, mergeResult)` for each group of `windows` that becomes one window. */
  abstract mergeWindows(windows: readonly W[], callback: (toMerge: W[], mergeResult: W) => void): void;
}

export function isMergingWindowAssigner<T, W extends Window>(assigner: WindowAssigner<T, W>): assigner is MergingWindowAssigner<T, W> {
  return assigner instanceof MergingWindowAssigner;
}

/** Refuses a window parameter that is not a finite integer number of milliseconds. */
export function checkSpan(assigner: string, what: string, ms: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || !Number.isInteger(ms)) {
    throw new Error(`${assigner}: the ${what} must be a whole number of milliseconds (or a Time), got ${String(ms)}`);
  }
  return ms;
}

/**
 * The time an element is placed by: its timestamp for event-time assigners (which need one), the
 * operator's clock for processing-time ones. The event- and processing-time twins of each
 * assigner differ only in this and in their default trigger.
 */
export function assignmentTime(eventTime: boolean, timestamp: number, context: WindowAssignerContext): number {
  if (!eventTime) return context.getCurrentProcessingTime();
  if (timestamp === NO_TIMESTAMP) throw missingTimestamp();
  return timestamp;
}

export function defaultTimeTrigger<T>(eventTime: boolean): Trigger<T, Window> {
  return eventTime ? EventTimeTrigger.create<T>() : ProcessingTimeTrigger.create<T>();
}

/** Flink's message (from TumblingEventTimeWindows) for an event-time window over records without timestamps. */
export function missingTimestamp(): Error {
  return new Error(
    'Record has Long.MIN_VALUE timestamp (= no timestamp marker). ' +
      "Is the time characteristic set to 'ProcessingTime', or did you forget to call " +
      "'DataStream.assignTimestampsAndWatermarks(...)' (or to give the source a WatermarkStrategy)?",
  );
}
