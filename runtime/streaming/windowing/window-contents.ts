import type { ReduceFunction } from '../functions.ts';
import type { AggregateFunction } from './window-functions.ts';

/**
 * How a window operator keeps a window's contents in one value per key and window (Flink's
 * window state: a ReducingState, AggregatingState or ListState): `add` folds an element in, `merge`
 * combines the contents of merged windows, `elements` is what the window function receives.
 */
export interface WindowContents<IN, ACC, V> {
  /** Flink's state names: what a checkpoint of the operator writes the contents under. */
  readonly stateName: string;
  add(contents: ACC | undefined, value: IN, timestamp: number): ACC;
  merge(a: ACC, b: ACC): ACC;
  elements(contents: ACC): Iterable<V>;
}

export function reducingContents<T>(reduce: ReduceFunction<T>): WindowContents<T, T, T> {
  return {
    stateName: 'window-contents',
    add: (contents, value) => (contents === undefined ? value : reduce(contents, value)),
    merge: reduce,
    elements: (contents) => [contents],
  };
}

export function aggregatingContents<IN, ACC, OUT>(fn: AggregateFunction<IN, ACC, OUT>): WindowContents<IN, ACC, OUT> {
  return {
    stateName: 'window-contents',
    add: (contents, value) => fn.add(value, contents === undefined ? fn.createAccumulator() : contents),
    merge: (a, b) => fn.merge(a, b),
    elements: (contents) => [fn.getResult(contents)],
  };
}

/** All elements, in arrival order (process() without incremental aggregation). */
export function listContents<T>(): WindowContents<T, T[], T> {
  return {
    stateName: 'window-contents',
    add: (contents, value) => {
      if (contents === undefined) return [value];
      contents.push(value);
      return contents;
    },
    merge: (a, b) => a.concat(b),
    elements: (contents) => contents,
  };
}
