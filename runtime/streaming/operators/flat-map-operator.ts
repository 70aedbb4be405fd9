import type { FlatMapFunction, KeySelector } from '../functions.ts';
import type { Collector, Output } from '../output.ts';
import { NO_TIMESTAMP } from '../stream-element.ts';
import type { OperatorContext } from '../stream-operator.ts';
import { TimestampedCollector } from '../timestamped-collector.ts';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.ts';

/** flatMap() (Flink's StreamFlatMap): a plain function or a (Rich)FlatMapFunction object. */
export class FlatMapOperator<T, R> extends AbstractUdfStreamOperator<T, R, FlatMapFunction<T, R>> {
  private readonly flatMap: (value: T, out: Collector<R>) => Iterable<R> | void;
  private collector!: TimestampedCollector<R>;

  constructor(fn: FlatMapFunction<T, R>, stateKeySelector?: KeySelector<T, unknown>) {
    super(fn, stateKeySelector);
    const f = this.userFunction;
    this.flatMap = typeof f === 'function' ? f : (value, out) => f.flatMap(value, out);
  }

  override setup(context: OperatorContext, output: Output<R>): void {
    super.setup(context, output);
    this.collector = new TimestampedCollector(output, NO_TIMESTAMP);
  }

  collect(record: T, timestamp: number): void {
    if (this.stateKeySelector !== undefined) this.setKeyContextElement(record);
    this.collector.timestamp = timestamp;
    const results = this.flatMap(record, this.collector);
    if (results !== undefined) for (const r of results) this.output.collect(r, timestamp);
  }
}
