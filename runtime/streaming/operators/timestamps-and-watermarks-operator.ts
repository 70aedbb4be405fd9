import type { WatermarkStrategy } from '../../api/eventtime/watermark-strategy.ts';
import type { Output } from '../output.ts';
import { AbstractStreamOperator, type OperatorContext, type RecordUse } from '../stream-operator.ts';
import { TimestampsAndWatermarks } from '../timestamps-and-watermarks.ts';

/**
 * assignTimestampsAndWatermarks(strategy) (Flink's TimestampsAndWatermarksOperator): re-stamps
 * records and replaces upstream watermarks by the strategy's own, emitted periodically and once
 * more when the input ends.
 */
export class TimestampsAndWatermarksOperator<T> extends AbstractStreamOperator<T, T> {
  /** The assigner and generator read the record; it passes on as it came, with its new timestamp. */
  readonly recordUse: RecordUse = 'forwards';
  private readonly strategy: WatermarkStrategy<T>;
  private core!: TimestampsAndWatermarks<T>;

  constructor(strategy: WatermarkStrategy<T>) {
    super();
    this.strategy = strategy;
  }

  override setup(context: OperatorContext, output: Output<T>): void {
    super.setup(context, output);
    this.core = new TimestampsAndWatermarks(this.strategy, output, context.processingTimeService);
  }

  override open(): void {
    this.core.startPeriodicEmission(this.context.settings.autoWatermarkInterval);
  }

  collect(record: T, timestamp: number): void {
    this.core.collect(record, timestamp);
  }

  override emitWatermark(watermark: number): void {
    this.inputWatermark = watermark;
    this.core.emitWatermark(watermark);
  }

  override emitWatermarkStatus(): void {
    this.core.emitWatermarkStatus();
  }

  /** Flink emits one last periodic watermark at the end of input, before MAX_WATERMARK follows. */
  override finish(): void {
    this.core.emitPeriodicWatermark();
  }

  override close(): void {
    this.core.stopPeriodicEmission();
  }

  /** The last watermark this operator emitted (currentOutputWatermark). */
  override get currentOutputWatermark(): number {
    return this.core.currentWatermark;
  }

  /** The strategy decides the status from here on, not upstream. */
  override get isOutputIdle(): boolean {
    return this.core.isIdle;
  }
}
