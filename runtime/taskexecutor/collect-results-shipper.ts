import type { Cancel, Clock } from '../../rm/common/clock.ts';
import type { CollectOutput } from '../streaming/collect-output.ts';

/** Ships one batch of a collect sink's records to the JobManager (addCollectResults). */
export type CollectResultsSender = (sinkName: string, records: readonly unknown[]) => Promise<void>;

export const COLLECT_FLUSH_INTERVAL_MS = 100;
export const COLLECT_MAX_BATCH = 10_000;
/** Records batched or on their way before the task is held back (a slow JobManager back-pressures the sink). */
export const COLLECT_MAX_PENDING = 50_000;

/**
 * A task's collect sinks in a TaskManager: records are batched per sink name and shipped at least
 * every {@link COLLECT_FLUSH_INTERVAL_MS}, when a batch is full, and when the sink finishes.
 * Batches go out one at a time, in order; the first failure fails the task at {@link close}.
 */
export class CollectResultsShipper implements CollectOutput {
  private readonly send: CollectResultsSender;
  private readonly clock: Clock;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly batches = new Map<string, unknown[]>();
  private lastName: string | null = null;
  private lastBatch: unknown[] | null = null;
  private sending: Promise<void> = Promise.resolve();
  private failure: unknown = undefined;
  private cancelTimer: Cancel | null = null;
  private discarded = false;
  private pending = 0;
  private waiters: (() => void)[] = [];
  private readonly onTimer = (): void => {
    this.cancelTimer = null;
    this.flushAll();
  };

  constructor(send: CollectResultsSender, clock: Clock, flushIntervalMs = COLLECT_FLUSH_INTERVAL_MS, maxBatch = COLLECT_MAX_BATCH) {
    this.send = send;
    this.clock = clock;
    this.flushIntervalMs = flushIntervalMs;
    this.maxBatch = maxBatch;
  }

  collect(sinkName: string, _subtaskIndex: number, record: unknown): void {
    let batch = this.lastName === sinkName ? this.lastBatch : this.batches.get(sinkName);
    if (!batch) {
      batch = [];
      this.batches.set(sinkName, batch);
    }
    this.lastName = sinkName;
    this.lastBatch = batch;
    batch.push(record);
    this.pending++;
    if (batch.length >= this.maxBatch) this.ship(sinkName);
    else if (this.cancelTimer === null && !this.discarded) this.cancelTimer = this.clock.schedule(this.flushIntervalMs, this.onTimer);
  }

  finish(sinkName: string): void {
    this.ship(sinkName);
  }

  /** False while too many records wait to be shipped; the task loop then awaits {@link availability}. */
  isAvailable(): boolean {
    // After a failure nothing is shipped any more; let the task run into close(), which throws it.
    return this.pending < COLLECT_MAX_PENDING || this.failure !== undefined;
  }

  availability(): Promise<void> {
    if (this.isAvailable()) return Promise.resolve();
    this.flushAll();
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Ships whatever is batched. */
  flushAll(): void {
    for (const name of this.batches.keys()) this.ship(name);
  }

  /** Ships the rest and waits until every batch was delivered; throws the first delivery failure. */
  async close(): Promise<void> {
    this.flushAll();
    this.stopTimer();
    await this.sending;
    if (this.failure !== undefined) throw this.failure instanceof Error ? this.failure : new Error(`collect results could not be shipped: ${JSON.stringify(this.failure)}`);
  }

  /** Cancel or failure: drop what was not shipped yet. */
  discard(): void {
    this.discarded = true;
    this.stopTimer();
    this.batches.clear();
    this.lastName = null;
    this.lastBatch = null;
    this.pending = 0;
    this.wakeWaiters();
  }

  private ship(sinkName: string): void {
    const batch = this.batches.get(sinkName);
    if (!batch || batch.length === 0 || this.discarded) return;
    const fresh: unknown[] = [];
    this.batches.set(sinkName, fresh);
    if (this.lastName === sinkName) this.lastBatch = fresh;
    this.sending = this.sending.then(async () => {
      if (this.failure !== undefined || this.discarded) {
        this.pending -= batch.length;
        this.wakeWaiters();
        return;
      }
      try {
        await this.send(sinkName, batch);
      } catch (err) {
        this.failure = err;
      } finally {
        this.pending -= batch.length;
        if (this.isAvailable()) this.wakeWaiters();
      }
    });
  }

  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }
}
