import type { NetworkEvent } from './channel-element.ts';

/** Where a buffer goes back to when its consumer is done with it. */
export interface BufferRecycler {
  recycle(buffer: NetworkBuffer): void;
}

/**
 * One network buffer: a fixed memory segment plus a payload range [start, size). Data buffers are
 * pooled and reused; an event is a buffer with an `event` and no bytes, outside every pool, so
 * events never compete with data for memory.
 */
export class NetworkBuffer {
  /** The pooled segment; `bytes` differs only while an oversized record is attached. */
  readonly segment: Buffer;
  bytes: Buffer;
  view: DataView;
  start = 0;
  size = 0;
  event: NetworkEvent | null = null;
  recycler: BufferRecycler | null;
  /** Set while a gate's floating buffer is lent to a channel. */
  floating = false;
  /** Allocated beyond its pool's budget; dropped instead of reused. */
  overdraft = false;

  constructor(segment: Buffer, recycler: BufferRecycler | null) {
    this.segment = segment;
    this.bytes = segment;
    this.view = viewOf(segment);
    this.recycler = recycler;
  }

  static forEvent(event: NetworkEvent): NetworkBuffer {
    const buffer = new NetworkBuffer(EMPTY, null);
    buffer.event = event;
    return buffer;
  }

  get isEvent(): boolean {
    return this.event !== null;
  }

  get payloadBytes(): number {
    return this.size - this.start;
  }

  /** Replaces the segment with a larger array for one record that does not fit a buffer. */
  attachOversized(bytes: Buffer): void {
    this.bytes = bytes;
    this.view = viewOf(bytes);
  }

  /** Back to the pooled segment; pools call this before reuse. */
  reset(): void {
    if (this.bytes !== this.segment) {
      this.bytes = this.segment;
      this.view = viewOf(this.segment);
    }
    this.start = 0;
    this.size = 0;
    this.floating = false;
  }

  recycle(): void {
    this.recycler?.recycle(this);
  }
}

function viewOf(bytes: Buffer): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const EMPTY = Buffer.alloc(0);
