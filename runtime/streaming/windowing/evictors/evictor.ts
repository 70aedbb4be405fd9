import type { Window } from '../window.ts';

/** An element in a window's buffer with its timestamp (Flink's TimestampedValue). */
export interface TimestampedValue<T> {
  readonly value: T;
  /** NO_TIMESTAMP when the element has none. */
  readonly timestamp: number;
}

export interface EvictorContext {
  getCurrentProcessingTime(): number;
  getCurrentWatermark(): number;
}

/**
 * Removes elements from a window's buffer before and/or after its function runs (Flink's
 * Evictor). `elements` is the buffer itself, oldest first: evicting splices it in place.
 */
export interface Evictor<T, W extends Window> {
  evictBefore(elements: TimestampedValue<T>[], size: number, window: W, ctx: EvictorContext): void;
  evictAfter(elements: TimestampedValue<T>[], size: number, window: W, ctx: EvictorContext): void;
  toString(): string;
}
