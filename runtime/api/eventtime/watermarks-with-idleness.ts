import type { WatermarkGenerator, WatermarkGeneratorContext, WatermarkOutput } from './watermark.ts';

/**
 * Flink's WatermarksWithIdleness.IdlenessTimer: idle once no event came for longer than the
 * timeout, checked at each periodic emit. Inactivity starts at the first check that saw no new
 * event, so an input is declared idle between timeout and timeout + one interval after its last event.
 */
class IdlenessTimer {
  private readonly clock: WatermarkGeneratorContext;
  private readonly maxIdleTimeMs: number;
  private counter = 0;
  private lastCounter = 0;
  private startOfInactivity: number | null = null;

  constructor(clock: WatermarkGeneratorContext, maxIdleTimeMs: number) {
    this.clock = clock;
    this.maxIdleTimeMs = maxIdleTimeMs;
  }

  activity(): void {
    this.counter++;
  }

  checkIfIdle(): boolean {
    if (this.counter !== this.lastCounter) {
      this.lastCounter = this.counter;
      this.startOfInactivity = null;
      return false;
    }
    const now = this.clock.currentProcessingTime();
    if (this.startOfInactivity === null) {
      this.startOfInactivity = now;
      return false;
    }
    return now - this.startOfInactivity > this.maxIdleTimeMs;
  }
}

/** Wraps a generator: marks the input idle once it saw no events for `idleTimeoutMs` (withIdleness). */
export class WatermarksWithIdleness<T> implements WatermarkGenerator<T> {
  private readonly watermarks: WatermarkGenerator<T>;
  private readonly idlenessTimer: IdlenessTimer;
  private isIdleNow = false;

  constructor(watermarks: WatermarkGenerator<T>, idleTimeoutMs: number, clock: WatermarkGeneratorContext) {
    if (!(idleTimeoutMs > 0)) throw new Error(`The idle timeout must be larger than zero, got ${idleTimeoutMs} ms`);
    this.watermarks = watermarks;
    this.idlenessTimer = new IdlenessTimer(clock, idleTimeoutMs);
  }

  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void {
    this.watermarks.onEvent(event, eventTimestamp, output);
    this.idlenessTimer.activity();
    this.isIdleNow = false;
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.idlenessTimer.checkIfIdle()) {
      if (!this.isIdleNow) {
        output.markIdle();
        this.isIdleNow = true;
      }
    } else {
      this.watermarks.onPeriodicEmit(output);
    }
  }
}
