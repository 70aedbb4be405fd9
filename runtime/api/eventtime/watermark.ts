/**
 * A watermark (Flink's Watermark): event time has reached `timestamp`, no element with a timestamp
 * <= it is expected any more. Generators may emit one of these or a plain number of milliseconds.
 */
export class Watermark {
  readonly timestamp: number;

  constructor(timestamp: number) {
    this.timestamp = timestamp;
  }

  getTimestamp(): number {
    return this.timestamp;
  }

  toString(): string {
    return `Watermark @ ${this.timestamp}`;
  }
}

/** Where a WatermarkGenerator emits (Flink's WatermarkOutput). */
export interface WatermarkOutput {
  /** Emitted only if it is later than every watermark emitted before (watermarks are monotonic). */
  emitWatermark(watermark: Watermark | number): void;
  /** This input produces no events for now: it leaves downstream minimums (WatermarkStatus.IDLE). */
  markIdle(): void;
  /** Back from idle (WatermarkStatus.ACTIVE); also implied by the next watermark. */
  markActive(): void;
}

/** Generates watermarks from the events it sees and on a timer (Flink's WatermarkGenerator). */
export interface WatermarkGenerator<T> {
  /** Called for every event; a punctuated generator emits here. */
  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void;
  /** Called every `pipeline.auto-watermark-interval` (200 ms by default). */
  onPeriodicEmit(output: WatermarkOutput): void;
}

/** Extracts an event's timestamp (Flink's TimestampAssigner); `recordTimestamp` is NO_TIMESTAMP without one. */
export type TimestampAssigner<T> = (element: T, recordTimestamp: number) => number;

/** What a generator or assigner is created with (Flink's WatermarkGeneratorSupplier.Context). */
export interface WatermarkGeneratorContext {
  /** The task's processing-time clock, in ms; idleness measures inactivity on it. */
  currentProcessingTime(): number;
}
