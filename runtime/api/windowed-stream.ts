import type { KeySelector, ReduceFunction } from '../streaming/functions.ts';
import { EvictingWindowOperator } from '../streaming/operators/windowing/evicting-window-operator.ts';
import { WindowOperator } from '../streaming/operators/windowing/window-operator.ts';
import type { OperatorFactory } from '../streaming/user-code.ts';
import { isMergingWindowAssigner, type WindowAssigner } from '../streaming/windowing/assigners/window-assigner.ts';
import type { Evictor } from '../streaming/windowing/evictors/evictor.ts';
import {
  aggregateApplyWindowFunction,
  passThroughWindowFunction,
  processWindowFunction,
  reduceApplyWindowFunction,
  type InternalWindowFunction,
} from '../streaming/windowing/internal-window-function.ts';
import { toMillis } from './duration.ts';
import type { TimeSpan } from '../streaming/windowing/time.ts';
import type { Trigger } from '../streaming/windowing/triggers/trigger.ts';
import { aggregatingContents, listContents, reducingContents, type WindowContents } from '../streaming/windowing/window-contents.ts';
import type { AggregateFunction, ProcessWindowFunction } from '../streaming/windowing/window-functions.ts';
import type { Window } from '../streaming/windowing/window.ts';
import { maxAggregation, minAggregation, sumAggregation, type AggregationField } from './aggregation.ts';
import { DataStream } from './data-stream.ts';
import type { OutputTag } from './output-tag.ts';
import type { StreamExecutionEnvironment } from './stream-execution-environment.ts';
import type { Transformation } from './transformation.ts';

/**
 * A keyed stream cut into windows (Flink's WindowedStream): configure the trigger, evictor,
 * allowed lateness and late-data side output, then give the window function (reduce, aggregate,
 * process, or an incremental one followed by a ProcessWindowFunction).
 */
export class WindowedStream<T, K, W extends Window> {
  private readonly env: StreamExecutionEnvironment;
  private readonly input: Transformation;
  private readonly keySelector: KeySelector<T, K>;
  private readonly assigner: WindowAssigner<T, W>;
  private windowTrigger: Trigger<T, W>;
  private windowEvictor: Evictor<T, W> | undefined;
  private lateness = 0;
  private lateDataOutputTag: OutputTag<T> | undefined;
  /** windowAll(): one subtask sees every element. */
  private readonly nonParallel: boolean;

  /** @internal Built by KeyedStream.window() and DataStream.windowAll(). */
  constructor(env: StreamExecutionEnvironment, input: Transformation, keySelector: KeySelector<T, K>, assigner: WindowAssigner<T, W>, nonParallel = false) {
    this.env = env;
    this.input = input;
    this.keySelector = keySelector;
    this.assigner = assigner;
    this.windowTrigger = assigner.getDefaultTrigger();
    this.nonParallel = nonParallel;
  }

  trigger(trigger: Trigger<T, W>): this {
    if (isMergingWindowAssigner(this.assigner) && !trigger.canMerge()) {
      throw new Error(`${this.describe()}: a merging window assigner cannot be used with a trigger that does not support merging (${trigger.toString()}).`);
    }
    this.windowTrigger = trigger;
    return this;
  }

  evictor(evictor: Evictor<T, W>): this {
    this.windowEvictor = evictor;
    return this;
  }

  /** How long after a window's end late elements still update it (and re-fire it); event time only. */
  allowedLateness(lateness: TimeSpan): this {
    const ms = toMillis(lateness);
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error(`${this.describe()}.allowedLateness(${String(ms)}): The allowed lateness cannot be negative.`);
    // Flink ignores lateness for processing-time windows: nothing is late in processing time.
    this.lateness = this.assigner.isEventTime() ? ms : 0;
    return this;
  }

  /** Elements too late for all their windows go to `tag` instead of being dropped. */
  sideOutputLateData(tag: OutputTag<T>): this {
    this.lateDataOutputTag = tag;
    return this;
  }

  /** reduce(fn), or reduce(fn, processWindowFunction) to see the window with the reduced value. */
  reduce<R = T>(fn: ReduceFunction<T>, windowFunction?: ProcessWindowFunction<T, R, K, W>): DataStream<R> {
    return this.reduceWith(fn, windowFunction === undefined ? (passThroughWindowFunction<T, K, W>() as never) : processWindowFunction(windowFunction));
  }

  aggregate<ACC, V, R = V>(fn: AggregateFunction<T, ACC, V>, windowFunction?: ProcessWindowFunction<V, R, K, W>): DataStream<R> {
    return this.aggregateWith(fn, windowFunction === undefined ? (passThroughWindowFunction<V, K, W>() as never) : processWindowFunction(windowFunction));
  }

  /** `fn(key, context, elements, out)` with all elements of the window when it fires. */
  process<R>(fn: ProcessWindowFunction<T, R, K, W>): DataStream<R> {
    return this.processWith(processWindowFunction(fn));
  }

  /** @internal reduce() followed by an adapted window function (windowAll's come without a key). */
  reduceWith<R>(fn: ReduceFunction<T>, windowFunction: InternalWindowFunction<T, R, K, W>): DataStream<R> {
    return this.build('ReduceFunction', reducingContents(fn), (i) => reduceApplyWindowFunction(fn, i), windowFunction);
  }

  /** @internal */
  aggregateWith<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, windowFunction: InternalWindowFunction<V, R, K, W>): DataStream<R> {
    return this.build('AggregateFunction', aggregatingContents(fn), (i) => aggregateApplyWindowFunction(fn, i), windowFunction);
  }

  /** @internal */
  processWith<R>(windowFunction: InternalWindowFunction<T, R, K, W>): DataStream<R> {
    return this.build(windowFunction.description, listContents<T>(), (i) => i, windowFunction);
  }

  sum(field?: AggregationField): DataStream<T> {
    return this.reduce(sumAggregation<T>(field));
  }

  min(field?: AggregationField): DataStream<T> {
    return this.reduce(minAggregation<T>(field));
  }

  max(field?: AggregationField): DataStream<T> {
    return this.reduce(maxAggregation<T>(field));
  }

  /**
   * Without an evictor the window keeps `contents` (incremental); with one it keeps every element
   * and `applyToAll` turns the function into one over all of them, as Flink does.
   */
  private build<ACC, V, R>(
    udfName: string,
    contents: WindowContents<T, ACC, V>,
    applyToAll: (inner: InternalWindowFunction<V, R, K, W>) => InternalWindowFunction<T, R, K, W>,
    windowFunction: InternalWindowFunction<V, R, K, W>,
  ): DataStream<R> {
    const { keySelector, assigner, windowTrigger: trigger, windowEvictor: evictor, lateness: allowedLateness, lateDataOutputTag } = this;
    const common = { keySelector, assigner, trigger, allowedLateness, lateDataOutputTag };
    const factory: OperatorFactory =
      evictor === undefined
        ? () => new WindowOperator({ ...common, contents, windowFunction }) as never
        : () => new EvictingWindowOperator({ ...common, evictor, windowFunction: applyToAll(windowFunction) }) as never;
    const config: Record<string, unknown> = { assigner: assigner.toString(), trigger: trigger.toString(), allowedLateness };
    if (evictor !== undefined) config.evictor = evictor.toString();
    if (lateDataOutputTag !== undefined) config.lateDataOutputTag = lateDataOutputTag.id;
    const parts = [assigner.toString(), trigger.toString(), ...(evictor === undefined ? [] : [evictor.toString()]), udfName];
    const t = this.env.addTransformation({
      kind: 'operator',
      type: `${this.nonParallel ? 'AllWindow' : 'Window'}(${parts.join(', ')})`,
      inputs: [this.input],
      factory,
      config,
      nonParallel: this.nonParallel,
    });
    return new DataStream<R>(this.env, t);
  }

  private describe(): string {
    return `${this.nonParallel ? 'windowAll' : 'window'}(${this.assigner.toString()})`;
  }
}
