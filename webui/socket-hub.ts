import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Cancel, Clock } from '../rm/common/clock.ts';
import type { Logger } from '../rm/common/logger.ts';

/** A connected page as a hub tracks it; `alive` is cleared by each ping and set by the pong. */
export interface HubSocketClient {
  readonly socket: WebSocket;
  alive: boolean;
}

export interface SocketHubOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly path: string;
  readonly maxClients: number;
  readonly pingIntervalMs?: number;
}

/**
 * What the RM's and the JobManager's live-event hubs share: a `ws` server answering upgrades on
 * one path of an HTTP server (other paths are left to other handlers, or refused when nobody
 * else listens), a client limit, a ping/pong keepalive that drops silent pages, and a close that
 * ends every socket and timer. Subclasses decide what to send and when.
 */
export abstract class SocketHub<C extends HubSocketClient> {
  readonly path: string;
  protected readonly clients = new Set<C>();
  protected readonly clock: Clock;
  protected readonly logger: Logger;
  protected closed = false;
  private readonly maxClients: number;
  private readonly pingIntervalMs: number;
  private readonly wss: WebSocketServer;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.upgrade(req, socket, head);
  private server: Server | undefined;
  private cancelPing: Cancel | undefined;

  constructor(options: SocketHubOptions) {
    this.path = options.path;
    this.clock = options.clock;
    this.logger = options.logger;
    this.maxClients = options.maxClients;
    this.pingIntervalMs = options.pingIntervalMs ?? 15_000;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 4096, clientTracking: false, perMessageDeflate: false });
  }

  /** Starts answering upgrades on `server`. */
  attach(server: Server): void {
    this.server = server;
    server.on('upgrade', this.onUpgrade);
    this.schedulePing();
    this.onAttach();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Stops listening, terminates every socket and cancels every timer. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.server?.off('upgrade', this.onUpgrade);
    this.cancelPing?.();
    this.onClose();
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  protected abstract createClient(ws: WebSocket): C;
  protected onAttach(): void {}
  /** The client is in `clients`; greet it. */
  protected onConnected(_client: C): void {}
  protected onRemoved(_client: C): void {}
  protected onClose(): void {}

  protected remove(client: C): void {
    if (this.clients.delete(client)) this.onRemoved(client);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== this.path) {
      // Someone else may own this path (a proxy, another hub); if no one does, refuse it.
      if (this.server && this.server.listenerCount('upgrade') <= 1) refuse(socket, 404, 'Not Found');
      return;
    }
    if (this.closed || this.clients.size >= this.maxClients) {
      refuse(socket, 503, 'Service Unavailable');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const client = this.createClient(ws);
    this.clients.add(client);
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('close', () => this.remove(client));
    // Pages only listen; anything they send is ignored.
    ws.on('error', (err) => this.logger.debug({ err }, 'live-event socket error'));
    this.onConnected(client);
  }

  private schedulePing(): void {
    this.cancelPing = this.clock.schedule(this.pingIntervalMs, () => {
      for (const client of this.clients) {
        if (!client.alive) {
          this.logger.debug('live-event socket missed a pong: terminating');
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

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
