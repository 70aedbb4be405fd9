import { describe, expect, it } from 'vitest';
import { NO_TIMESTAMP } from '../../../../../runtime/streaming/stream-element.ts';
import { CountEvictor } from '../../../../../runtime/streaming/windowing/evictors/count-evictor.ts';
import type { EvictorContext, TimestampedValue } from '../../../../../runtime/streaming/windowing/evictors/evictor.ts';
import { TimeEvictor } from '../../../../../runtime/streaming/windowing/evictors/time-evictor.ts';
import { GlobalWindow } from '../../../../../runtime/streaming/windowing/global-window.ts';

const ctx: EvictorContext = { getCurrentProcessingTime: () => 0, getCurrentWatermark: () => 0 };
const g = GlobalWindow.INSTANCE;
const elements = (...ts: number[]): TimestampedValue<number>[] => ts.map((t, i) => ({ value: i, timestamp: t }));

describe('CountEvictor', () => {
  it('keeps the newest maxCount elements, before the function by default', () => {
    const buf = elements(1, 2, 3, 4, 5);
    const e = CountEvictor.of<number>(2);
    e.evictAfter(buf, buf.length);
    expect(buf).toHaveLength(5);
    e.evictBefore(buf, buf.length);
    expect(buf.map((x) => x.value)).toEqual([3, 4]);
  });

  it('evicts after the function when doEvictAfter', () => {
    const buf = elements(1, 2, 3);
    const e = CountEvictor.of<number>(1, true);
    e.evictBefore(buf, buf.length);
    expect(buf).toHaveLength(3);
    e.evictAfter(buf, buf.length);
    expect(buf.map((x) => x.value)).toEqual([2]);
  });
});

describe('TimeEvictor', () => {
  it('keeps the elements newer than max timestamp - windowSize', () => {
    const buf = elements(1000, 5000, 2000, 4000, 3000);
    TimeEvictor.of<number>(2000).evictBefore(buf, buf.length, g, ctx);
    expect(buf.map((x) => x.timestamp)).toEqual([5000, 4000]);
  });

  it('keeps everything when elements have no timestamps; evicts after when asked', () => {
    const none = elements(NO_TIMESTAMP, NO_TIMESTAMP);
    TimeEvictor.of<number>(0).evictBefore(none, 2, g, ctx);
    expect(none).toHaveLength(2);
    const buf = elements(0, 10, 20);
    const after = TimeEvictor.of<number>(10, true);
    after.evictBefore(buf, 3, g, ctx);
    expect(buf).toHaveLength(3);
    after.evictAfter(buf, 3, g, ctx);
    expect(buf.map((x) => x.timestamp)).toEqual([20]);
  });
});
