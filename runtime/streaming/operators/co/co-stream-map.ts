import type { CoMapFunction } from '../../../api/functions/co-map-function.ts';
import { AbstractUdfTwoInputStreamOperator } from './abstract-udf-two-input-stream-operator.ts';

/**
 * connect().map() (Flink's CoStreamMap): each result keeps its input's timestamp; on keyed inputs
 * the record's key is current, so a RichCoMapFunction's keyed state is that key's.
 */
export class CoStreamMap<IN1, IN2, OUT> extends AbstractUdfTwoInputStreamOperator<IN1, IN2, OUT, CoMapFunction<IN1, IN2, OUT>> {
  processElement1(record: IN1, timestamp: number): void {
    this.setKeyContextElement1(record);
    this.output.collect(this.userFunction.map1(record), timestamp);
  }

  processElement2(record: IN2, timestamp: number): void {
    this.setKeyContextElement2(record);
    this.output.collect(this.userFunction.map2(record), timestamp);
  }
}
