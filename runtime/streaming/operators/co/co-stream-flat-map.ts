import type { CoFlatMapFunction } from '../../../api/functions/co-map-function.ts';
import type { Output } from '../../output.ts';
import { NO_TIMESTAMP } from '../../stream-element.ts';
import { AbstractTwoInputStreamOperator } from '../../abstract-two-input-stream-operator.ts';
import type { OperatorContext } from '../../stream-operator.ts';
import { TimestampedCollector } from '../../timestamped-collector.ts';

/** connect().flatMap() (Flink's CoStreamFlatMap): results carry their input's timestamp. */
export class CoStreamFlatMap<IN1, IN2, OUT> extends AbstractTwoInputStreamOperator<IN1, IN2, OUT> {
  private readonly fn: CoFlatMapFunction<IN1, IN2, OUT>;
  private collector!: TimestampedCollector<OUT>;

  constructor(fn: CoFlatMapFunction<IN1, IN2, OUT>) {
    super();
    this.fn = fn;
  }

  override setup(context: OperatorContext, output: Output<OUT>): void {
    super.setup(context, output);
    this.collector = new TimestampedCollector(output, NO_TIMESTAMP);
  }

  processElement1(record: IN1, timestamp: number): void {
    this.collector.timestamp = timestamp;
    this.fn.flatMap1(record, this.collector);
  }

  processElement2(record: IN2, timestamp: number): void {
    this.collector.timestamp = timestamp;
    this.fn.flatMap2(record, this.collector);
  }
}
