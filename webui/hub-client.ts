import { WebSocket } from 'ws';
import type { RmChange } from '../rm/rm-changes.ts';
import { ChangeBatch } from './change-batch.ts';
import type { HubMessage } from './hub-messages.ts';

export interface HubClientLimits {
  /** Distinct entities a client may have waiting before its backlog is dropped for a resync. */
  readonly maxPending: number;
  /** Bytes queued in the socket beyond which the client counts as slow and nothing more is sent. */
  readonly maxBufferedBytes: number;
}

/**
 * One connected page. Caught-up clients get the hub's shared message as is; a client whose socket
 * is backed up collects its own coalesced backlog, and when that grows past `maxPending` the
 * backlog is dropped and the client is told to refresh everything once it drains.
 */
export class HubClient {
  readonly socket: WebSocket;
  /** Cleared on each ping, set by the pong: a client that misses a round is terminated. */
  alive = true;
  private readonly limits: HubClientLimits;
  private readonly backlog = new ChangeBatch();
  private overflowed = false;

  constructor(socket: WebSocket, limits: HubClientLimits) {
    this.socket = socket;
    this.limits = limits;
    socket.on('pong', () => {
      this.alive = true;
    });
  }

  /** True while this client still has something to send on a later flush. */
  get hasBacklog(): boolean {
    return this.overflowed || this.backlog.size > 0;
  }

  /** Hands the client one flush's changes; `shared` is their pre-serialised `changes` message. */
  deliver(changes: readonly RmChange[], shared: string | undefined): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (!this.hasBacklog && this.canSend()) {
      if (shared !== undefined) this.socket.send(shared);
      return;
    }
    if (!this.overflowed) {
      this.backlog.addAll(changes);
      if (this.backlog.size > this.limits.maxPending) {
        this.backlog.clear();
        this.overflowed = true;
      }
    }
    this.sendBacklog();
  }

  send(message: HubMessage): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private canSend(): boolean {
    return this.socket.bufferedAmount <= this.limits.maxBufferedBytes;
  }

  private sendBacklog(): void {
    if (!this.canSend()) return;
    if (this.overflowed) {
      this.overflowed = false;
      this.send({ type: 'resync', reason: 'backlog' });
    } else if (this.backlog.size > 0) {
      this.send({ type: 'changes', changes: this.backlog.drain() });
    }
  }
}
