import { DEFAULT_AUTO_WATERMARK_INTERVAL_MS, type ExecutionSettings } from '../streaming/user-code.ts';

/**
 * Flink's ExecutionConfig, the part that shapes how tasks run: object reuse and the periodic
 * watermark interval. The job file sets it in main(), and every process runs main(), so tasks find
 * the same settings in the job's user code.
 */
export class ExecutionConfig {
  private objectReuse = false;
  private autoWatermarkInterval = DEFAULT_AUTO_WATERMARK_INTERVAL_MS;

  /** Chained operators then share record objects instead of each getting a copy. */
  enableObjectReuse(): this {
    this.objectReuse = true;
    return this;
  }

  disableObjectReuse(): this {
    this.objectReuse = false;
    return this;
  }

  isObjectReuseEnabled(): boolean {
    return this.objectReuse;
  }

  /** `pipeline.auto-watermark-interval` in ms; 0 disables periodic watermarks, as in Flink. */
  setAutoWatermarkInterval(intervalMs: number): this {
    if (!Number.isFinite(intervalMs) || intervalMs < 0) throw new Error(`pipeline.auto-watermark-interval must be >= 0 ms, got ${intervalMs}`);
    this.autoWatermarkInterval = intervalMs;
    return this;
  }

  getAutoWatermarkInterval(): number {
    return this.autoWatermarkInterval;
  }

  /** @internal What the tasks read. */
  toSettings(): ExecutionSettings {
    return { objectReuse: this.objectReuse, autoWatermarkInterval: this.autoWatermarkInterval };
  }
}
