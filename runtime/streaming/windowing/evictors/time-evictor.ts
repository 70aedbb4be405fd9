import { NO_TIMESTAMP } from '../../stream-element.ts';
import { toMillis } from '../../../api/duration.ts';
import type { TimeSpan } from '../time.ts';
import type { Window } from '../window.ts';
import type { Evictor, EvictorContext, TimestampedValue } from './evictor.ts';

/**
 * Keeps the elements of the last `windowSize` ms, measured back from the newest element's
 * timestamp (Flink's TimeEvictor): those with timestamp <= max - windowSize go. Elements without
 * timestamps are kept.
 */
export class TimeEvictor<T = unknown> implements Evictor<T, Window> {
  readonly windowSize: number;
  readonly doEvictAfter: boolean;

  private constructor(windowSize: number, doEvictAfter: boolean) {
    this.windowSize = windowSize;
    this.doEvictAfter = doEvictAfter;
  }

  static of<T = unknown>(windowSize: TimeSpan, doEvictAfter = false): TimeEvictor<T> {
    const ms = toMillis(windowSize);
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`TimeEvictor.of(${String(ms)}): the window size must be a non-negative number of milliseconds`);
    return new TimeEvictor<T>(ms, doEvictAfter);
  }

  evictBefore(elements: TimestampedValue<T>[], _size?: number, _window?: Window, _ctx?: EvictorContext): void {
    if (!this.doEvictAfter) this.evict(elements);
  }

  evictAfter(elements: TimestampedValue<T>[], _size?: number, _window?: Window, _ctx?: EvictorContext): void {
    if (this.doEvictAfter) this.evict(elements);
  }

  toString(): string {
    return `TimeEvictor(${this.windowSize})`;
  }

  private evict(elements: TimestampedValue<T>[]): void {
    if (elements.length === 0 || elements[0]!.timestamp === NO_TIMESTAMP) return;
    let max = NO_TIMESTAMP;
    for (const e of elements) if (e.timestamp > max) max = e.timestamp;
    const cutoff = max - this.windowSize;
    let kept = 0;
    for (const e of elements) if (e.timestamp > cutoff) elements[kept++] = e;
    elements.length = kept;
  }
}
