import type { ReduceFunction } from '../streaming/functions.ts';
import type { Evictor } from '../streaming/windowing/evictors/evictor.ts';
import { passThroughWindowFunction, processAllWindowFunction } from '../streaming/windowing/internal-window-function.ts';
import type { TimeSpan } from '../streaming/windowing/time.ts';
import type { Trigger } from '../streaming/windowing/triggers/trigger.ts';
import type { AggregateFunction, ProcessAllWindowFunction } from '../streaming/windowing/window-functions.ts';
import type { Window } from '../streaming/windowing/window.ts';
import type { AggregationField } from './aggregation.ts';
import type { DataStream } from './data-stream.ts';
import type { OutputTag } from './output-tag.ts';
import type { WindowedStream } from './windowed-stream.ts';

/**
 * Windows over a whole, non-keyed stream (Flink's AllWindowedStream): as Flink does, a windowed
 * stream over one constant key, run by a single subtask; its functions see no key.
 */
export class AllWindowedStream<T, W extends Window> {
  private readonly windowed: WindowedStream<T, number, W>;

  /** @internal Built by DataStream.windowAll(). */
  constructor(windowed: WindowedStream<T, number, W>) {
    this.windowed = windowed;
  }

  trigger(trigger: Trigger<T, W>): this {
    this.windowed.trigger(trigger);
    return this;
  }

  evictor(evictor: Evictor<T, W>): this {
    this.windowed.evictor(evictor);
    return this;
  }

  allowedLateness(lateness: TimeSpan): this {
    this.windowed.allowedLateness(lateness);
    return this;
  }

  sideOutputLateData(tag: OutputTag<T>): this {
    this.windowed.sideOutputLateData(tag);
    return this;
  }

  reduce<R = T>(fn: ReduceFunction<T>, windowFunction?: ProcessAllWindowFunction<T, R, W>): DataStream<R> {
    return this.windowed.reduceWith(fn, windowFunction === undefined ? (passThroughWindowFunction<T, number, W>() as never) : processAllWindowFunction(windowFunction));
  }

  aggregate<ACC, V, R = V>(fn: AggregateFunction<T, ACC, V>, windowFunction?: ProcessAllWindowFunction<V, R, W>): DataStream<R> {
    return this.windowed.aggregateWith(fn, windowFunction === undefined ? (passThroughWindowFunction<V, number, W>() as never) : processAllWindowFunction(windowFunction));
  }

  /** `fn(context, elements, out)` with all elements of the window when it fires. */
  process<R>(fn: ProcessAllWindowFunction<T, R, W>): DataStream<R> {
    return this.windowed.processWith(processAllWindowFunction(fn));
  }

  sum(field?: AggregationField): DataStream<T> {
    return this.windowed.sum(field);
  }

  min(field?: AggregationField): DataStream<T> {
    return this.windowed.min(field);
  }

  max(field?: AggregationField): DataStream<T> {
    return this.windowed.max(field);
  }
}
