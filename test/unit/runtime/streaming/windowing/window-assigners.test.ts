import { describe, expect, it } from 'vitest';
import { GlobalWindows } from '../../../../../runtime/streaming/windowing/assigners/global-windows.ts';
import { EventTimeSessionWindows, ProcessingTimeSessionWindows } from '../../../../../runtime/streaming/windowing/assigners/session-windows.ts';
import { SlidingEventTimeWindows, SlidingProcessingTimeWindows } from '../../../../../runtime/streaming/windowing/assigners/sliding-windows.ts';
import { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from '../../../../../runtime/streaming/windowing/assigners/tumbling-windows.ts';
import { GlobalWindow } from '../../../../../runtime/streaming/windowing/global-window.ts';
import { TimeWindow } from '../../../../../runtime/streaming/windowing/time-window.ts';
import { Duration, Time } from '../../../../../runtime/streaming/windowing/time.ts';
import { NO_TIMESTAMP } from '../../../../../runtime/streaming/stream-element.ts';

const noContext = { getCurrentProcessingTime: (): number => 0 };
const spans = (ws: TimeWindow[]): [number, number][] => ws.map((w) => [w.start, w.end]);

describe('TimeWindow', () => {
  it('covers [start, end) with maxTimestamp end - 1', () => {
    const w = new TimeWindow(0, 5000);
    expect(w.maxTimestamp()).toBe(4999);
    expect(w.intersects(new TimeWindow(5000, 6000))).toBe(true);
    expect(w.intersects(new TimeWindow(5001, 6000))).toBe(false);
    expect(w.cover(new TimeWindow(3000, 8000))).toEqual(new TimeWindow(0, 8000));
  });

  it('computes window starts with offsets and negative timestamps as Flink does', () => {
    expect(TimeWindow.getWindowStartWithOffset(4999, 0, 5000)).toBe(0);
    expect(TimeWindow.getWindowStartWithOffset(5000, 0, 5000)).toBe(5000);
    expect(TimeWindow.getWindowStartWithOffset(-1, 0, 5000)).toBe(-5000);
    expect(TimeWindow.getWindowStartWithOffset(-5000, 0, 5000)).toBe(-5000);
    expect(TimeWindow.getWindowStartWithOffset(-5001, 0, 5000)).toBe(-10000);
    expect(TimeWindow.getWindowStartWithOffset(1000, 2000, 5000)).toBe(-3000);
    expect(TimeWindow.getWindowStartWithOffset(2000, 2000, 5000)).toBe(2000);
    expect(TimeWindow.getWindowStartWithOffset(1000, -2000, 5000)).toBe(-2000);
    expect(TimeWindow.getWindowStartWithOffset(3000, -2000, 5000)).toBe(3000);
  });

  it('merges intersecting windows into covers, sorted by start', () => {
    const merges: [number, number][][] = [];
    TimeWindow.mergeWindows([new TimeWindow(10, 20), new TimeWindow(0, 5), new TimeWindow(4, 8), new TimeWindow(30, 40), new TimeWindow(20, 25)], (toMerge, result) =>
      merges.push([...spans(toMerge), [result.start, result.end]]),
    );
    expect(merges).toEqual([
      [[0, 5], [4, 8], [0, 8]],
      [[10, 20], [20, 25], [10, 25]],
    ]);
  });
});

describe('tumbling windows', () => {
  it('assigns one window [start, start + size)', () => {
    const a = TumblingEventTimeWindows.of(5000);
    expect(spans(a.assignWindows('x', 0, noContext))).toEqual([[0, 5000]]);
    expect(spans(a.assignWindows('x', 4999, noContext))).toEqual([[0, 5000]]);
    expect(spans(a.assignWindows('x', 5000, noContext))).toEqual([[5000, 10000]]);
    expect(spans(a.assignWindows('x', -1, noContext))).toEqual([[-5000, 0]]);
    expect(spans(TumblingEventTimeWindows.of(Time.seconds(5), Time.seconds(1)).assignWindows('x', 500, noContext))).toEqual([[-4000, 1000]]);
    expect(a.toString()).toBe('TumblingEventTimeWindows(5000)');
    expect(a.isEventTime()).toBe(true);
  });

  it('processing-time windows use the operator clock', () => {
    const a = TumblingProcessingTimeWindows.of(Duration.ofSeconds(1));
    expect(spans(a.assignWindows('x', 0, { getCurrentProcessingTime: () => 12_345 }))).toEqual([[12_000, 13_000]]);
    expect(a.isEventTime()).toBe(false);
  });

  it('refuses records without a timestamp with Flink message', () => {
    expect(() => TumblingEventTimeWindows.of(5000).assignWindows('x', NO_TIMESTAMP, noContext)).toThrow(/Record has Long.MIN_VALUE timestamp \(= no timestamp marker\)/);
  });

  it('refuses a size <= 0 and an offset outside (-size, size)', () => {
    expect(() => TumblingEventTimeWindows.of(0)).toThrow(/TumblingEventTimeWindows parameters must satisfy abs\(offset\) < size/);
    expect(() => TumblingEventTimeWindows.of(-5)).toThrow(/size -5 ms/);
    expect(() => TumblingEventTimeWindows.of(1000, 1000)).toThrow(/offset 1000 ms/);
    expect(() => TumblingProcessingTimeWindows.of(1000, -1000)).toThrow(/TumblingProcessingTimeWindows/);
    expect(() => TumblingEventTimeWindows.of(Number.NaN)).toThrow(/whole number of milliseconds/);
  });
});

describe('sliding windows', () => {
  it('assigns size / slide overlapping windows, latest first', () => {
    const a = SlidingEventTimeWindows.of(10_000, 5000);
    expect(spans(a.assignWindows('x', 7000, noContext))).toEqual([
      [5000, 15_000],
      [0, 10_000],
    ]);
    expect(spans(a.assignWindows('x', 5000, noContext))).toEqual([
      [5000, 15_000],
      [0, 10_000],
    ]);
    expect(spans(a.assignWindows('x', 4999, noContext))).toEqual([
      [0, 10_000],
      [-5000, 5000],
    ]);
    expect(spans(SlidingEventTimeWindows.of(3000, 1000).assignWindows('x', -1, noContext))).toEqual([
      [-1000, 2000],
      [-2000, 1000],
      [-3000, 0],
    ]);
    expect(spans(SlidingEventTimeWindows.of(10_000, 5000, 1000).assignWindows('x', 500, noContext))).toEqual([
      [-4000, 6000],
      [-9000, 1000],
    ]);
    expect(a.toString()).toBe('SlidingEventTimeWindows(10000, 5000)');
  });

  it('gives windows that do not cover every timestamp when slide > size', () => {
    const a = SlidingEventTimeWindows.of(1000, 5000);
    expect(spans(a.assignWindows('x', 500, noContext))).toEqual([[0, 1000]]);
    expect(spans(a.assignWindows('x', 1500, noContext))).toEqual([]);
  });

  it('refuses slide <= 0, size <= 0 and |offset| >= slide', () => {
    expect(() => SlidingEventTimeWindows.of(1000, 0)).toThrow(/SlidingEventTimeWindows parameters must satisfy abs\(offset\) < slide and size > 0 and slide > 0/);
    expect(() => SlidingEventTimeWindows.of(0, 1000)).toThrow(/size 0 ms/);
    expect(() => SlidingProcessingTimeWindows.of(1000, 500, 500)).toThrow(/offset 500 ms/);
  });
});

describe('session windows', () => {
  it('opens [t, t + gap) per element; dynamic gaps per element', () => {
    expect(spans(EventTimeSessionWindows.withGap(3000).assignWindows('x', 1000, noContext))).toEqual([[1000, 4000]]);
    const dynamic = EventTimeSessionWindows.withDynamicGap<{ gap: number }>((e) => e.gap);
    expect(spans(dynamic.assignWindows({ gap: 10 }, 5, noContext))).toEqual([[5, 15]]);
    expect(() => dynamic.assignWindows({ gap: 0 }, 5, noContext)).toThrow(/Dynamic session time gap must satisfy 0 < gap/);
    expect(spans(ProcessingTimeSessionWindows.withGap(Time.seconds(1)).assignWindows('x', 0, { getCurrentProcessingTime: () => 77 }))).toEqual([[77, 1077]]);
  });

  it('refuses a gap <= 0', () => {
    expect(() => EventTimeSessionWindows.withGap(0)).toThrow(/EventTimeSessionWindows parameters must satisfy 0 < size/);
    expect(() => ProcessingTimeSessionWindows.withGap(-1)).toThrow(/ProcessingTimeSessionWindows/);
  });
});

describe('GlobalWindows', () => {
  it('puts everything into the one GlobalWindow with a trigger that never fires', () => {
    const a = GlobalWindows.create();
    expect(a.assignWindows()).toEqual([GlobalWindow.INSTANCE]);
    expect(a.getDefaultTrigger().toString()).toBe('NeverTrigger()');
  });
});
