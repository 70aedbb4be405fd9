import { IndexedCombinedWatermarkStatus } from './combined-watermark-status.ts';
import { AbstractStreamOperator, type OperatorMetrics, type TwoInputStreamOperator } from './stream-operator.ts';

/**
 * Base of two-input operators (the two-input half of Flink's AbstractStreamOperator): each input's
 * watermark and status go into one IndexedCombinedWatermarkStatus, and the operator's event time
 * (its timers, its output watermark) is their minimum over the inputs that are not idle. The
 * operator announces IDLE downstream only while both inputs are idle.
 */
export abstract class AbstractTwoInputStreamOperator<IN1, IN2, OUT> extends AbstractStreamOperator<never, OUT> implements TwoInputStreamOperator<IN1, IN2, OUT> {
  readonly isTwoInput = true as const;
  private readonly combinedWatermark = new IndexedCombinedWatermarkStatus(2);

  abstract processElement1(record: IN1, timestamp: number): void;
  abstract processElement2(record: IN2, timestamp: number): void;

  collect(): void {
    throw new Error(`Operator '${this.context.operatorName}' has two inputs; its task calls processElement1/2`);
  }

  processWatermark1(watermark: number): void {
    this.processWatermarkOf(0, watermark);
  }

  processWatermark2(watermark: number): void {
    this.processWatermarkOf(1, watermark);
  }

  processWatermarkStatus1(idle: boolean): void {
    this.processWatermarkStatusOf(0, idle);
  }

  processWatermarkStatus2(idle: boolean): void {
    this.processWatermarkStatusOf(1, idle);
  }

  /** The last watermark of input 1 (Flink's currentInput1Watermark gauge). */
  get currentInput1Watermark(): number {
    return this.combinedWatermark.inputWatermark(0);
  }

  get currentInput2Watermark(): number {
    return this.combinedWatermark.inputWatermark(1);
  }

  /** The operator's event time: the minimum over both inputs (NO_WATERMARK before both had one). */
  get currentWatermark(): number {
    return this.combinedWatermark.combinedWatermark;
  }

  /** Flink registers currentInput1Watermark / currentInput2Watermark on a two-input head; currentInputWatermark is their min. */
  override metrics(): OperatorMetrics {
    return { ...super.metrics(), currentInput1Watermark: this.currentInput1Watermark, currentInput2Watermark: this.currentInput2Watermark };
  }

  private processWatermarkOf(index: number, watermark: number): void {
    // emitWatermark is the operator's processWatermark: timers first, then downstream.
    if (this.combinedWatermark.updateWatermark(index, watermark)) this.emitWatermark(this.combinedWatermark.combinedWatermark);
  }

  private processWatermarkStatusOf(index: number, idle: boolean): void {
    const combined = this.combinedWatermark;
    const wasIdle = combined.isIdle;
    if (combined.updateStatus(index, idle)) this.emitWatermark(combined.combinedWatermark);
    if (wasIdle !== combined.isIdle) this.output.emitWatermarkStatus(combined.isIdle);
  }
}
