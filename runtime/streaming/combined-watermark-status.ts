import { NO_TIMESTAMP } from './stream-element.ts';

/**
 * The event time of an operator with several inputs (Flink's IndexedCombinedWatermarkStatus): each
 * input's last watermark and whether it is idle; the combined watermark is the minimum over the
 * inputs that are not idle, and only ever advances. Every input idle makes the operator idle.
 */
export class IndexedCombinedWatermarkStatus {
  private readonly watermarks: number[];
  private readonly idle: boolean[];
  private combined = NO_TIMESTAMP;
  private combinedIdle = false;

  constructor(inputs: number) {
    this.watermarks = new Array<number>(inputs).fill(NO_TIMESTAMP);
    this.idle = new Array<boolean>(inputs).fill(false);
  }

  /** The combined watermark (NO_TIMESTAMP, Flink's Long.MIN_VALUE, before every input had one). */
  get combinedWatermark(): number {
    return this.combined;
  }

  get isIdle(): boolean {
    return this.combinedIdle;
  }

  /** The last watermark of input `index` (0-based), for the currentInputNWatermark gauges. */
  inputWatermark(index: number): number {
    return this.watermarks[index]!;
  }

  /** True if the combined watermark advanced. */
  updateWatermark(index: number, watermark: number): boolean {
    // An input's valve announces ACTIVE before it forwards a watermark, so this input is not idle.
    if (watermark > this.watermarks[index]!) this.watermarks[index] = watermark;
    return this.recompute();
  }

  /** True if the combined watermark advanced (an idle input no longer holds it back). */
  updateStatus(index: number, idle: boolean): boolean {
    this.idle[index] = idle;
    return this.recompute();
  }

  private recompute(): boolean {
    let min = Number.POSITIVE_INFINITY;
    let allIdle = true;
    for (let i = 0; i < this.watermarks.length; i++) {
      if (this.idle[i]) continue;
      allIdle = false;
      const w = this.watermarks[i]!;
      if (w < min) min = w;
    }
    this.combinedIdle = allIdle;
    if (!allIdle && min > this.combined) {
      this.combined = min;
      return true;
    }
    return false;
  }
}
