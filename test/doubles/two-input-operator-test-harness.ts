import type { TwoInputStreamOperator } from '../../runtime/streaming/stream-operator.ts';
import { OperatorTestHarness } from './operator-test-harness.ts';

/**
 * One two-input operator on a manual clock (Flink's TwoInputStreamOperatorTestHarness): elements,
 * watermarks and statuses go to the input they are named for.
 */
export class TwoInputOperatorTestHarness<IN1, IN2, OUT> extends OperatorTestHarness<never, OUT> {
  readonly twoInputOperator: TwoInputStreamOperator<IN1, IN2, OUT>;

  constructor(operator: TwoInputStreamOperator<IN1, IN2, OUT>, options: ConstructorParameters<typeof OperatorTestHarness>[1] = {}) {
    super(operator, options);
    this.twoInputOperator = operator;
  }

  processElement1(record: IN1, timestamp: number): void {
    this.twoInputOperator.processElement1(record, timestamp);
  }

  processElement2(record: IN2, timestamp: number): void {
    this.twoInputOperator.processElement2(record, timestamp);
  }

  processWatermark1(watermark: number): void {
    this.twoInputOperator.processWatermark1(watermark);
  }

  processWatermark2(watermark: number): void {
    this.twoInputOperator.processWatermark2(watermark);
  }

  processWatermarkStatus1(idle: boolean): void {
    this.twoInputOperator.processWatermarkStatus1(idle);
  }

  processWatermarkStatus2(idle: boolean): void {
    this.twoInputOperator.processWatermarkStatus2(idle);
  }

  /** Watermarks and IDLE/ACTIVE announcements downstream, in order. */
  watermarksAndStatuses(): (number | 'IDLE' | 'ACTIVE')[] {
    return this.emitted.flatMap((e): (number | 'IDLE' | 'ACTIVE')[] => {
      if ('watermark' in e) return [e.watermark];
      if ('idle' in e) return [e.idle ? 'IDLE' : 'ACTIVE'];
      return [];
    });
  }
}
