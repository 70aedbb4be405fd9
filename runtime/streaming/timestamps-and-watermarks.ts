import type { Cancel } from '../../rm/common/clock.ts';
import type { OutputTag } from '../api/output-tag.ts';
import type { TimestampAssigner, Watermark, WatermarkGenerator, WatermarkOutput } from '../api/eventtime/watermark.ts';
import type { WatermarkStrategy } from '../api/eventtime/watermark-strategy.ts';
import type { Output } from './output.ts';
import { MAX_WATERMARK, NO_TIMESTAMP } from './stream-element.ts';
import type { ProcessingTimeService } from './time/processing-time-service.ts';

/**
 * A WatermarkStrategy at work on one parallel instance (Flink's TimestampsAndWatermarks with its
 * WatermarkToDataOutput): stamps each record with the assigner's timestamp, feeds the generator,
 * and sends its watermarks downstream only when they advance; periodic emission on the task's
 * ProcessingTimeService every `pipeline.auto-watermark-interval`. It is an Output, so a source's
 * output can be wrapped by it and the TimestampsAndWatermarksOperator delegates to it.
 * Watermarks from upstream are dropped, except the final MAX_WATERMARK of a bounded input.
 */
export class TimestampsAndWatermarks<T> implements Output<T> {
  private readonly next: Output<T>;
  private readonly assigner: TimestampAssigner<T>;
  private readonly generator: WatermarkGenerator<T>;
  private readonly processingTimeService: ProcessingTimeService;
  private maxWatermarkSoFar = NO_TIMESTAMP;
  private idle = false;
  private cancelPeriodic: Cancel | null = null;

  constructor(strategy: WatermarkStrategy<T>, next: Output<T>, processingTimeService: ProcessingTimeService) {
    this.next = next;
    this.processingTimeService = processingTimeService;
    this.assigner = strategy.createTimestampAssigner();
    this.generator = strategy.createWatermarkGenerator({ currentProcessingTime: () => processingTimeService.getCurrentProcessingTime() });
  }

  /** The last watermark sent downstream (NO_TIMESTAMP before the first): the currentOutputWatermark. */
  get currentWatermark(): number {
    return this.maxWatermarkSoFar;
  }

  get isIdle(): boolean {
    return this.idle;
  }

  /** Calls onPeriodicEmit every `intervalMs`; 0 turns periodic watermarks off, as in Flink. */
  startPeriodicEmission(intervalMs: number): void {
    if (intervalMs <= 0 || this.cancelPeriodic !== null) return;
    this.cancelPeriodic = this.processingTimeService.scheduleAtFixedRate(() => this.emitPeriodicWatermark(), intervalMs, intervalMs);
  }

  stopPeriodicEmission(): void {
    this.cancelPeriodic?.();
    this.cancelPeriodic = null;
  }

  emitPeriodicWatermark(): void {
    this.generator.onPeriodicEmit(this.generatorOutput);
  }

  collect(record: T, timestamp: number): void {
    const ts = this.assigner(record, timestamp);
    this.generator.onEvent(record, ts, this.generatorOutput);
    // A record means the input is active again (the generator's next watermark would say so too).
    if (this.idle) this.markActive();
    this.next.collect(record, ts);
  }

  collectSideOutput<X>(tag: OutputTag<X>, record: X, timestamp: number): void {
    this.next.collectSideOutput(tag, record, timestamp);
  }

  /** From upstream (or a source's end): only the end of event time passes. */
  emitWatermark(watermark: Watermark | number): void {
    const ts = typeof watermark === 'number' ? watermark : watermark.timestamp;
    if (ts === MAX_WATERMARK) this.forward(ts);
  }

  /** Upstream statuses are not passed on: this strategy decides idleness from here on, as in Flink. */
  emitWatermarkStatus(): void {}

  markIdle(): void {
    if (this.idle) return;
    this.idle = true;
    this.next.emitWatermarkStatus(true);
  }

  markActive(): void {
    if (!this.idle) return;
    this.idle = false;
    this.next.emitWatermarkStatus(false);
  }

  private forward(ts: number): void {
    if (ts <= this.maxWatermarkSoFar) return;
    this.maxWatermarkSoFar = ts;
    this.markActive();
    this.next.emitWatermark(ts);
  }

  /** What the generator emits to (its WatermarkOutput), apart from the upstream path above. */
  private readonly generatorOutput: WatermarkOutput = {
    emitWatermark: (watermark) => this.forward(typeof watermark === 'number' ? watermark : watermark.timestamp),
    markIdle: () => this.markIdle(),
    markActive: () => this.markActive(),
  };
}
