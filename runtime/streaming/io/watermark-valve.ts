import { MAX_WATERMARK } from '../stream-element.ts';

/** Where the valve sends what it decides: the task's chain head. */
export interface ValveOutput {
  emitWatermark(watermark: number): void;
  /** IDLE (true) or ACTIVE (false). */
  emitWatermarkStatus(idle: boolean): void;
}

/** What the valve knows of one input channel, for the REST watermarks view and the dashboard. */
export interface ChannelWatermark {
  readonly watermark: number;
  readonly idle: boolean;
  readonly ended: boolean;
}

/**
 * Combines the watermarks and WatermarkStatus of a task's input channels (Flink's
 * StatusWatermarkValve). The task's watermark is the minimum over ACTIVE channels that are aligned
 * (their watermark is not behind what was already forwarded), forwarded only when it advances.
 * An IDLE channel is left out; once every channel is idle the valve flushes the highest channel
 * watermark and announces IDLE downstream; a channel that turns ACTIVE again makes the task ACTIVE.
 * An ended channel is left out for good, without a status change.
 */
export class WatermarkValve {
  private readonly watermarks: number[];
  private readonly idle: boolean[];
  private readonly aligned: boolean[];
  private readonly ended: boolean[];
  private readonly output: ValveOutput;
  private lastOutputWatermark = Number.NEGATIVE_INFINITY;
  private lastOutputIdle = false;

  constructor(channels: number, output: ValveOutput) {
    this.watermarks = new Array<number>(channels).fill(Number.NEGATIVE_INFINITY);
    this.idle = new Array<boolean>(channels).fill(false);
    this.aligned = new Array<boolean>(channels).fill(true);
    this.ended = new Array<boolean>(channels).fill(false);
    this.output = output;
  }

  /** The last watermark forwarded (NEGATIVE_INFINITY before the first). */
  get currentWatermark(): number {
    return this.lastOutputWatermark;
  }

  get isIdle(): boolean {
    return this.lastOutputIdle;
  }

  channel(index: number): ChannelWatermark {
    return { watermark: this.watermarks[index]!, idle: this.idle[index]!, ended: this.ended[index]! };
  }

  get numChannels(): number {
    return this.watermarks.length;
  }

  /**
   * The channel whose watermark the task waits for: the lowest among the ACTIVE, aligned, live
   * channels (one with no watermark yet holds everything back), -1 when none does (all idle or
   * ended). Read for the dashboard's "held back by", not on the record path.
   */
  minimumChannel(): number {
    let min = -1;
    for (let i = 0; i < this.watermarks.length; i++) {
      if (this.ended[i] || this.idle[i] || !this.aligned[i]) continue;
      if (min < 0 || this.watermarks[i]! < this.watermarks[min]!) min = i;
    }
    return min;
  }

  inputWatermark(channel: number, watermark: number): void {
    if (this.ended[channel] || this.idle[channel]) return; // Flink drops watermarks of idle channels
    if (watermark <= this.watermarks[channel]!) return;
    this.watermarks[channel] = watermark;
    if (!this.aligned[channel] && watermark >= this.lastOutputWatermark) this.aligned[channel] = true;
    this.advance();
  }

  inputWatermarkStatus(channel: number, idle: boolean): void {
    if (this.ended[channel] || this.idle[channel] === idle) return;
    this.idle[channel] = idle;
    if (idle) {
      this.aligned[channel] = false;
      if (this.allIdleOrEnded()) {
        this.flushMaxOverChannels();
        this.setIdle(true);
      } else {
        this.advance();
      }
      return;
    }
    // ACTIVE again: aligned only if it is not behind what downstream has already seen.
    if (this.watermarks[channel]! >= this.lastOutputWatermark) this.aligned[channel] = true;
    this.setIdle(false);
  }

  /** A channel ended: it no longer holds the minimum back. */
  channelEnded(channel: number): void {
    this.ended[channel] = true;
    this.aligned[channel] = false;
    if (this.allIdleOrEnded()) {
      // Every live channel idle: what the ended one held back may now flow.
      if (this.ended.some((e) => !e)) this.flushMaxOverChannels();
      return;
    }
    this.advance();
  }

  private advance(): void {
    let min = MAX_WATERMARK;
    let any = false;
    for (let i = 0; i < this.watermarks.length; i++) {
      if (this.ended[i] || this.idle[i] || !this.aligned[i]) continue;
      any = true;
      const w = this.watermarks[i]!;
      if (w < min) min = w;
    }
    if (!any || min <= this.lastOutputWatermark || min === Number.NEGATIVE_INFINITY) return;
    this.lastOutputWatermark = min;
    this.output.emitWatermark(min);
  }

  private flushMaxOverChannels(): void {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.watermarks.length; i++) if (!this.ended[i]) max = Math.max(max, this.watermarks[i]!);
    if (max > this.lastOutputWatermark) {
      this.lastOutputWatermark = max;
      this.output.emitWatermark(max);
    }
  }

  private allIdleOrEnded(): boolean {
    for (let i = 0; i < this.idle.length; i++) if (!this.ended[i] && !this.idle[i]) return false;
    return true;
  }

  private setIdle(idle: boolean): void {
    if (this.lastOutputIdle === idle) return;
    this.lastOutputIdle = idle;
    this.output.emitWatermarkStatus(idle);
  }
}
