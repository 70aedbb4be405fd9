import type { KeyedProcessFunction, KeySelector, ReduceFunction } from '../streaming/functions.ts';
import { KeyedProcessOperator } from '../streaming/operators/keyed-process-operator.ts';
import { KeyedReduceOperator } from '../streaming/operators/keyed-reduce-operator.ts';
import { maxAggregation, minAggregation, sumAggregation, type AggregationField } from './aggregation.ts';
import { DataStream } from './data-stream.ts';
import type { StreamExecutionEnvironment } from './stream-execution-environment.ts';
import type { Transformation } from './transformation.ts';

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

  /** `fn(value, ctx)` with `ctx.key`, `ctx.timestamp`, `ctx.collect(x)` and `ctx.state` (per-key value). */
  override process<R, S = unknown>(fn: KeyedProcessFunction<K, T, R, S>): DataStream<R> {
    const keySelector = this.keySelector;
    return this.oneInput('KeyedProcess', () => new KeyedProcessOperator(keySelector, fn) as never);
  }

  private keyedReduce(type: string, fn: ReduceFunction<T>, config: Record<string, unknown>): DataStream<T> {
    const keySelector = this.keySelector;
    return this.oneInput(type, () => new KeyedReduceOperator(keySelector, fn) as never, config);
  }
}

function fieldConfig(field: AggregationField | undefined): Record<string, unknown> {
  return field === undefined ? {} : { field };
}
