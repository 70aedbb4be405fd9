import type { HeapKeyedStateBackend } from '../../../state/heap-keyed-state-backend.ts';
import { IndexedCombinedWatermarkStatus } from '../../combined-watermark-status.ts';
import type { KeySelector } from '../../functions.ts';
import type { OperatorMetrics, TwoInputStreamOperator } from '../../stream-operator.ts';
import { AbstractUdfStreamOperator } from '../abstract-udf-stream-operator.ts';

/**
 * A two-input operator running one user function (Flink's AbstractUdfStreamOperator implementing
 * TwoInputStreamOperator): the function's copy and rich lifecycle are the one-input operator's;
 * when both inputs are keyed, one keyed state backend serves both: each input's key selector makes
 * its record's key current (Flink's setKeyContextElement1/2), so equal keys of either side share
 * state and timers.
 *
 * The two-input half of Flink's AbstractStreamOperator lives here too: each input's watermark and
 * status go into one IndexedCombinedWatermarkStatus, and the operator's event time (its timers, its
 * output watermark) is their minimum over the inputs that are not idle. The operator announces IDLE
 * downstream only while both inputs are idle.
 */
export abstract class AbstractUdfTwoInputStreamOperator<IN1, IN2, OUT, F>
  extends AbstractUdfStreamOperator<never, OUT, F>
  implements TwoInputStreamOperator<IN1, IN2, OUT>
{
  readonly isTwoInput = true as const;
  private readonly combinedWatermark = new IndexedCombinedWatermarkStatus(2);
  private readonly stateKeySelector1: KeySelector<IN1, unknown> | undefined;
  private readonly stateKeySelector2: KeySelector<IN2, unknown> | undefined;

  constructor(userFunction: F, keySelectors?: { readonly key1: KeySelector<IN1, unknown>; readonly key2: KeySelector<IN2, unknown> }) {
    super(userFunction);
    this.stateKeySelector1 = keySelectors?.key1;
    this.stateKeySelector2 = keySelectors?.key2;
  }

  abstract processElement1(record: IN1, timestamp: number): void;
  abstract processElement2(record: IN2, timestamp: number): void;

  collect(): void {
    throw new Error(`Operator '${this.context.operatorName}' has two inputs; its task calls processElement1/2`);
  }

  // Keyed inputs get the key context whether or not the function is rich: the operator's own state and
  // timers (the interval join's buffers, a keyed co-process function's timers) are scoped by it.
  protected override get isKeyed(): boolean {
    return this.stateKeySelector1 !== undefined;
  }

  protected setKeyContextElement1(record: IN1): void {
    const selector = this.stateKeySelector1;
    if (selector !== undefined) (this.keyedBackend as HeapKeyedStateBackend).setCurrentKey(selector(record));
  }

  protected setKeyContextElement2(record: IN2): void {
    const selector = this.stateKeySelector2;
    if (selector !== undefined) (this.keyedBackend as HeapKeyedStateBackend).setCurrentKey(selector(record));
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
