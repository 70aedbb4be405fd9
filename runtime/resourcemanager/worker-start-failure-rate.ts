/**
 * Start failures of workers over the last minute (Flink's ThresholdMeter for
 * `resourcemanager.start-worker.max-failure-rate`, failures per minute). When the rate is
 * reached the ResourceManager pauses worker creation for `resourcemanager.start-worker.retry-interval`.
 */
export class WorkerStartFailureRate {
  private readonly maxPerMinute: number;
  private failures: number[] = [];

  constructor(maxPerMinute: number) {
    this.maxPerMinute = maxPerMinute;
  }

  /** Records a failure at `now`; true when the failures of the last minute reach the maximum. */
  record(now: number): boolean {
    this.failures.push(now);
    return this.exceeded(now);
  }

  exceeded(now: number): boolean {
    this.failures = this.failures.filter((t) => now - t < 60_000);
    return this.failures.length >= this.maxPerMinute;
  }

  /** Failures per minute right now (Flink's `startWorkerFailureRate` metric, per minute). */
  rate(now: number): number {
    this.exceeded(now);
    return this.failures.length;
  }
}
