import type { KeyedProcessFn, KeySelector, ReduceFunction } from '../streaming/functions.ts';
import { KeyedProcessOperator } from '../streaming/operators/keyed-process-operator.ts';
import { KeyedReduceOperator } from '../streaming/operators/keyed-reduce-operator.ts';
import { GlobalWindows } from '../streaming/windowing/assigners/global-windows.ts';
import type { WindowAssigner } from '../streaming/windowing/assigners/window-assigner.ts';
import { CountEvictor } from '../streaming/windowing/evictors/count-evictor.ts';
import type { GlobalWindow } from '../streaming/windowing/global-window.ts';
import { CountTrigger } from '../streaming/windowing/triggers/count-trigger.ts';
import { PurgingTrigger } from '../streaming/windowing/triggers/purging-trigger.ts';
import type { Window } from '../streaming/windowing/window.ts';
import { AllWindowedStream } from './all-windowed-stream.ts';
import { IntervalJoin } from './interval-join.ts';
import { maxAggregation, minAggregation, sumAggregation, type AggregationField } from './aggregation.ts';
import { DataStream } from './data-stream.ts';
import type { KeyedProcessFunction } from './functions/keyed-process-function.ts';
import type { StreamExecutionEnvironment } from './stream-execution-environment.ts';
import type { Transformation } from './transformation.ts';
import { WindowedStream } from './windowed-stream.ts';

/**
 * A stream partitioned by key (Flink's KeyedStream). Operators applied to it receive each key's
 * records in one subtask, and the keyed ones (reduce, aggregations, process) keep state per key.
 */
export class KeyedStream<T, K> extends DataStream<T> {
  readonly keySelector: KeySelector<T, K>;

  constructor(env: StreamExecutionEnvironment, partition: Transformation, keySelector: KeySelector<T, K>) {
    super(env, partition);
    this.keySelector = keySelector;
  }

  protected override stateKeySelector(): KeySelector<unknown, unknown> {
    return this.keySelector as KeySelector<unknown, unknown>;
  }

  /** Emits the running reduction of each key after every record. */
  reduce(fn: ReduceFunction<T>): DataStream<T> {
    return this.keyedReduce('Keyed Reduce', fn, {});
  }

  /** Running sum per key: of the records themselves, or of `field` (object key or array index). */
  sum(field?: AggregationField): DataStream<T> {
    return this.keyedReduce('Keyed Aggregation', sumAggregation<T>(field), { aggregation: 'sum', ...fieldConfig(field) });
  }

  min(field?: AggregationField): DataStream<T> {
    return this.keyedReduce('Keyed Aggregation', minAggregation<T>(field), { aggregation: 'min', ...fieldConfig(field) });
  }

  max(field?: AggregationField): DataStream<T> {
    return this.keyedReduce('Keyed Aggregation', maxAggregation<T>(field), { aggregation: 'max', ...fieldConfig(field) });
  }

  /**
   * A KeyedProcessFunction (processElement and onTimer, per-key timers through ctx.timerService(),
   * keyed state through getRuntimeContext()), or the function form `fn(value, ctx)` with `ctx.key`,
   * `ctx.timestamp`, `ctx.collect(x)` and `ctx.state` (one value per key).
   */
  override process<R, S = unknown>(fn: KeyedProcessFunction<K, T, R> | KeyedProcessFn<K, T, R, S>): DataStream<R> {
    const keySelector = this.keySelector;
    return this.oneInput('KeyedProcess', () => new KeyedProcessOperator(keySelector, fn as KeyedProcessFunction<K, T, R>) as never);
  }

  /**
   * Joins this stream with `other` by key over an event-time interval (Flink's intervalJoin):
   * `.between(lower, upper).process(ProcessJoinFunction)`.
   */
  intervalJoin<T2>(other: KeyedStream<T2, K>): IntervalJoin<T, T2, K> {
    return new IntervalJoin(this, other);
  }

  /** Windows per key: TumblingEventTimeWindows.of(5000), EventTimeSessionWindows.withGap(...), ... */
  window<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<T, K, W> {
    return new WindowedStream(this.env, this.transformation, this.keySelector, assigner);
  }

  /**
   * Count windows per key: every `size` elements (tumbling), or the last `size` elements every
   * `slide` elements (sliding), as Flink builds them on GlobalWindows.
   */
  countWindow(size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
    return countWindowOf(this.window(GlobalWindows.create<T>()), size, slide);
  }

  /** @internal windowAll(): DataStream keys by one constant and comes here (no import cycle). */
  allWindowed<W extends Window>(assigner: WindowAssigner<T, W>): AllWindowedStream<T, W> {
    return new AllWindowedStream(this.nonParallelWindow(assigner));
  }

  /** @internal countWindowAll() */
  allCountWindowed(size: number, slide?: number): AllWindowedStream<T, GlobalWindow> {
    return new AllWindowedStream(countWindowOf(this.nonParallelWindow(GlobalWindows.create<T>()), size, slide));
  }

  private nonParallelWindow<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<T, number, W> {
    return new WindowedStream<T, number, W>(this.env, this.transformation, this.keySelector as unknown as (v: T) => number, assigner, true);
  }

  private keyedReduce(type: string, fn: ReduceFunction<T>, config: Record<string, unknown>): DataStream<T> {
    const keySelector = this.keySelector;
    return this.oneInput(type, () => new KeyedReduceOperator(keySelector, fn) as never, config);
  }
}

function fieldConfig(field: AggregationField | undefined): Record<string, unknown> {
  return field === undefined ? {} : { field };
}

function countWindowOf<T, K>(windowed: WindowedStream<T, K, GlobalWindow>, size: number, slide: number | undefined): WindowedStream<T, K, GlobalWindow> {
  if (slide === undefined) return windowed.trigger(PurgingTrigger.of(CountTrigger.of<T>(size)));
  return windowed.evictor(CountEvictor.of<T>(size)).trigger(CountTrigger.of<T>(slide));
}
