import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Cancel, Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import { diffSnapshots, type FlinkChange, type FlinkSnapshot } from './flink-changes.ts';

/** What the JobManager's hub sends on `/ws/events` (JSON text frames), like the RM's hub. */
export type FlinkHubMessage =
  | { readonly type: 'hello'; readonly jobManager: string; readonly serverTime: number; readonly flushIntervalMs: number }
  | { readonly type: 'changes'; readonly changes: readonly FlinkChange[] }
  | { readonly type: 'resync'; readonly reason: 'backlog' };

export const FLINK_EVENTS_PATH = '/ws/events';

export interface FlinkEventHubOptions {
  /** The dashboard's entities and their states now (flinkSnapshot over the Dispatcher and RM). */
  readonly snapshot: () => FlinkSnapshot;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Names this JobManager in the hello (its application id). */
  readonly jobManager: string;
  readonly path?: string;
  /** How often the state is compared while a page is connected: at most one message per interval. */
  readonly flushIntervalMs?: number;
  readonly maxBufferedBytes?: number;
  readonly pingIntervalMs?: number;
  readonly maxClients?: number;
}

interface Client {
  readonly socket: WebSocket;
  alive: boolean;
  /** Missed a message while backed up: gets a resync once it drains. */
  stale: boolean;
}

/**
 * The JobManager's live-event hub. The Dispatcher, JobMasters and the Flink RM change state from
 * RPCs, REST calls and timers all over the runtime; instead of hooking each of those places, the
 * hub compares snapshots of what the dashboard shows (job status, each subtask's execution state,
 * TaskManagers, slot owners) every `flushIntervalMs` while at least one page is connected, and
 * sends the differences. That coalesces by construction: one notice per entity with its latest
 * state, and an idle hub (no pages) does no work at all.
 */
export class FlinkEventHub {
  readonly path: string;
  private readonly options: FlinkEventHubOptions;
  private readonly flushIntervalMs: number;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.upgrade(req, socket, head);
  private server: Server | undefined;
  private baseline: FlinkSnapshot | undefined;
  private cancelPoll: Cancel | undefined;
  private cancelPing: Cancel | undefined;
  private closed = false;

  constructor(options: FlinkEventHubOptions) {
    this.options = options;
    this.path = options.path ?? FLINK_EVENTS_PATH;
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 4096, clientTracking: false, perMessageDeflate: false });
  }

  attach(server: Server): void {
    this.server = server;
    server.on('upgrade', this.onUpgrade);
    this.schedulePing();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Compares now instead of at the next tick (e.g. right after a REST call changed something). */
  poll(): void {
    if (this.clients.size === 0 || this.closed) return;
    const next = this.options.snapshot();
    const changes = this.baseline ? diffSnapshots(this.baseline, next) : [];
    this.baseline = next;
    const shared = changes.length > 0 ? JSON.stringify({ type: 'changes', changes } satisfies FlinkHubMessage) : undefined;
    const limit = this.options.maxBufferedBytes ?? 256 * 1024;
    for (const client of this.clients) {
      if (client.socket.readyState !== WebSocket.OPEN) continue;
      if (client.socket.bufferedAmount > limit) {
        if (shared !== undefined) client.stale = true;
        continue;
      }
      if (client.stale) {
        client.stale = false;
        send(client, { type: 'resync', reason: 'backlog' });
      } else if (shared !== undefined) client.socket.send(shared);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.server?.off('upgrade', this.onUpgrade);
    this.cancelPoll?.();
    this.cancelPing?.();
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== this.path) {
      if (this.server && this.server.listenerCount('upgrade') <= 1) refuse(socket, 404, 'Not Found');
      return;
    }
    if (this.closed || this.clients.size >= (this.options.maxClients ?? 200)) {
      refuse(socket, 503, 'Service Unavailable');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const client: Client = { socket: ws, alive: true, stale: false };
    if (this.clients.size === 0) this.baseline = this.options.snapshot();
    this.clients.add(client);
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('close', () => this.remove(client));
    ws.on('error', (err) => this.options.logger.debug({ err }, 'dashboard socket error'));
    send(client, { type: 'hello', jobManager: this.options.jobManager, serverTime: this.options.clock.now(), flushIntervalMs: this.flushIntervalMs });
    this.schedulePoll();
  }

  private remove(client: Client): void {
    this.clients.delete(client);
    if (this.clients.size > 0) return;
    // Nobody listens: stop comparing and forget the baseline.
    this.cancelPoll?.();
    this.cancelPoll = undefined;
    this.baseline = undefined;
  }

  private schedulePoll(): void {
    if (this.cancelPoll || this.closed) return;
    this.cancelPoll = this.options.clock.schedule(this.flushIntervalMs, () => {
      this.cancelPoll = undefined;
      try {
        this.poll();
      } catch (err) {
        this.options.logger.warn({ err: (err as Error).message }, 'dashboard hub could not read the state');
      }
      if (this.clients.size > 0) this.schedulePoll();
    });
  }

  private schedulePing(): void {
    const interval = this.options.pingIntervalMs ?? 15_000;
    this.cancelPing = this.options.clock.schedule(interval, () => {
      for (const client of this.clients) {
        if (!client.alive) {
          client.socket.terminate();
          this.remove(client);
          continue;
        }
        client.alive = false;
        client.socket.ping();
      }
      if (!this.closed) this.schedulePing();
    });
  }
}

function send(client: Client, message: FlinkHubMessage): void {
  if (client.socket.readyState === WebSocket.OPEN) client.socket.send(JSON.stringify(message));
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
