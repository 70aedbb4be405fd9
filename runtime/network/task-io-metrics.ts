import { every, type Cancel, type Clock } from '../../rm/common/clock.ts';
import { IOCounters } from './io-counters.ts';
import { TimerGauge } from './timer-gauge.ts';

/** What the metrics read from a task's gates and partitions (kept structural to avoid cycles). */
export interface QueueProbe {
  readonly queuedBuffers: number;
  readonly bufferPoolUsage?: number;
}

export interface TaskIOMetricsSnapshot {
  readonly busyTimeMsPerSecond: number;
  readonly idleTimeMsPerSecond: number;
  readonly backPressuredTimeMsPerSecond: number;
  readonly accumulatedBusyTime: number;
  readonly accumulatedIdleTime: number;
  readonly accumulatedBackPressuredTime: number;
  readonly numRecordsIn: number;
  readonly numRecordsOut: number;
  readonly numBytesIn: number;
  readonly numBytesOut: number;
  readonly numRecordsInPerSecond: number;
  readonly numRecordsOutPerSecond: number;
  readonly inputQueueLength: number;
  readonly outputQueueLength: number;
  readonly inPoolUsage: number;
  readonly outPoolUsage: number;
}

/** Flink's MetricView update interval. */
export const METRICS_UPDATE_INTERVAL_MS = 5000;

/**
 * A task's I/O metrics as Flink reports them. The task marks when it waits for input (idle) and
 * for output buffers (back-pressured); busy is the rest. Rates are per second over the last update
 * interval; `start()` updates them every {@link METRICS_UPDATE_INTERVAL_MS} on the injected clock.
 */
export class TaskIOMetrics {
  readonly counters: IOCounters;
  readonly idleTime: TimerGauge;
  readonly backPressuredTime: TimerGauge;
  private readonly clock: Clock;
  private readonly createdAt: number;
  private readonly inputs: QueueProbe[] = [];
  private readonly outputs: QueueProbe[] = [];
  private lastUpdate: number;
  private lastRecordsIn = 0;
  private lastRecordsOut = 0;
  private recordsInPerSecond = 0;
  private recordsOutPerSecond = 0;
  private updated = false;
  private stopUpdates: Cancel | null = null;

  constructor(clock: Clock, counters: IOCounters = new IOCounters()) {
    this.clock = clock;
    this.counters = counters;
    this.createdAt = clock.now();
    this.lastUpdate = this.createdAt;
    this.idleTime = new TimerGauge(this.createdAt);
    this.backPressuredTime = new TimerGauge(this.createdAt);
  }

  registerInput(gate: QueueProbe): void {
    this.inputs.push(gate);
  }

  registerOutput(partition: QueueProbe): void {
    this.outputs.push(partition);
  }

  start(intervalMs = METRICS_UPDATE_INTERVAL_MS): void {
    this.stopUpdates ??= every(this.clock, intervalMs, () => this.update());
  }

  close(): void {
    this.stopUpdates?.();
    this.stopUpdates = null;
  }

  /** Waits for `availability` and books the wait as idle time (the task has no input). */
  async waitForInput(availability: Promise<void>): Promise<void> {
    this.idleTime.markStart(this.clock.now());
    try {
      await availability;
    } finally {
      this.idleTime.markEnd(this.clock.now());
    }
  }

  /** Waits for `availability` and books the wait as back-pressure (no output buffer). */
  async waitForOutput(availability: Promise<void>): Promise<void> {
    this.backPressuredTime.markStart(this.clock.now());
    try {
      await availability;
    } finally {
      this.backPressuredTime.markEnd(this.clock.now());
    }
  }

  update(): void {
    const now = this.clock.now();
    this.idleTime.update(now);
    this.backPressuredTime.update(now);
    const seconds = (now - this.lastUpdate) / 1000;
    const c = this.counters;
    this.recordsInPerSecond = seconds > 0 ? (c.numRecordsIn - this.lastRecordsIn) / seconds : 0;
    this.recordsOutPerSecond = seconds > 0 ? (c.numRecordsOut - this.lastRecordsOut) / seconds : 0;
    this.lastRecordsIn = c.numRecordsIn;
    this.lastRecordsOut = c.numRecordsOut;
    this.lastUpdate = now;
    this.updated = true;
  }

  snapshot(): TaskIOMetricsSnapshot {
    const now = this.clock.now();
    const idle = this.idleTime.msPerSecond;
    const backPressured = this.backPressuredTime.msPerSecond;
    const accumulatedIdleTime = this.idleTime.accumulated(now);
    const accumulatedBackPressuredTime = this.backPressuredTime.accumulated(now);
    const c = this.counters;
    return {
      // As Flink: busy is what is neither idle nor back-pressured.
      busyTimeMsPerSecond: this.updated ? Math.max(0, 1000 - idle - backPressured) : 0,
      idleTimeMsPerSecond: idle,
      backPressuredTimeMsPerSecond: backPressured,
      accumulatedBusyTime: Math.max(0, now - this.createdAt - accumulatedIdleTime - accumulatedBackPressuredTime),
      accumulatedIdleTime,
      accumulatedBackPressuredTime,
      numRecordsIn: c.numRecordsIn,
      numRecordsOut: c.numRecordsOut,
      numBytesIn: c.numBytesIn,
      numBytesOut: c.numBytesOut,
      numRecordsInPerSecond: this.recordsInPerSecond,
      numRecordsOutPerSecond: this.recordsOutPerSecond,
      inputQueueLength: sum(this.inputs),
      outputQueueLength: sum(this.outputs),
      inPoolUsage: maxUsage(this.inputs),
      outPoolUsage: maxUsage(this.outputs),
    };
  }
}

function sum(probes: readonly QueueProbe[]): number {
  let n = 0;
  for (const p of probes) n += p.queuedBuffers;
  return n;
}

function maxUsage(probes: readonly QueueProbe[]): number {
  let usage = 0;
  for (const p of probes) usage = Math.max(usage, p.bufferPoolUsage ?? 0);
  return usage;
}
