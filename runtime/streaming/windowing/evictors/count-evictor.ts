import type { Window } from '../window.ts';
import type { Evictor, TimestampedValue } from './evictor.ts';

/** Keeps at most `maxCount` elements, dropping the oldest (Flink's CountEvictor). */
export class CountEvictor<T = unknown> implements Evictor<T, Window> {
  readonly maxCount: number;
  readonly doEvictAfter: boolean;

  private constructor(maxCount: number, doEvictAfter: boolean) {
    this.maxCount = maxCount;
    this.doEvictAfter = doEvictAfter;
  }

  /** Evicts before the window function runs, unless `doEvictAfter`. */
  static of<T = unknown>(maxCount: number, doEvictAfter = false): CountEvictor<T> {
    if (!Number.isInteger(maxCount) || maxCount < 0) throw new Error(`CountEvictor.of(${String(maxCount)}): the count must be a non-negative integer`);
    return new CountEvictor<T>(maxCount, doEvictAfter);
  }

  evictBefore(elements: TimestampedValue<T>[], size: number): void {
    if (!this.doEvictAfter) this.evict(elements, size);
  }

  evictAfter(elements: TimestampedValue<T>[], size: number): void {
    if (this.doEvictAfter) this.evict(elements, size);
  }

  toString(): string {
    return `CountEvictor(${this.maxCount})`;
  }

  private evict(elements: TimestampedValue<T>[], size: number): void {
    if (size > this.maxCount) elements.splice(0, size - this.maxCount);
  }
}
