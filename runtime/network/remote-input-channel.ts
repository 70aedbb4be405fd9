import type { InputChannel, InputChannelOwner } from './input-channel.ts';
import type { BufferListener, LocalBufferPool } from './local-buffer-pool.ts';
import { NetworkBuffer, type BufferRecycler } from './network-buffer.ts';
import type { NetworkBufferPool } from './network-buffer-pool.ts';
import type { NetworkEvent } from './channel-element.ts';

/** The consumer side of one TaskManager connection, as a remote channel uses it. */
export interface RemoteChannelConnection {
  /** Sends the partition request; returns the channel id frames for this channel will carry. */
  requestSubpartition(channel: RemoteInputChannel, partitionId: string, subpartitionIndex: number, initialCredit: number): number;
  /** The channel has unannounced credit; the connection collects it with takeUnannouncedCredit(). */
  notifyCreditAvailable(channel: RemoteInputChannel): void;
  cancelRequest(channelId: number): void;
}

export interface RemoteInputChannelOptions {
  readonly owner: InputChannelOwner;
  readonly channelIndex: number;
  readonly connection: RemoteChannelConnection;
  readonly partitionId: string;
  readonly subpartitionIndex: number;
  readonly globalPool: NetworkBufferPool;
  readonly exclusiveBuffers: number;
  readonly floatingPool: LocalBufferPool | null;
}

/**
 * A channel fed over TCP, with Flink's credit-based flow control: every free buffer this channel
 * holds is one credit the producer may spend. Exclusive buffers are the guaranteed minimum; when
 * the producer reports a backlog, floating buffers are borrowed from the gate so a busy channel
 * can receive more, and given back once the backlog is gone.
 */
export class RemoteInputChannel implements InputChannel, BufferRecycler, BufferListener {
  readonly channelIndex: number;
  private readonly owner: InputChannelOwner;
  private readonly connection: RemoteChannelConnection;
  private readonly partitionId: string;
  private readonly subpartitionIndex: number;
  private readonly globalPool: NetworkBufferPool;
  private readonly floatingPool: LocalBufferPool | null;
  private readonly initialCredit: number;
  /** Free buffers ready to receive into; their number is the credit given to the producer. */
  private readonly free: NetworkBuffer[] = [];
  private readonly received: NetworkBuffer[] = [];
  private unannouncedCredit = 0;
  private expectedSeq = 0;
  private senderBacklog = 0;
  private waitingForFloating = false;
  private channelId = -1;
  private released = false;

  constructor(options: RemoteInputChannelOptions) {
    this.owner = options.owner;
    this.channelIndex = options.channelIndex;
    this.connection = options.connection;
    this.partitionId = options.partitionId;
    this.subpartitionIndex = options.subpartitionIndex;
    this.globalPool = options.globalPool;
    this.floatingPool = options.floatingPool;
    this.initialCredit = options.exclusiveBuffers;
    const what = `input channel ${options.channelIndex} of ${options.partitionId}`;
    for (const segment of options.globalPool.requestSegments(options.exclusiveBuffers, what)) {
      this.free.push(new NetworkBuffer(segment, this));
    }
  }

  get id(): number {
    return this.channelId;
  }

  /** Credit the producer currently has (announced or about to be) for this channel. */
  get credit(): number {
    return this.free.length;
  }

  get queuedBuffers(): number {
    return this.received.length;
  }

  requestSubpartition(): void {
    if (this.channelId >= 0 || this.released) return;
    this.channelId = this.connection.requestSubpartition(this, this.partitionId, this.subpartitionIndex, this.free.length);
  }

  /** Called by the connection for each BUFFER frame: copies the payload into a credited buffer. */
  onBuffer(seq: number, backlog: number, data: Buffer, start: number, end: number): void {
    if (this.released) return;
    if (!this.checkSequence(seq)) return;
    const buffer = this.free.pop();
    if (buffer === undefined) {
      this.onError(new Error(`producer of ${this.partitionId}[${this.subpartitionIndex}] sent a buffer without credit`));
      return;
    }
    const length = end - start;
    if (length > buffer.segment.length) buffer.attachOversized(Buffer.allocUnsafe(length));
    data.copy(buffer.bytes, 0, start, end);
    buffer.start = 0;
    buffer.size = length;
    this.enqueue(buffer);
    this.onSenderBacklog(backlog);
  }

  onEvent(seq: number, event: NetworkEvent): void {
    if (this.released || !this.checkSequence(seq)) return;
    const buffer = NetworkBuffer.forEvent(event);
    // An unaligned barrier overtakes the data received before it, here as on the producer side.
    if (event.type === 'checkpoint-barrier' && event.options.alignment === 'UNALIGNED' && this.received.length > 0) {
      this.received.unshift(buffer);
      return;
    }
    this.enqueue(buffer);
  }

  onError(cause: Error): void {
    if (this.released) return;
    this.owner.notifyChannelError(this.channelIndex, cause);
  }

  pollNext(): NetworkBuffer | null {
    return this.received.shift() ?? null;
  }

  hasNext(): boolean {
    return this.received.length > 0;
  }

  /** Returns the credit that was not yet sent to the producer and marks it as sent. */
  takeUnannouncedCredit(): number {
    const n = this.unannouncedCredit;
    this.unannouncedCredit = 0;
    return n;
  }

  /** The gate is done with a received buffer: it becomes credit again (or goes back to the gate). */
  recycle(buffer: NetworkBuffer): void {
    const floating = buffer.floating;
    buffer.reset();
    if (this.released) {
      this.giveBack(buffer, floating);
      return;
    }
    if (floating && this.free.length >= this.senderBacklog + this.initialCredit) {
      this.giveBack(buffer, true);
      return;
    }
    buffer.floating = floating;
    this.addCredit(buffer);
  }

  notifyBufferAvailable(buffer: NetworkBuffer): boolean {
    this.waitingForFloating = false;
    if (this.released || this.free.length >= this.senderBacklog + this.initialCredit) return false;
    buffer.floating = true;
    buffer.recycler = this;
    this.addCredit(buffer);
    this.requestFloatingBuffers();
    return true;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.floatingPool?.removeListener(this);
    for (const buffer of this.received.splice(0)) buffer.recycle();
    for (const buffer of this.free.splice(0)) this.giveBack(buffer, buffer.floating);
    if (this.channelId >= 0) this.connection.cancelRequest(this.channelId);
  }

  private enqueue(buffer: NetworkBuffer): void {
    this.received.push(buffer);
    if (this.received.length === 1) this.owner.notifyChannelNonEmpty(this.channelIndex);
  }

  private checkSequence(seq: number): boolean {
    if (seq === this.expectedSeq) {
      this.expectedSeq = (this.expectedSeq + 1) >>> 0;
      return true;
    }
    this.onError(new Error(`buffer out of order on ${this.partitionId}[${this.subpartitionIndex}]: expected ${this.expectedSeq}, got ${seq}`));
    return false;
  }

  /** Flink: a channel wants backlog + initialCredit free buffers; the rest come from the gate. */
  private onSenderBacklog(backlog: number): void {
    this.senderBacklog = backlog;
    this.requestFloatingBuffers();
  }

  private requestFloatingBuffers(): void {
    const pool = this.floatingPool;
    if (pool === null || this.waitingForFloating) return;
    while (this.free.length < this.senderBacklog + this.initialCredit) {
      const buffer = pool.requestBuffer();
      if (buffer === null) {
        this.waitingForFloating = true;
        pool.addListener(this);
        return;
      }
      buffer.floating = true;
      buffer.recycler = this;
      this.addCredit(buffer);
    }
  }

  private addCredit(buffer: NetworkBuffer): void {
    this.free.push(buffer);
    if (this.unannouncedCredit++ === 0) this.connection.notifyCreditAvailable(this);
  }

  private giveBack(buffer: NetworkBuffer, floating: boolean): void {
    if (floating && this.floatingPool !== null) this.floatingPool.recycle(buffer);
    else this.globalPool.recycleSegment(buffer.segment);
  }
}
