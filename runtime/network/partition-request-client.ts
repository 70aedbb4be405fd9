import type { Socket } from 'node:net';
import type { RemoteChannelConnection, RemoteInputChannel } from './remote-input-channel.ts';
import type { NetworkEvent } from './channel-element.ts';
import {
  CONNECTION_CHANNEL_ID,
  encodeCancelRequestFrame,
  encodeCloseFrame,
  encodeCreditFrame,
  encodePartitionRequestFrame,
  FrameDecoder,
  type FrameHandler,
} from './wire-frame.ts';

/**
 * The consumer side of the connection to one producing TaskManager; every remote channel reading
 * from that TaskManager shares it. Credit announcements are collected and written once per
 * microtask turn, so recycling a burst of buffers costs one corked write.
 */
export class PartitionRequestClient implements RemoteChannelConnection, FrameHandler {
  readonly address: string;
  private readonly socket: Socket;
  private readonly decoder = new FrameDecoder(this);
  private readonly channels = new Map<number, RemoteInputChannel>();
  private readonly creditPending: RemoteInputChannel[] = [];
  private creditScheduled = false;
  private nextChannelId = 0;
  private closing = false;
  private failure: Error | null = null;
  readonly closed: Promise<void>;

  private readonly flushCredits = (): void => {
    this.creditScheduled = false;
    if (this.creditPending.length === 0) return;
    this.socket.cork();
    for (const channel of this.creditPending.splice(0)) {
      const credits = channel.takeUnannouncedCredit();
      if (credits > 0 && this.channels.get(channel.id) === channel) this.write(encodeCreditFrame(channel.id, credits));
    }
    this.socket.uncork();
  };

  constructor(address: string, socket: Socket) {
    this.address = address;
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      try {
        this.decoder.push(chunk);
      } catch (err) {
        this.failAll(err instanceof Error ? err : new Error(String(err)));
        socket.destroy();
      }
    });
    socket.on('error', (err) => this.failAll(new Error(`connection to TaskManager ${address} failed: ${err.message}`)));
    this.closed = new Promise<void>((resolve) => {
      socket.once('close', () => {
        if (!this.closing) this.failAll(new Error(`connection to TaskManager ${address} closed`));
        resolve();
      });
    });
  }

  get numChannels(): number {
    return this.channels.size;
  }

  requestSubpartition(channel: RemoteInputChannel, partitionId: string, subpartitionIndex: number, initialCredit: number): number {
    const id = this.nextChannelId++;
    this.channels.set(id, channel);
    if (this.failure !== null) {
      const failure = this.failure;
      queueMicrotask(() => channel.onError(failure));
    } else {
      this.write(encodePartitionRequestFrame(id, partitionId, subpartitionIndex, initialCredit));
    }
    return id;
  }

  notifyCreditAvailable(channel: RemoteInputChannel): void {
    this.creditPending.push(channel);
    if (!this.creditScheduled) {
      this.creditScheduled = true;
      queueMicrotask(this.flushCredits);
    }
  }

  cancelRequest(channelId: number): void {
    if (this.channels.delete(channelId)) this.write(encodeCancelRequestFrame(channelId));
  }

  /** Graceful: tells the producer side nothing more will come, then waits for the socket to close. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      this.write(encodeCloseFrame());
      this.socket.end();
    }
    return this.closed;
  }

  /** Immediate, for shutdown after failures. */
  destroy(): void {
    this.closing = true;
    this.socket.destroy();
  }

  onBuffer(channelId: number, seq: number, backlog: number, data: Buffer, start: number, end: number): void {
    this.channels.get(channelId)?.onBuffer(seq, backlog, data, start, end);
  }

  onEvent(channelId: number, seq: number, event: NetworkEvent): void {
    this.channels.get(channelId)?.onEvent(seq, event);
  }

  onError(channelId: number, message: string): void {
    if (channelId === CONNECTION_CHANNEL_ID) this.failAll(new Error(`TaskManager ${this.address}: ${message}`));
    else this.channels.get(channelId)?.onError(new Error(message));
  }

  onClose(): void {
    this.closing = true;
    this.socket.end();
  }

  onCredit(): void {
    this.protocolError('CREDIT');
  }

  onPartitionRequest(): void {
    this.protocolError('PARTITION_REQUEST');
  }

  onCancelRequest(): void {
    this.protocolError('CANCEL_REQUEST');
  }

  private protocolError(frame: string): never {
    throw new Error(`unexpected ${frame} frame from producer TaskManager ${this.address}`);
  }

  private write(frame: Buffer): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(frame);
  }

  private failAll(cause: Error): void {
    if (this.failure !== null) return;
    this.failure = cause;
    for (const channel of this.channels.values()) channel.onError(cause);
  }
}
