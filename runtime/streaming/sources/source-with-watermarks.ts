import type { WatermarkStrategy } from '../../api/eventtime/watermark-strategy.ts';
import type { Output } from '../output.ts';
import { AbstractSourceOperator, type OperatorContext, type SourceOperator } from '../stream-operator.ts';
import { TimestampsAndWatermarks } from '../timestamps-and-watermarks.ts';

/**
 * A source with a WatermarkStrategy (env.fromSource(..., strategy), fromGenerator(spec, strategy)):
 * the source's records pass through the strategy before they leave the source, so each parallel
 * source subtask has its own watermarks, as in Flink's SourceOperator.
 */
export class SourceWithWatermarks<T> extends AbstractSourceOperator<T> {
  private readonly source: SourceOperator<T>;
  private readonly strategy: WatermarkStrategy<T>;
  private core!: TimestampsAndWatermarks<T>;

  constructor(source: SourceOperator<T>, strategy: WatermarkStrategy<T>) {
    super();
    this.source = source;
    this.strategy = strategy;
  }

  override setup(context: OperatorContext, output: Output<T>): void {
    super.setup(context, output);
    this.core = new TimestampsAndWatermarks(this.strategy, output, context.processingTimeService);
    this.source.setup(context, this.core);
  }

  override async open(): Promise<void> {
    await this.source.open();
    this.core.startPeriodicEmission(this.context.settings.autoWatermarkInterval);
  }

  emitNext(max: number): number {
    return this.source.emitNext(max);
  }

  override nextDelayMs(): number {
    return this.source.nextDelayMs();
  }

  /** The end of input: one last periodic watermark, then MAX_WATERMARK (the task sends it here). */
  override emitWatermark(watermark: number): void {
    this.core.emitPeriodicWatermark();
    this.core.emitWatermark(watermark);
  }

  override async finish(): Promise<void> {
    await this.source.finish();
  }

  override async close(): Promise<void> {
    this.core.stopPeriodicEmission();
    await this.source.close();
  }

  override get currentOutputWatermark(): number {
    return this.core.currentWatermark;
  }

  override get isOutputIdle(): boolean {
    return this.core.isIdle;
  }
}
