import { copyUserFunction } from '../operators/abstract-udf-stream-operator.ts';
import type { ReduceFunction } from '../functions.ts';
import type { Collector } from '../output.ts';
import type { AggregateFunction, ProcessAllWindowFunction, ProcessWindowContext, ProcessWindowFunction } from './window-functions.ts';
import type { Window } from './window.ts';

/**
 * What the window operator calls when a window fires (Flink's InternalWindowFunction): the user's
 * function behind one shape, whether it takes a key, one incremental result or all elements.
 */
export interface InternalWindowFunction<V, OUT, K, W extends Window> {
  process(key: K, window: W, context: ProcessWindowContext<W>, elements: Iterable<V>, out: Collector<OUT>): void;
  /** The window is removed: the function clears its per-window state. */
  clear(window: W, context: ProcessWindowContext<W>): void;
  /** How the operator name shows the function. */
  readonly description: string;
  /** The user's window function object, when it is one (a rich one gets open/close and a runtime context). */
  readonly userFunction?: object;
  /** The same function over a copy of the user's object, for one parallel instance; absent when there is nothing to copy. */
  copy?(): InternalWindowFunction<V, OUT, K, W>;
}

/** This function for one operator instance: its own copy of the user's window function object. */
export function instanceOf<V, OUT, K, W extends Window>(fn: InternalWindowFunction<V, OUT, K, W>): InternalWindowFunction<V, OUT, K, W> {
  return fn.copy === undefined ? fn : fn.copy();
}

/** reduce() / aggregate() alone: the incremental result is the window's result. */
export function passThroughWindowFunction<V, K, W extends Window>(): InternalWindowFunction<V, V, K, W> {
  return {
    process: (_key, _window, _ctx, elements, out) => {
      for (const e of elements) out.collect(e);
    },
    clear: () => {},
    description: 'PassThroughWindowFunction',
  };
}

export function processWindowFunction<V, OUT, K, W extends Window>(fn: ProcessWindowFunction<V, OUT, K, W>): InternalWindowFunction<V, OUT, K, W> {
  if (typeof fn === 'function') return { process: (key, _w, ctx, elements, out) => fn(key, ctx, elements, out), clear: () => {}, description: 'ProcessWindowFunction' };
  return {
    process: (key, _w, ctx, elements, out) => fn.process(key, ctx, elements, out),
    clear: (_w, ctx) => fn.clear?.(ctx),
    description: 'ProcessWindowFunction',
    userFunction: fn,
    copy: () => processWindowFunction(copyUserFunction(fn)),
  };
}

export function processAllWindowFunction<V, OUT, W extends Window>(fn: ProcessAllWindowFunction<V, OUT, W>): InternalWindowFunction<V, OUT, unknown, W> {
  if (typeof fn === 'function') return { process: (_k, _w, ctx, elements, out) => fn(ctx, elements, out), clear: () => {}, description: 'ProcessAllWindowFunction' };
  return {
    process: (_k, _w, ctx, elements, out) => fn.process(ctx, elements, out),
    clear: (_w, ctx) => fn.clear?.(ctx),
    description: 'ProcessAllWindowFunction',
    userFunction: fn,
    copy: () => processAllWindowFunction(copyUserFunction(fn)),
  };
}

/** With an evictor the operator keeps every element; reduce() then reduces them at fire time (Flink's ReduceApplyWindowFunction). */
export function reduceApplyWindowFunction<T, OUT, K, W extends Window>(
  reduce: ReduceFunction<T>,
  inner: InternalWindowFunction<T, OUT, K, W>,
): InternalWindowFunction<T, OUT, K, W> {
  return {
    process: (key, window, ctx, elements, out) => {
      let acc: T | undefined;
      let any = false;
      for (const e of elements) {
        acc = any ? reduce(acc as T, e) : e;
        any = true;
      }
      if (any) inner.process(key, window, ctx, [acc as T], out);
    },
    clear: (window, ctx) => inner.clear(window, ctx),
    description: inner.description,
    ...(inner.userFunction === undefined ? {} : { userFunction: inner.userFunction }),
    ...(inner.copy === undefined ? {} : { copy: () => reduceApplyWindowFunction(reduce, instanceOf(inner)) }),
  };
}

/** aggregate() with an evictor: aggregates the kept elements at fire time (Flink's AggregateApplyWindowFunction). */
export function aggregateApplyWindowFunction<IN, ACC, V, OUT, K, W extends Window>(
  fn: AggregateFunction<IN, ACC, V>,
  inner: InternalWindowFunction<V, OUT, K, W>,
): InternalWindowFunction<IN, OUT, K, W> {
  return {
    process: (key, window, ctx, elements, out) => {
      let acc = fn.createAccumulator();
      for (const e of elements) acc = fn.add(e, acc);
      inner.process(key, window, ctx, [fn.getResult(acc)], out);
    },
    clear: (window, ctx) => inner.clear(window, ctx),
    description: inner.description,
    ...(inner.userFunction === undefined ? {} : { userFunction: inner.userFunction }),
    ...(inner.copy === undefined ? {} : { copy: () => aggregateApplyWindowFunction(fn, instanceOf(inner)) }),
  };
}
