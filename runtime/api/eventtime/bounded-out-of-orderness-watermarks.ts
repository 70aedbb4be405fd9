import { NO_TIMESTAMP } from '../../streaming/stream-element.ts';
import type { WatermarkGenerator, WatermarkOutput } from './watermark.ts';

/**
 * Flink's BoundedOutOfOrdernessWatermarks: events may come up to `outOfOrdernessMillis` late, so
 * the watermark trails the largest timestamp seen by that much, minus 1 (a watermark t promises
 * nothing <= t is to come). Before the first event it is NO_TIMESTAMP (Long.MIN_VALUE), which is
 * never emitted.
 */
export class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  private readonly outOfOrdernessMillis: number;
  private maxTimestamp: number;

  constructor(outOfOrdernessMillis: number) {
    if (outOfOrdernessMillis < 0) throw new Error(`maxOutOfOrderness cannot be negative, got ${outOfOrdernessMillis} ms`);
    this.outOfOrdernessMillis = outOfOrdernessMillis;
    // Flink: Long.MIN_VALUE + outOfOrdernessMillis + 1, so the first emit is exactly Long.MIN_VALUE.
    this.maxTimestamp = NO_TIMESTAMP + outOfOrdernessMillis + 1;
  }

  onEvent(_event: T, eventTimestamp: number): void {
    if (eventTimestamp > this.maxTimestamp) this.maxTimestamp = eventTimestamp;
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    output.emitWatermark(this.maxTimestamp - this.outOfOrdernessMillis - 1);
  }
}

/** Flink's AscendingTimestampsWatermarks: bounded out-of-orderness of 0, so the watermark is maxTs - 1. */
export class AscendingTimestampsWatermarks<T> extends BoundedOutOfOrdernessWatermarks<T> {
  constructor() {
    super(0);
  }
}

/** Flink's NoWatermarksGenerator: event time never advances (until a bounded input ends). */
export class NoWatermarksGenerator<T> implements WatermarkGenerator<T> {
  onEvent(): void {}
  onPeriodicEmit(): void {}
}
