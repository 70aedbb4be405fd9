import type { CoFlatMapFunction } from '../../../api/functions/co-map-function.ts';
import type { Output } from '../../output.ts';
import { NO_TIMESTAMP } from '../../stream-element.ts';
import type { OperatorContext } from '../../stream-operator.ts';
import { TimestampedCollector } from '../../timestamped-collector.ts';
import { AbstractUdfTwoInputStreamOperator } from './abstract-udf-two-input-stream-operator.ts';

/** connect().flatMap() (Flink's CoStreamFlatMap): results carry their input's timestamp. */
export class CoStreamFlatMap<IN1, IN2, OUT> extends AbstractUdfTwoInputStreamOperator<IN1, IN2, OUT, CoFlatMapFunction<IN1, IN2, OUT>> {
  private collector!: TimestampedCollector<OUT>;

  override setup(context: OperatorContext, output: Output<OUT>): void {
    super.setup(context, output);
    this.collector = new TimestampedCollector(output, NO_TIMESTAMP);
  }

  processElement1(record: IN1, timestamp: number): void {
    this.setKeyContextElement1(record);
    this.collector.timestamp = timestamp;
    this.userFunction.flatMap1(record, this.collector);
  }

  processElement2(record: IN2, timestamp: number): void {
    this.setKeyContextElement2(record);
    this.collector.timestamp = timestamp;
    this.userFunction.flatMap2(record, this.collector);
  }
}
