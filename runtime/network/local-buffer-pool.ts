import { AVAILABLE, AvailabilityNotifier } from './availability-notifier.ts';
import { NetworkBuffer, type BufferRecycler } from './network-buffer.ts';
import type { NetworkBufferPool } from './network-buffer-pool.ts';

/** Offered a buffer that was just recycled; returns false to let the next listener have it. */
export interface BufferListener {
  notifyBufferAvailable(buffer: NetworkBuffer): boolean;
}

/**
 * The buffers of one result partition (output) or one gate's floating buffers (input), between
 * `min` (reserved up front) and `max` (grown lazily from the TaskManager pool). Its availability
 * is what back-pressures a writer.
 */
export class LocalBufferPool implements BufferRecycler {
  readonly maxBuffers: number;
  private readonly global: NetworkBufferPool;
  private readonly free: NetworkBuffer[] = [];
  private readonly listeners: BufferListener[] = [];
  private readonly notifier = new AvailabilityNotifier();
  /** Segments owned by this pool, in use or free. */
  private owned = 0;
  /** Buffers handed out beyond `max` when a writer had to finish a record with no buffer left. */
  private overdraft = 0;
  private maxOverdraftSeen = 0;
  private destroyed = false;

  constructor(global: NetworkBufferPool, minBuffers: number, maxBuffers: number, what: string) {
    this.global = global;
    this.maxBuffers = Math.max(minBuffers, maxBuffers);
    for (const segment of global.requestSegments(minBuffers, what)) {
      this.free.push(new NetworkBuffer(segment, this));
      this.owned++;
    }
  }

  /** Buffers currently handed out (the memory this pool has in flight). */
  get usedBuffers(): number {
    return this.owned - this.free.length + this.overdraft;
  }

  get overdraftBuffers(): number {
    return this.overdraft;
  }

  /** Highest number of overdraft buffers held at once; stays 0 while writers respect availability. */
  get maxOverdraftBuffers(): number {
    return this.maxOverdraftSeen;
  }

  isAvailable(): boolean {
    return this.free.length > 0 || (this.owned < this.maxBuffers && this.global.availableSegments > 0);
  }

  /** Resolves when a buffer may be available; callers re-check {@link isAvailable}. */
  availability(): Promise<void> {
    return this.isAvailable() ? AVAILABLE : this.notifier.wait();
  }

  requestBuffer(): NetworkBuffer | null {
    const buffer = this.free.pop();
    if (buffer !== undefined) return buffer;
    if (this.owned >= this.maxBuffers || this.destroyed) return null;
    const segment = this.global.requestSegment();
    if (segment === null) return null;
    this.owned++;
    return new NetworkBuffer(segment, this);
  }

  /**
   * A buffer outside the budget. Writers take one only to finish a record they already started
   * (a flatMap emitting many records for one input cannot block in JS); it is dropped on recycle,
   * so the pool returns to its bound.
   */
  requestOverdraftBuffer(): NetworkBuffer {
    this.overdraft++;
    if (this.overdraft > this.maxOverdraftSeen) this.maxOverdraftSeen = this.overdraft;
    const buffer = new NetworkBuffer(Buffer.allocUnsafe(this.global.segmentSize), this);
    buffer.overdraft = true;
    return buffer;
  }

  addListener(listener: BufferListener): void {
    if (!this.listeners.includes(listener)) this.listeners.push(listener);
  }

  removeListener(listener: BufferListener): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  recycle(buffer: NetworkBuffer): void {
    buffer.reset();
    buffer.recycler = this;
    if (buffer.overdraft) {
      this.overdraft--;
      return;
    }
    if (this.destroyed) {
      this.owned--;
      this.global.recycleSegment(buffer.segment);
      return;
    }
    while (this.listeners.length > 0) {
      const listener = this.listeners.shift()!;
      if (listener.notifyBufferAvailable(buffer)) return;
    }
    this.free.push(buffer);
    this.notifier.notify();
  }

  /** Returns free segments to the TaskManager now, in-use ones when they come back. */
  destroy(): void {
    this.destroyed = true;
    this.listeners.length = 0;
    for (const buffer of this.free) this.global.recycleSegment(buffer.segment);
    this.owned -= this.free.length;
    this.free.length = 0;
    this.notifier.notify();
  }
}
