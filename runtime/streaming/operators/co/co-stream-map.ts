import type { CoMapFunction } from '../../../api/functions/co-map-function.ts';
import { AbstractTwoInputStreamOperator } from '../../abstract-two-input-stream-operator.ts';

/** connect().map() (Flink's CoStreamMap): each result keeps its input's timestamp. */
export class CoStreamMap<IN1, IN2, OUT> extends AbstractTwoInputStreamOperator<IN1, IN2, OUT> {
  private readonly fn: CoMapFunction<IN1, IN2, OUT>;

  constructor(fn: CoMapFunction<IN1, IN2, OUT>) {
    super();
    this.fn = fn;
  }

  processElement1(record: IN1, timestamp: number): void {
    this.output.collect(this.fn.map1(record), timestamp);
  }

  processElement2(record: IN2, timestamp: number): void {
    this.output.collect(this.fn.map2(record), timestamp);
  }
}
