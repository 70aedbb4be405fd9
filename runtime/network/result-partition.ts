import type { Cancel, Clock } from '../../rm/common/clock.ts';
import { DataOutputView } from './data-output-view.ts';
import { IOCounters } from './io-counters.ts';
import type { LocalBufferPool } from './local-buffer-pool.ts';
import { NetworkBuffer } from './network-buffer.ts';
import type { RecordSerializer } from './record-serializer.ts';
import type { ResultPartitionWriter } from './result-partition-writer.ts';
import { ResultSubpartition } from './result-subpartition.ts';
import { ELEMENT_HEADER_BYTES, ElementKind, END_OF_PARTITION, NO_TIMESTAMP, type LatencyMarker, type NetworkEvent } from './channel-element.ts';
import { BUFFER_FRAME_HEADER_BYTES } from './wire-frame.ts';

export interface ResultPartitionOptions<T> {
  readonly id: string;
  readonly numSubpartitions: number;
  readonly pool: LocalBufferPool;
  readonly serializer: RecordSerializer<T>;
  readonly clock: Clock;
  /** 0 = flush after every record, < 0 = only full buffers are sent. */
  readonly bufferTimeoutMs: number;
  readonly counters?: IOCounters;
}

const EMPTY = Buffer.alloc(0);
const EMPTY_VIEW = new DataView(new ArrayBuffer(0));

/**
 * The output of one producing subtask: one subpartition per consuming subtask. The task picks the
 * subpartition (its partitioner) and calls {@link emitRecord}; records are serialised straight into
 * that subpartition's current buffer, which is queued when full or when the buffer timeout fires.
 *
 * Back-pressure contract: every emit returns whether another buffer is available. When it returns
 * false the task must `await availability()` before emitting again (the record just given was
 * accepted). A task that keeps emitting anyway gets overdraft buffers, counted in the pool.
 */
export class ResultPartition<T = unknown> implements ResultPartitionWriter<T> {
  readonly id: string;
  readonly subpartitions: readonly ResultSubpartition[];
  readonly pool: LocalBufferPool;
  readonly counters: IOCounters;
  private readonly serializer: RecordSerializer<T>;
  private readonly clock: Clock;
  private readonly bufferTimeoutMs: number;
  private readonly writers: DataOutputView[] = [];
  private readonly current: (NetworkBuffer | null)[] = [];
  private flushScheduled = false;
  private cancelFlush: Cancel | null = null;
  private finished = false;
  private released = false;
  private consumedCount = 0;
  private resolveConsumed: () => void = () => {};
  private readonly consumed: Promise<void>;
  private scratch: DataOutputView | null = null;
  private readonly onFlushTimer = (): void => {
    this.flushScheduled = false;
    this.cancelFlush = null;
    this.flushAll();
  };

  constructor(options: ResultPartitionOptions<T>) {
    this.id = options.id;
    this.pool = options.pool;
    this.serializer = options.serializer;
    this.clock = options.clock;
    this.bufferTimeoutMs = options.bufferTimeoutMs;
    this.counters = options.counters ?? new IOCounters();
    this.consumed = new Promise<void>((resolve) => {
      this.resolveConsumed = resolve;
    });
    const subpartitions: ResultSubpartition[] = [];
    const onConsumed = (): void => this.onSubpartitionConsumed();
    for (let i = 0; i < options.numSubpartitions; i++) {
      subpartitions.push(new ResultSubpartition(i, onConsumed));
      this.writers.push(new DataOutputView(EMPTY));
      this.writers[i]!.limit = 0;
      this.current.push(null);
    }
    this.subpartitions = subpartitions;
  }

  get numSubpartitions(): number {
    return this.subpartitions.length;
  }

  /** Whether the next buffer is available; when false, await {@link availability} before emitting. */
  isAvailable(): boolean {
    return this.pool.isAvailable();
  }

  availability(): Promise<void> {
    return this.pool.availability();
  }

  /** The hot path: serialise into the target's buffer; no allocation, no timer, no I/O. */
  emitRecord(record: T, target: number, timestamp: number = NO_TIMESTAMP): boolean {
    const out = this.writers[target];
    if (out === undefined) throw new RangeError(`no subpartition ${target} in ${this.id} (${this.writers.length} subpartitions)`);
    if (timestamp !== NO_TIMESTAMP) {
      this.writeElement(target, ElementKind.TIMESTAMPED_RECORD, record, timestamp);
      this.counters.numRecordsOut++;
      return this.pool.isAvailable();
    }
    const start = out.pos;
    if (start + ELEMENT_HEADER_BYTES < out.limit) {
      out.pos = start + ELEMENT_HEADER_BYTES;
      this.serializer.serialize(record, out);
      if (!out.overflow) {
        out.view.setUint32(start, out.pos - start - 4);
        out.bytes[start + 4] = ElementKind.RECORD;
        this.counters.numRecordsOut++;
        this.afterWrite(target);
        return this.pool.isAvailable();
      }
      out.overflow = false;
      out.pos = start;
    }
    this.writeSlow(target, ElementKind.RECORD, record);
    this.counters.numRecordsOut++;
    this.afterWrite(target);
    return this.pool.isAvailable();
  }

  broadcastRecord(record: T, timestamp: number = NO_TIMESTAMP): boolean {
    for (let i = 0; i < this.writers.length; i++) this.emitRecord(record, i, timestamp);
    return this.pool.isAvailable();
  }

  /** Watermarks go to every consumer, in line with the records (they need buffer space too). */
  emitWatermark(timestamp: number): boolean {
    for (let i = 0; i < this.writers.length; i++) this.writeElement(i, ElementKind.WATERMARK, timestamp);
    return this.pool.isAvailable();
  }

  emitWatermarkStatus(idle: boolean): boolean {
    for (let i = 0; i < this.writers.length; i++) this.writeElement(i, ElementKind.WATERMARK_STATUS, idle ? 1 : 0);
    return this.pool.isAvailable();
  }

  emitLatencyMarker(marker: LatencyMarker, target: number): boolean {
    this.writeElement(target, ElementKind.LATENCY_MARKER, marker);
    return this.pool.isAvailable();
  }

  /**
   * Events to every consumer. A normal event first flushes the data written before it (FIFO, as an
   * aligned barrier must be); a priority event goes to the head of each queue, ahead of data.
   */
  broadcastEvent(event: NetworkEvent, priority = false): void {
    this.checkWritable();
    const buffer = NetworkBuffer.forEvent(event);
    for (let i = 0; i < this.subpartitions.length; i++) {
      if (priority) {
        this.subpartitions[i]!.addPriorityEvent(buffer);
      } else {
        this.finishBuffer(i);
        this.subpartitions[i]!.add(buffer);
      }
    }
  }

  /** Queues every partly filled buffer (the buffer timeout does this on its own). */
  flushAll(): void {
    for (let i = 0; i < this.current.length; i++) this.finishBuffer(i);
  }

  /** Flushes and sends end-of-partition; the consumers finish once they have read it. */
  finish(): void {
    this.broadcastEvent(END_OF_PARTITION);
    this.finished = true;
    this.stopFlushTimer();
  }

  /** Resolves when every consumer has taken the end of the partition. */
  whenConsumed(): Promise<void> {
    return this.consumed;
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** Share of the partition's buffer budget in use (Flink's outPoolUsage). */
  get bufferPoolUsage(): number {
    return this.pool.usedBuffers / this.pool.maxBuffers;
  }

  /** Buffers queued for sending, over all subpartitions (Flink's outputQueueLength). */
  get queuedBuffers(): number {
    let n = 0;
    for (const s of this.subpartitions) n += s.queuedBuffers;
    return n;
  }

  /** Cancel or failure: drops queued data and tells consumers why. */
  release(cause: Error = new Error(`result partition ${this.id} released`)): void {
    if (this.released) return;
    this.released = true;
    this.stopFlushTimer();
    for (let i = 0; i < this.current.length; i++) {
      const buffer = this.current[i];
      if (buffer) {
        this.current[i] = null;
        this.writers[i]!.reset(EMPTY, EMPTY_VIEW, 0, 0);
        buffer.recycle();
      }
    }
    for (const s of this.subpartitions) s.release(cause);
    this.pool.destroy();
  }

  private afterWrite(target: number): void {
    if (this.bufferTimeoutMs === 0) this.finishBuffer(target);
    else if (!this.flushScheduled && this.bufferTimeoutMs > 0) {
      // One timer per partition, armed by the first unflushed record.
      this.flushScheduled = true;
      this.cancelFlush = this.clock.schedule(this.bufferTimeoutMs, this.onFlushTimer);
    }
  }

  private writeElement(target: number, kind: ElementKind, value: unknown, timestamp = NO_TIMESTAMP): void {
    const out = this.writers[target];
    if (out === undefined) throw new RangeError(`no subpartition ${target} in ${this.id}`);
    if (!this.tryWrite(out, kind, value, timestamp)) this.writeSlow(target, kind, value, timestamp);
    this.afterWrite(target);
  }

  private tryWrite(out: DataOutputView, kind: ElementKind, value: unknown, timestamp: number): boolean {
    const start = out.pos;
    if (start + ELEMENT_HEADER_BYTES > out.limit) return false;
    out.pos = start + ELEMENT_HEADER_BYTES;
    switch (kind) {
      case ElementKind.RECORD:
        this.serializer.serialize(value as T, out);
        break;
      case ElementKind.TIMESTAMPED_RECORD:
        out.writeF64(timestamp);
        this.serializer.serialize(value as T, out);
        break;
      case ElementKind.WATERMARK:
        out.writeF64(value as number);
        break;
      case ElementKind.WATERMARK_STATUS:
        out.writeU8(value as number);
        break;
      case ElementKind.LATENCY_MARKER: {
        const marker = value as LatencyMarker;
        out.writeF64(marker.markedTime);
        out.writeString(marker.sourceId);
        out.writeI32(marker.subtaskIndex);
        break;
      }
    }
    if (out.overflow) {
      out.overflow = false;
      out.pos = start;
      return false;
    }
    out.view.setUint32(start, out.pos - start - 4);
    out.bytes[start + 4] = kind;
    return true;
  }

  /** The current buffer is full (or there is none): queue it, take another, and retry. */
  private writeSlow(target: number, kind: ElementKind, value: unknown, timestamp = NO_TIMESTAMP): void {
    this.checkWritable();
    this.finishBuffer(target);
    const out = this.writers[target]!;
    const buffer = this.current[target] ?? this.acquireBuffer(target);
    if (this.tryWrite(out, kind, value, timestamp)) return;
    // Larger than a whole buffer: serialise into scratch memory and send it as one oversized buffer.
    const scratch = (this.scratch ??= new DataOutputView(Buffer.allocUnsafe(2 * buffer.segment.length), true));
    scratch.pos = BUFFER_FRAME_HEADER_BYTES;
    scratch.overflow = false;
    this.tryWrite(scratch, kind, value, timestamp);
    buffer.attachOversized(Buffer.from(scratch.bytes.subarray(0, scratch.pos)));
    out.reset(buffer.bytes, buffer.view, scratch.pos, scratch.pos);
    this.finishBuffer(target);
    if (scratch.bytes.length > 4 * buffer.segment.length) this.scratch = null;
  }

  private acquireBuffer(target: number): NetworkBuffer {
    const buffer = this.pool.requestBuffer() ?? this.pool.requestOverdraftBuffer();
    buffer.start = BUFFER_FRAME_HEADER_BYTES;
    buffer.size = BUFFER_FRAME_HEADER_BYTES;
    this.current[target] = buffer;
    this.writers[target]!.reset(buffer.bytes, buffer.view, BUFFER_FRAME_HEADER_BYTES, buffer.bytes.length);
    return buffer;
  }

  private finishBuffer(target: number): void {
    const buffer = this.current[target];
    if (!buffer) return;
    const out = this.writers[target]!;
    if (out.pos === buffer.start) return; // nothing written yet: keep it for the next record
    buffer.size = out.pos;
    this.current[target] = null;
    out.reset(EMPTY, EMPTY_VIEW, 0, 0);
    this.counters.numBytesOut += buffer.size - buffer.start;
    this.counters.numBuffersOut++;
    this.subpartitions[target]!.add(buffer);
  }

  private checkWritable(): void {
    if (this.finished) throw new Error(`result partition ${this.id} is finished`);
    if (this.released) throw new Error(`result partition ${this.id} is released`);
  }

  private stopFlushTimer(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
    this.flushScheduled = false;
  }

  private onSubpartitionConsumed(): void {
    if (++this.consumedCount < this.subpartitions.length) return;
    this.resolveConsumed();
    // Nothing more will be written; buffers still in flight return their segments as they come back.
    this.pool.destroy();
  }
}
