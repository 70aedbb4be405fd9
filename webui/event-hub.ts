import type { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Cancel, Clock } from '../rm/common/clock.ts';
import type { Logger } from '../rm/common/logger.ts';
import type { RmChange } from '../rm/rm-context.ts';
import { ChangeBatch } from './change-batch.ts';
import { HubClient } from './hub-client.ts';
import { EVENTS_PATH, type HubMessage } from './hub-messages.ts';

export interface EventHubOptions {
  readonly changes: EventEmitter<{ change: [RmChange] }>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly clusterId: number;
  readonly path?: string;
  /** At most one message per client per interval. */
  readonly flushIntervalMs?: number;
  readonly maxPendingPerClient?: number;
  readonly maxBufferedBytes?: number;
  readonly pingIntervalMs?: number;
  readonly maxClients?: number;
}

/**
 * The web UI's live-event hub: a `ws` server on `/ws/v1/events` of the RM's HTTP port that
 * forwards the RM's state changes to open pages. Changes are coalesced per entity and flushed at
 * most once per `flushIntervalMs`, serialised once for all caught-up clients; a timer runs only
 * while something is waiting, so an idle hub holds no timers but its keepalive.
 */
export class EventHub {
  readonly path: string;
  private readonly options: EventHubOptions;
  private readonly flushIntervalMs: number;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<HubClient>();
  private readonly batch = new ChangeBatch();
  private readonly onChange = (change: RmChange): void => this.enqueue(change);
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.upgrade(req, socket, head);
  private server: Server | undefined;
  private cancelFlush: Cancel | undefined;
  private cancelPing: Cancel | undefined;
  private closed = false;

  constructor(options: EventHubOptions) {
    this.options = options;
    this.path = options.path ?? EVENTS_PATH;
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 4096, clientTracking: false, perMessageDeflate: false });
  }

  /** Starts answering upgrades on `server` and listening to the RM's changes. */
  attach(server: Server): void {
    this.server = server;
    server.on('upgrade', this.onUpgrade);
    this.options.changes.on('change', this.onChange);
    this.schedulePing();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Stops listening, terminates every socket and cancels every timer. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.changes.off('change', this.onChange);
    this.server?.off('upgrade', this.onUpgrade);
    this.cancelFlush?.();
    this.cancelPing?.();
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== this.path) {
      // Someone else may own this path (a later proxy); if no one does, refuse it.
      if (this.server && this.server.listenerCount('upgrade') <= 1) refuse(socket, 404, 'Not Found');
      return;
    }
    if (this.closed || this.clients.size >= (this.options.maxClients ?? 1000)) {
      refuse(socket, 503, 'Service Unavailable');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const client = new HubClient(ws, {
      maxPending: this.options.maxPendingPerClient ?? 2000,
      maxBufferedBytes: this.options.maxBufferedBytes ?? 256 * 1024,
    });
    this.clients.add(client);
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', (err) => this.options.logger.debug({ err }, 'web UI socket error'));
    // Pages only listen; anything they send is ignored.
    const hello: HubMessage = { type: 'hello', clusterId: this.options.clusterId, serverTime: this.options.clock.now(), flushIntervalMs: this.flushIntervalMs };
    client.send(hello);
  }

  private enqueue(change: RmChange): void {
    if (this.clients.size === 0) return;
    this.batch.add(change);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.cancelFlush || this.closed) return;
    this.cancelFlush = this.options.clock.schedule(this.flushIntervalMs, () => {
      this.cancelFlush = undefined;
      this.flush();
    });
  }

  private flush(): void {
    const changes = this.batch.drain();
    const shared = changes.length > 0 ? JSON.stringify({ type: 'changes', changes } satisfies HubMessage) : undefined;
    let backlog = false;
    for (const client of this.clients) {
      client.deliver(changes, shared);
      backlog ||= client.hasBacklog;
    }
    // Slow clients get another chance on the next tick, still at most one message per interval.
    if (backlog) this.scheduleFlush();
  }

  private schedulePing(): void {
    const interval = this.options.pingIntervalMs ?? 15_000;
    this.cancelPing = this.options.clock.schedule(interval, () => {
      for (const client of this.clients) {
        if (!client.alive) {
          this.options.logger.debug('web UI socket missed a pong: terminating');
          client.socket.terminate();
          this.clients.delete(client);
          continue;
        }
        client.alive = false;
        client.socket.ping();
      }
      if (!this.closed) this.schedulePing();
    });
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
