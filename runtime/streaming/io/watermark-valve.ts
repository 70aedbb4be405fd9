import { MAX_WATERMARK } from '../stream-element.ts';

/**
 * Combines the watermarks of a task's input channels (Flink's StatusWatermarkValve, without idleness
 * yet): the task's watermark is the minimum over channels that have not ended, forwarded only when
 * it advances.
 */
export class WatermarkValve {
  private readonly watermarks: number[];
  private readonly ended: boolean[];
  private current = Number.NEGATIVE_INFINITY;

  constructor(channels: number) {
    this.watermarks = new Array<number>(channels).fill(Number.NEGATIVE_INFINITY);
    this.ended = new Array<boolean>(channels).fill(false);
  }

  /** Returns the new combined watermark, or undefined if it did not advance. */
  inputWatermark(channel: number, watermark: number): number | undefined {
    if (watermark <= (this.watermarks[channel] ?? Number.NEGATIVE_INFINITY)) return undefined;
    this.watermarks[channel] = watermark;
    return this.advance();
  }

  /** A channel ended: it no longer holds the minimum back. */
  channelEnded(channel: number): number | undefined {
    this.ended[channel] = true;
    return this.advance();
  }

  private advance(): number | undefined {
    let min = MAX_WATERMARK;
    let open = 0;
    for (let i = 0; i < this.watermarks.length; i++) {
      if (this.ended[i]) continue;
      open++;
      min = Math.min(min, this.watermarks[i] ?? Number.NEGATIVE_INFINITY);
    }
    if (open === 0 || min <= this.current || min === Number.NEGATIVE_INFINITY) return undefined;
    this.current = min;
    return min;
  }
}
