import { AVAILABLE, AvailabilityNotifier } from './availability-notifier.ts';
import { DataInputView } from './data-input-view.ts';
import type { InputChannel, InputChannelOwner } from './input-channel.ts';
import { IOCounters } from './io-counters.ts';
import type { LocalBufferPool } from './local-buffer-pool.ts';
import type { NetworkBuffer } from './network-buffer.ts';
import type { RecordSerializer } from './record-serializer.ts';
import { ElementKind, type LatencyMarker, type NetworkEvent } from './channel-element.ts';

/**
 * Receives what the gate decodes. Returning `false` from a method stops {@link InputGate.emitNext}
 * after that element, e.g. when the task's own output became back-pressured.
 */
export interface StreamElementHandler<T> {
  /** `timestamp` absent (or NO_TIMESTAMP): the record has none. */
  processRecord(record: T, channelIndex: number, timestamp?: number): boolean | void;
  processWatermark(timestamp: number, channelIndex: number): boolean | void;
  /** The channel's WatermarkStatus changed: IDLE (true) or ACTIVE (false). */
  processWatermarkStatus?(idle: boolean, channelIndex: number): boolean | void;
  processLatencyMarker?(marker: LatencyMarker, channelIndex: number): boolean | void;
  /** Barriers, cancel markers and end-of-partition; always ends the current emitNext call. */
  processEvent(event: NetworkEvent, channelIndex: number): void;
}

/** Flink's DataInputStatus. */
export const InputStatus = {
  MORE_AVAILABLE: 'MORE_AVAILABLE',
  NOTHING_AVAILABLE: 'NOTHING_AVAILABLE',
  END_OF_INPUT: 'END_OF_INPUT',
} as const;
export type InputStatus = (typeof InputStatus)[keyof typeof InputStatus];

/**
 * What a task's input reads (Flink's IndexedInputGate as StreamTaskNetworkInput sees it): this
 * network gate in a TaskManager, in-memory channels in the LocalExecutor.
 */
export interface IndexedInputGate<T = unknown> {
  readonly numChannels: number;
  emitNext(handler: StreamElementHandler<T>, maxElements?: number): InputStatus;
  /** Resolves when emitNext may find something (data, an event, an error or the end). */
  availability(): Promise<void>;
}

export interface InputGateOptions<T> {
  readonly numChannels: number;
  readonly serializer: RecordSerializer<T>;
  readonly counters?: IOCounters;
  /** The gate's floating buffers; destroyed with the gate. */
  readonly floatingPool?: LocalBufferPool | null;
}

/**
 * The input of one consuming subtask: one channel per producing subtask. The task drains it with
 * {@link emitNext}, which decodes buffers synchronously (round robin, one buffer per channel turn)
 * and hands elements to a handler; when nothing is available it awaits {@link availability}.
 */
export class InputGate<T = unknown> implements IndexedInputGate<T>, InputChannelOwner {
  readonly counters: IOCounters;
  private readonly channels: (InputChannel | null)[];
  private readonly serializer: RecordSerializer<T>;
  private readonly floatingPool: LocalBufferPool | null;
  /** Channels with data, each at most once (Flink's inputChannelsWithData). */
  private readonly withData: number[] = [];
  private readonly queued: boolean[];
  private readonly blocked: boolean[];
  private readonly finished: boolean[];
  private numFinished = 0;
  private readonly notifier = new AvailabilityNotifier();
  private readonly input = new DataInputView();
  private current: NetworkBuffer | null = null;
  private currentChannel = -1;
  private error: Error | null = null;
  private closed = false;

  constructor(options: InputGateOptions<T>) {
    this.serializer = options.serializer;
    this.counters = options.counters ?? new IOCounters();
    this.floatingPool = options.floatingPool ?? null;
    this.channels = new Array<InputChannel | null>(options.numChannels).fill(null);
    this.queued = new Array<boolean>(options.numChannels).fill(false);
    this.blocked = new Array<boolean>(options.numChannels).fill(false);
    this.finished = new Array<boolean>(options.numChannels).fill(false);
  }

  get numChannels(): number {
    return this.channels.length;
  }

  setChannel(channel: InputChannel): void {
    if (this.channels[channel.channelIndex] !== null) throw new Error(`input channel ${channel.channelIndex} is already set`);
    this.channels[channel.channelIndex] = channel;
  }

  getChannel(index: number): InputChannel | null {
    return this.channels[index] ?? null;
  }

  /** Asks every producer for its subpartition (Flink's requestPartitions). */
  requestPartitions(): void {
    for (let i = 0; i < this.channels.length; i++) {
      const channel = this.channels[i];
      if (!channel) throw new Error(`input channel ${i} was never set`);
      channel.requestSubpartition();
    }
  }

  get isFinished(): boolean {
    return this.numFinished === this.channels.length;
  }

  /** Buffers received and not yet decoded, over all channels (Flink's inputQueueLength). */
  get queuedBuffers(): number {
    let n = this.current === null ? 0 : 1;
    for (const c of this.channels) n += c?.queuedBuffers ?? 0;
    return n;
  }

  /** Share of the gate's floating buffers in use (Flink's inPoolUsage, floating part). */
  get bufferPoolUsage(): number {
    const pool = this.floatingPool;
    return pool === null || pool.maxBuffers === 0 ? 0 : pool.usedBuffers / pool.maxBuffers;
  }

  /** Resolves when emitNext may find something (data, an event, an error or the end). */
  availability(): Promise<void> {
    if (this.current !== null || this.withData.length > 0 || this.error !== null || this.isFinished) return AVAILABLE;
    return this.notifier.wait();
  }

  /**
   * Decodes and dispatches elements until nothing is left, `maxElements` were handled, an event
   * was handled, or the handler returned false. Throws a channel's failure.
   */
  emitNext(handler: StreamElementHandler<T>, maxElements = Number.MAX_SAFE_INTEGER): InputStatus {
    let budget = maxElements;
    for (;;) {
      if (this.error !== null) throw this.error;
      if (this.current === null && !this.nextBuffer(handler)) {
        return this.isFinished ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
      }
      if (this.current === null) return InputStatus.MORE_AVAILABLE; // an event was handled
      const input = this.input;
      const channel = this.currentChannel;
      const serializer = this.serializer;
      const counters = this.counters;
      while (input.pos < input.end) {
        const start = input.pos;
        const end = start + 4 + input.view.getUint32(start);
        const kind = input.bytes[start + 4];
        input.pos = start + 5;
        let proceed: boolean | void;
        if (kind === ElementKind.RECORD) {
          counters.numRecordsIn++;
          proceed = handler.processRecord(serializer.deserialize(input), channel);
        } else if (kind === ElementKind.TIMESTAMPED_RECORD) {
          counters.numRecordsIn++;
          const timestamp = input.readF64();
          proceed = handler.processRecord(serializer.deserialize(input), channel, timestamp);
        } else if (kind === ElementKind.WATERMARK) {
          proceed = handler.processWatermark(input.readF64(), channel);
        } else if (kind === ElementKind.WATERMARK_STATUS) {
          proceed = handler.processWatermarkStatus?.(input.readU8() === 1, channel);
        } else if (kind === ElementKind.LATENCY_MARKER) {
          const marker = { markedTime: input.readF64(), sourceId: input.readString(), subtaskIndex: input.readI32() };
          proceed = handler.processLatencyMarker?.(marker, channel);
        } else {
          throw new Error(`corrupt network buffer: element kind ${kind} at byte ${start} of channel ${channel}`);
        }
        if (input.pos !== end) throw new Error(`corrupt network buffer: element at byte ${start} of channel ${channel} is ${input.pos - start - 4} bytes, header says ${end - start - 4}`);
        if (--budget <= 0 || proceed === false) {
          if (input.pos >= input.end) this.recycleCurrent();
          return InputStatus.MORE_AVAILABLE;
        }
      }
      this.recycleCurrent();
    }
  }

  /** Stops reading a channel (barrier alignment); its data stays queued, bounded by its credit. */
  blockChannel(index: number): void {
    this.blocked[index] = true;
  }

  unblockChannel(index: number): void {
    if (!this.blocked[index]) return;
    this.blocked[index] = false;
    if (this.channels[index]?.hasNext()) this.notifyChannelNonEmpty(index);
  }

  notifyChannelNonEmpty(channelIndex: number): void {
    if (this.queued[channelIndex] || this.blocked[channelIndex] || this.closed) return;
    this.queued[channelIndex] = true;
    this.withData.push(channelIndex);
    this.notifier.notify();
  }

  notifyChannelError(channelIndex: number, cause: Error): void {
    if (this.error === null && !this.finished[channelIndex]) {
      this.error = cause;
      this.notifier.notify();
    }
  }

  /** Releases every channel and buffer; call when finished or cancelled. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.recycleCurrent();
    for (const channel of this.channels) channel?.release();
    this.floatingPool?.destroy();
    this.withData.length = 0;
    this.notifier.notify();
  }

  /** Takes the next buffer in round-robin order; handles an event directly. */
  private nextBuffer(handler: StreamElementHandler<T>): boolean {
    for (;;) {
      const index = this.withData.shift();
      if (index === undefined) return false;
      this.queued[index] = false;
      if (this.blocked[index]) continue;
      const channel = this.channels[index]!;
      const buffer = channel.pollNext();
      if (buffer === null) continue;
      if (channel.hasNext()) this.notifyChannelNonEmpty(index);
      const event = buffer.event;
      if (event !== null) {
        if (event.type === 'end-of-partition') {
          this.finished[index] = true;
          this.numFinished++;
        }
        handler.processEvent(event, index);
        return true;
      }
      this.current = buffer;
      this.currentChannel = index;
      this.input.reset(buffer.bytes, buffer.view, buffer.start, buffer.size);
      this.counters.numBytesIn += buffer.size - buffer.start;
      this.counters.numBuffersIn++;
      return true;
    }
  }

  private recycleCurrent(): void {
    const buffer = this.current;
    if (buffer === null) return;
    this.current = null;
    this.currentChannel = -1;
    buffer.recycle();
  }
}
