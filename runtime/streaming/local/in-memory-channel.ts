import type { NetworkEvent } from '../../network/channel-element.ts';

/**
 * A FIFO of stream elements from one producer subtask to one consumer subtask in the same process:
 * a ring buffer of values with a parallel Float64Array of timestamps, so enqueueing a record
 * allocates nothing once the ring has grown. Watermarks and events (the network stack's, e.g. end of
 * partition) travel in the same FIFO, marked by a stamp no record has, so they stay in order with
 * the records.
 *
 * The capacity is soft: a producer may overshoot it within one batch (JS cannot block mid-call);
 * it checks isFull() between batches and waits on waitForSpace().
 */

/** Stamp of a watermark (the value is its timestamp); record timestamps are finite. */
export const WATERMARK_STAMP = Number.NEGATIVE_INFINITY;
/** Stamp of a {@link NetworkEvent}. */
export const EVENT_STAMP = Number.POSITIVE_INFINITY;
/** Stamp of a WatermarkStatus (the value is true for IDLE); above every safe-integer timestamp. */
export const WATERMARK_STATUS_STAMP = Number.MAX_VALUE;

export interface ChannelConsumer {
  /** The channel went from empty to non-empty. */
  notifyNonEmpty(): void;
}

export class InMemoryChannel {
  readonly capacity: number;
  private values: unknown[];
  private stamps: Float64Array;
  private mask: number;
  private head = 0;
  private count = 0;
  private consumer: ChannelConsumer | undefined;
  private spaceWaiters: (() => void)[] = [];

  constructor(capacity: number) {
    this.capacity = capacity;
    let size = 16;
    while (size < capacity) size *= 2;
    this.values = new Array<unknown>(size);
    this.stamps = new Float64Array(size);
    this.mask = size - 1;
  }

  setConsumer(consumer: ChannelConsumer): void {
    this.consumer = consumer;
  }

  get size(): number {
    return this.count;
  }

  isFull(): boolean {
    return this.count >= this.capacity;
  }

  push(value: unknown, timestamp: number): void {
    if (this.count === this.values.length) this.grow();
    const index = (this.head + this.count) & this.mask;
    this.values[index] = value;
    this.stamps[index] = timestamp;
    if (++this.count === 1) this.consumer?.notifyNonEmpty();
  }

  pushWatermark(watermark: number): void {
    this.push(watermark, WATERMARK_STAMP);
  }

  pushWatermarkStatus(idle: boolean): void {
    this.push(idle, WATERMARK_STATUS_STAMP);
  }

  pushEvent(event: NetworkEvent): void {
    this.push(event, EVENT_STAMP);
  }

  /** Timestamp of the oldest element; call only when size > 0. */
  peekStamp(): number {
    return this.stamps[this.head] as number;
  }

  /** Removes and returns the oldest element; call only when size > 0. */
  shift(): unknown {
    const index = this.head;
    const value = this.values[index];
    this.values[index] = undefined;
    this.head = (index + 1) & this.mask;
    this.count--;
    return value;
  }

  /** The consumer took elements: wake producers once the channel is at most half full. */
  notifyConsumed(): void {
    if (this.spaceWaiters.length === 0 || this.count > this.capacity >> 1) return;
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const wake of waiters) wake();
  }

  waitForSpace(): Promise<void> {
    if (!this.isFull()) return Promise.resolve();
    return new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
  }

  /** Wakes every waiting producer, e.g. when the job is cancelled. */
  releaseWaiters(): void {
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const wake of waiters) wake();
  }

  private grow(): void {
    const size = this.values.length * 2;
    const values = new Array<unknown>(size);
    const stamps = new Float64Array(size);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) & this.mask;
      values[i] = this.values[from];
      stamps[i] = this.stamps[from] as number;
    }
    this.values = values;
    this.stamps = stamps;
    this.mask = size - 1;
    this.head = 0;
  }
}
