import type { FlatMapFunction } from '../functions.ts';
import type { Output } from '../output.ts';
import { NO_TIMESTAMP } from '../stream-element.ts';
import { AbstractStreamOperator, type OperatorContext } from '../stream-operator.ts';
import { TimestampedCollector } from '../timestamped-collector.ts';

export class FlatMapOperator<T, R> extends AbstractStreamOperator<T, R> {
  private readonly fn: FlatMapFunction<T, R>;
  private collector!: TimestampedCollector<R>;

  constructor(fn: FlatMapFunction<T, R>) {
    super();
    this.fn = fn;
  }

  override setup(context: OperatorContext, output: Output<R>): void {
    super.setup(context, output);
    this.collector = new TimestampedCollector(output, NO_TIMESTAMP);
  }

  collect(record: T, timestamp: number): void {
    this.collector.timestamp = timestamp;
    const results = this.fn(record, this.collector);
    if (results !== undefined) for (const r of results) this.output.collect(r, timestamp);
  }
}
