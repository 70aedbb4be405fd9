/**
 * Time spent in one state (idle, back-pressured), as Flink's TimerGauge: a total since creation and
 * a per-second rate over the last update interval, where an interval still running counts up to
 * "now". Times come from the caller (the task's injected clock).
 */
export class TimerGauge {
  private startedAt = -1;
  private total = 0;
  private inWindow = 0;
  private windowStart: number;
  private value = 0;

  constructor(now: number) {
    this.windowStart = now;
  }

  get isMeasuring(): boolean {
    return this.startedAt >= 0;
  }

  markStart(now: number): void {
    if (this.startedAt < 0) this.startedAt = now;
  }

  markEnd(now: number): void {
    if (this.startedAt < 0) return;
    const spent = now - this.startedAt;
    this.total += spent;
    this.inWindow += spent;
    this.startedAt = -1;
  }

  /** Closes the window ending now; {@link msPerSecond} reports it until the next update. */
  update(now: number): void {
    let spent = this.inWindow;
    if (this.startedAt >= 0) {
      spent += now - this.startedAt;
      this.total += now - this.startedAt;
      this.startedAt = now;
    }
    const window = now - this.windowStart;
    this.value = window > 0 ? Math.min(1000, Math.round((spent * 1000) / window)) : 0;
    this.inWindow = 0;
    this.windowStart = now;
  }

  /** Milliseconds per second spent in this state during the last window. */
  get msPerSecond(): number {
    return this.value;
  }

  /** Total milliseconds, including a measurement still running. */
  accumulated(now: number): number {
    return this.total + (this.startedAt >= 0 ? now - this.startedAt : 0);
  }
}
