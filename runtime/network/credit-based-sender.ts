import type { NetworkBuffer } from './network-buffer.ts';
import type { ResultSubpartition, SubpartitionListener } from './result-subpartition.ts';
import { BUFFER_FRAME_HEADER_BYTES, encodeErrorFrame, encodeEventFrame, writeBufferFrameHeader } from './wire-frame.ts';

/** The socket as the sender uses it (a net.Socket; a fake in unit tests). */
export interface FrameSink {
  write(chunk: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  cork(): void;
  uncork(): void;
  once(event: 'drain', listener: () => void): unknown;
}

/** One requested subpartition on this connection, with the credit its consumer granted. */
class SubpartitionReader implements SubpartitionListener {
  readonly channelId: number;
  readonly subpartition: ResultSubpartition;
  credit: number;
  seq = 0;
  queued = false;
  cancelled = false;
  private readonly sender: CreditBasedSender;

  constructor(sender: CreditBasedSender, channelId: number, subpartition: ResultSubpartition, credit: number) {
    this.sender = sender;
    this.channelId = channelId;
    this.subpartition = subpartition;
    this.credit = credit;
  }

  onDataAvailable(): void {
    this.sender.enqueue(this);
  }

  onReleased(cause: Error): void {
    this.sender.fail(this, cause);
  }
}

/**
 * The producer side of one TaskManager connection (Flink's PartitionRequestQueue). Serves the
 * requested subpartitions round robin, one buffer per turn, and sends a data buffer only while the
 * consumer has credit for it; events need no credit. Buffers go to the socket without a copy (the
 * frame header is written into the space reserved in front of the payload) and return to their
 * pool when the socket has taken them, so bytes queued in the socket count against the pool too.
 */
export class CreditBasedSender {
  private readonly sink: FrameSink;
  private readonly readers = new Map<number, SubpartitionReader>();
  private readonly available: SubpartitionReader[] = [];
  /** Buffers handed to the socket, in write order; write callbacks arrive in the same order. */
  private readonly inFlight: NetworkBuffer[] = [];
  private scheduled = false;
  private waitingForDrain = false;
  private closed = false;
  buffersSent = 0;
  bytesSent = 0;

  private readonly onWritten = (): void => {
    this.inFlight.shift()?.recycle();
  };
  private readonly onDrain = (): void => {
    this.waitingForDrain = false;
    this.writeAvailable();
  };
  private readonly onTick = (): void => {
    this.scheduled = false;
    this.writeAvailable();
  };

  constructor(sink: FrameSink) {
    this.sink = sink;
  }

  get numReaders(): number {
    return this.readers.size;
  }

  addReader(channelId: number, subpartition: ResultSubpartition, initialCredit: number): void {
    if (this.readers.has(channelId)) throw new Error(`channel ${channelId} requested twice on one connection`);
    const reader = new SubpartitionReader(this, channelId, subpartition, initialCredit);
    this.readers.set(channelId, reader);
    subpartition.subscribe(reader);
  }

  addCredit(channelId: number, credits: number): void {
    const reader = this.readers.get(channelId);
    if (reader === undefined) return; // cancelled meanwhile
    reader.credit += credits;
    this.enqueue(reader);
  }

  /** The consumer is done with the channel (or gone). */
  cancel(channelId: number): void {
    const reader = this.readers.get(channelId);
    if (reader === undefined) return;
    this.readers.delete(channelId);
    reader.cancelled = true;
    reader.subpartition.unsubscribe(reader);
  }

  enqueue(reader: SubpartitionReader): void {
    if (reader.queued || reader.cancelled || !reader.subpartition.isAvailable(reader.credit)) return;
    reader.queued = true;
    this.available.push(reader);
    // Deferred to the next tick: the producer usually fills several buffers before it yields, and
    // they then leave in one corked write instead of a syscall each.
    if (!this.scheduled && !this.waitingForDrain) {
      this.scheduled = true;
      process.nextTick(this.onTick);
    }
  }

  fail(reader: SubpartitionReader, cause: Error): void {
    if (this.closed || reader.cancelled) return;
    this.cancel(reader.channelId);
    this.sink.write(encodeErrorFrame(reader.channelId, cause.message));
  }

  /** The connection is gone: drop every reader and give back buffers the socket still held. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.readers.keys()]) this.cancel(id);
    this.available.length = 0;
    for (const buffer of this.inFlight.splice(0)) buffer.recycle();
  }

  private writeAvailable(): void {
    if (this.closed || this.available.length === 0) return;
    const sink = this.sink;
    sink.cork();
    try {
      while (this.available.length > 0 && !this.waitingForDrain) {
        const reader = this.available.shift()!;
        reader.queued = false;
        const subpartition = reader.subpartition;
        if (reader.cancelled || !subpartition.isAvailable(reader.credit)) continue;
        const buffer = subpartition.poll()!;
        let writable: boolean;
        if (buffer.event !== null) {
          writable = sink.write(encodeEventFrame(reader.channelId, reader.seq, buffer.event));
        } else {
          if (buffer.start !== BUFFER_FRAME_HEADER_BYTES) throw new Error('network buffer has no room for a frame header');
          reader.credit--;
          writeBufferFrameHeader(buffer.view, reader.channelId, reader.seq, subpartition.backlog, buffer.size);
          this.inFlight.push(buffer);
          this.buffersSent++;
          this.bytesSent += buffer.size;
          writable = sink.write(buffer.bytes.subarray(0, buffer.size), this.onWritten);
        }
        reader.seq = (reader.seq + 1) >>> 0;
        if (subpartition.isAvailable(reader.credit)) {
          reader.queued = true;
          this.available.push(reader);
        }
        if (!writable) {
          this.waitingForDrain = true;
          this.sink.once('drain', this.onDrain);
        }
      }
    } finally {
      sink.uncork();
    }
  }
}
