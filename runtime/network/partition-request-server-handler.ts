import type { Socket } from 'node:net';
import { CreditBasedSender } from './credit-based-sender.ts';
import type { PartitionRegistry } from './partition-registry.ts';
import type { NetworkEvent } from './channel-element.ts';
import { CONNECTION_CHANNEL_ID, encodeErrorFrame, FrameDecoder, type FrameHandler } from './wire-frame.ts';

/**
 * The producer side of one accepted connection: resolves partition requests against this
 * TaskManager's registry (waiting for producers not deployed yet) and feeds a
 * {@link CreditBasedSender}.
 */
export class PartitionRequestServerHandler implements FrameHandler {
  readonly sender: CreditBasedSender;
  private readonly socket: Socket;
  private readonly registry: PartitionRegistry;
  private readonly decoder = new FrameDecoder(this);
  private readonly pendingRequests = new Map<number, () => void>();
  readonly closed: Promise<void>;

  constructor(socket: Socket, registry: PartitionRegistry) {
    this.socket = socket;
    this.registry = registry;
    this.sender = new CreditBasedSender(socket);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        this.decoder.push(chunk);
      } catch (err) {
        this.sendError(CONNECTION_CHANNEL_ID, err instanceof Error ? err.message : String(err));
        socket.end();
      }
    });
    // Errors (peer reset) end in 'close'; cleanup happens there.
    socket.on('error', () => {});
    this.closed = new Promise<void>((resolve) => {
      socket.once('close', () => {
        for (const cancel of this.pendingRequests.values()) cancel();
        this.pendingRequests.clear();
        this.sender.close();
        resolve();
      });
    });
  }

  onPartitionRequest(channelId: number, partitionId: string, subpartitionIndex: number, initialCredit: number): void {
    const cancel = this.registry.request(partitionId, (partition) => {
      this.pendingRequests.delete(channelId);
      const subpartition = partition.subpartitions[subpartitionIndex];
      if (subpartition === undefined) {
        this.sendError(channelId, `result partition ${partitionId} has no subpartition ${subpartitionIndex}`);
        return;
      }
      try {
        this.sender.addReader(channelId, subpartition, initialCredit);
      } catch (err) {
        this.sendError(channelId, err instanceof Error ? err.message : String(err));
      }
    });
    if (this.registry.get(partitionId) === undefined) this.pendingRequests.set(channelId, cancel);
  }

  onCredit(channelId: number, credits: number): void {
    this.sender.addCredit(channelId, credits);
  }

  onCancelRequest(channelId: number): void {
    this.pendingRequests.get(channelId)?.();
    this.pendingRequests.delete(channelId);
    this.sender.cancel(channelId);
  }

  onClose(): void {
    this.socket.end();
  }

  /** Graceful close from this side (TaskManager shutdown). */
  close(): Promise<void> {
    this.socket.end();
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }

  onBuffer(): void {
    this.unexpected('BUFFER');
  }

  onEvent(_channelId: number, _seq: number, _event: NetworkEvent): void {
    this.unexpected('EVENT');
  }

  onError(_channelId: number, message: string): void {
    this.socket.destroy(new Error(`consumer reported: ${message}`));
  }

  private unexpected(frame: string): never {
    throw new Error(`unexpected ${frame} frame from a consumer`);
  }

  private sendError(channelId: number, message: string): void {
    if (this.socket.writable) this.socket.write(encodeErrorFrame(channelId, message));
  }
}
