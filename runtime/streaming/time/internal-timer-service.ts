/**
 * The timers of a keyed operator (Flink's InternalTimerService): event-time and processing-time
 * timers, each for the current key and a namespace (VoidNamespace for process functions, the
 * window for window operators). At most one timer per key, namespace and timestamp.
 */
export interface InternalTimerService<N> {
  currentProcessingTime(): number;
  /** The last watermark this operator received; NO_WATERMARK before the first. */
  currentWatermark(): number;
  registerProcessingTimeTimer(namespace: N, time: number): void;
  deleteProcessingTimeTimer(namespace: N, time: number): void;
  registerEventTimeTimer(namespace: N, time: number): void;
  deleteEventTimeTimer(namespace: N, time: number): void;
}

/** A timer as it fires (Flink's InternalTimer): its key is the backend's current key meanwhile. */
export interface InternalTimer<K, N> {
  readonly timestamp: number;
  readonly key: K;
  readonly namespace: N;
}

/** What a timer service calls when a timer fires (Flink's Triggerable). */
export interface Triggerable<K, N> {
  onEventTime(timer: InternalTimer<K, N>): void;
  onProcessingTime(timer: InternalTimer<K, N>): void;
}

/**
 * The watermark before any arrived (Flink's Long.MIN_VALUE). It equals NO_TIMESTAMP, which is how
 * Flink reads it too: "no event time yet".
 */
export { NO_TIMESTAMP as NO_WATERMARK } from '../stream-element.ts';
