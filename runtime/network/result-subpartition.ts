import type { NetworkBuffer } from './network-buffer.ts';

/** The one consumer of a subpartition: a local input channel or a credit-based sender. */
export interface SubpartitionListener {
  /** The queue went from empty to non-empty, or a priority event was put at its head. */
  onDataAvailable(): void;
  /** The producer released the partition before finishing it (cancel or failure). */
  onReleased(cause: Error): void;
}

/**
 * The queue of finished buffers and events for one consumer subtask. Buffers are in FIFO order,
 * except priority events (unaligned barriers), which jump the data queued ahead of them.
 */
export class ResultSubpartition {
  readonly index: number;
  private readonly queue: NetworkBuffer[] = [];
  private dataBuffers = 0;
  private listener: SubpartitionListener | null = null;
  private endOfPartitionTaken = false;
  private released = false;
  private readonly onConsumed: () => void;

  constructor(index: number, onConsumed: () => void) {
    this.index = index;
    this.onConsumed = onConsumed;
  }

  /** Data buffers waiting to be sent: the "backlog" a sender announces to its consumer. */
  get backlog(): number {
    return this.dataBuffers;
  }

  get queuedBuffers(): number {
    return this.queue.length;
  }

  get isReleased(): boolean {
    return this.released;
  }

  get isConsumed(): boolean {
    return this.endOfPartitionTaken;
  }

  add(buffer: NetworkBuffer): void {
    if (this.released) {
      buffer.recycle();
      return;
    }
    const wasEmpty = this.queue.length === 0;
    this.queue.push(buffer);
    if (buffer.event === null) this.dataBuffers++;
    if (wasEmpty) this.listener?.onDataAvailable();
  }

  addPriorityEvent(buffer: NetworkBuffer): void {
    if (this.released) return;
    this.queue.unshift(buffer);
    this.listener?.onDataAvailable();
  }

  /** Whether the head may be sent: data needs a credit, events do not. */
  isAvailable(credit: number): boolean {
    const head = this.queue[0];
    return head !== undefined && (credit > 0 || head.event !== null);
  }

  isNextEvent(): boolean {
    const head = this.queue[0];
    return head !== undefined && head.event !== null;
  }

  poll(): NetworkBuffer | null {
    const buffer = this.queue.shift();
    if (buffer === undefined) return null;
    if (buffer.event === null) this.dataBuffers--;
    else if (buffer.event.type === 'end-of-partition') {
      this.endOfPartitionTaken = true;
      this.onConsumed();
    }
    return buffer;
  }

  subscribe(listener: SubpartitionListener): void {
    if (this.listener !== null) throw new Error(`subpartition ${this.index} already has a consumer`);
    this.listener = listener;
    if (this.queue.length > 0) listener.onDataAvailable();
  }

  /**
   * The consumer went away. If it left before the end of the partition (cancelled), what it did
   * not take and whatever the producer still writes is dropped, so the producer is not blocked on
   * buffers nobody will recycle.
   */
  unsubscribe(listener: SubpartitionListener): void {
    if (this.listener !== listener) return;
    this.listener = null;
    if (!this.endOfPartitionTaken) {
      this.released = true;
      this.drop();
    }
  }

  release(cause: Error): void {
    if (this.released) return;
    this.released = true;
    this.drop();
    const listener = this.listener;
    this.listener = null;
    listener?.onReleased(cause);
  }

  private drop(): void {
    for (const buffer of this.queue.splice(0)) buffer.recycle();
    this.dataBuffers = 0;
  }
}
