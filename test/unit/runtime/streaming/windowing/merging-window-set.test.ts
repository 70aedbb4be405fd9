import { describe, expect, it } from 'vitest';
import type { ValueState } from '../../../../../runtime/streaming/keyed-value-state.ts';
import { EventTimeSessionWindows } from '../../../../../runtime/streaming/windowing/assigners/session-windows.ts';
import { MergingWindowSet, type WindowMapping } from '../../../../../runtime/streaming/windowing/merging-window-set.ts';
import { TimeWindow } from '../../../../../runtime/streaming/windowing/time-window.ts';

function memoryState<T>(): ValueState<T> & { current: T | undefined } {
  const s = {
    current: undefined as T | undefined,
    value: () => s.current,
    update: (v: T) => void (s.current = v),
    clear: () => void (s.current = undefined),
  };
  return s;
}

interface Merge {
  result: [number, number];
  merged: [number, number][];
  stateWindow: [number, number];
  mergedStateWindows: [number, number][];
}

const span = (w: TimeWindow): [number, number] => [w.start, w.end];

describe('MergingWindowSet', () => {
  const assigner = EventTimeSessionWindows.withGap(10);

  function setup(): { set: MergingWindowSet<TimeWindow>; merges: Merge[]; add: (s: number, e: number) => [number, number]; state: ReturnType<typeof memoryState<WindowMapping<TimeWindow>[]>> } {
    const state = memoryState<WindowMapping<TimeWindow>[]>();
    const set = new MergingWindowSet<TimeWindow>(assigner, state);
    const merges: Merge[] = [];
    const add = (s: number, e: number): [number, number] =>
      span(
        set.addWindow(new TimeWindow(s, e), (result, merged, stateWindow, mergedStateWindows) =>
          merges.push({ result: span(result), merged: merged.map(span), stateWindow: span(stateWindow), mergedStateWindows: mergedStateWindows.map(span) }),
        ),
      );
    return { set, merges, add, state };
  }

  it('keeps apart windows that do not touch', () => {
    const { set, merges, add } = setup();
    expect(add(0, 10)).toEqual([0, 10]);
    expect(add(20, 30)).toEqual([20, 30]);
    expect(merges).toEqual([]);
    expect(set.getStateWindow(new TimeWindow(20, 30))).toEqual(new TimeWindow(20, 30));
  });

  it('merges a new window into a live one; the old window keeps holding the state', () => {
    const { set, merges, add } = setup();
    add(0, 10);
    expect(add(5, 15)).toEqual([0, 15]);
    expect(merges).toEqual([{ result: [0, 15], merged: [[0, 10]], stateWindow: [0, 10], mergedStateWindows: [] }]);
    expect(set.getStateWindow(new TimeWindow(0, 15))).toEqual(new TimeWindow(0, 10));
    expect(set.getStateWindow(new TimeWindow(0, 10))).toBeUndefined();
  });

  it('bridges two sessions with one element: their states fold into one', () => {
    const { set, merges, add } = setup();
    add(0, 10);
    add(20, 30);
    expect(add(10, 20)).toEqual([0, 30]);
    expect(merges).toHaveLength(1);
    expect(merges[0]!.result).toEqual([0, 30]);
    expect(merges[0]!.merged).toEqual([
      [0, 10],
      [20, 30],
    ]);
    expect(merges[0]!.stateWindow).toEqual([0, 10]);
    expect(merges[0]!.mergedStateWindows).toEqual([[20, 30]]);
    expect(set.windows.map(span)).toEqual([[0, 30]]);
  });

  it('finds an element inside a live window without merging', () => {
    const { merges, add } = setup();
    add(0, 10);
    expect(add(0, 10)).toEqual([0, 10]);
    expect(add(2, 8)).toEqual([0, 10]);
    expect(merges).toEqual([]);
  });

  it('persists only when changed, and restores from the state; retired windows go', () => {
    const { set, add, state } = setup();
    add(0, 10);
    set.persist();
    expect(state.current?.map(([w, s]) => [span(w), span(s)])).toEqual([[[0, 10], [0, 10]]]);
    const again = new MergingWindowSet<TimeWindow>(assigner, state);
    expect(again.getStateWindow(new TimeWindow(0, 10))).toEqual(new TimeWindow(0, 10));
    again.retireWindow(new TimeWindow(0, 10));
    again.persist();
    expect(state.current).toBeUndefined();
    expect(() => again.retireWindow(new TimeWindow(0, 10))).toThrow(/not in in-flight window set/);
  });
});
