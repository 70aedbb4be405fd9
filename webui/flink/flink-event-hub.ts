import { WebSocket } from 'ws';
import type { Cancel, Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import { SocketHub } from '../socket-hub.ts';
import { diffSnapshots, type FlinkChange, type FlinkSnapshot } from './flink-changes.ts';

/** What the JobManager's hub sends on `/ws/events` (JSON text frames), like the RM's hub. */
export type FlinkHubMessage =
  | { readonly type: 'hello'; readonly jobManager: string; readonly serverTime: number; readonly flushIntervalMs: number }
  | { readonly type: 'changes'; readonly changes: readonly FlinkChange[] }
  | { readonly type: 'resync'; readonly reason: 'backlog' };

export const FLINK_EVENTS_PATH = '/ws/events';

export interface FlinkEventHubOptions {
  /** The dashboard's entities and their states now (flinkSnapshot over the Dispatcher's and the RM's gateways). */
  readonly snapshot: () => FlinkSnapshot | Promise<FlinkSnapshot>;
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
export class FlinkEventHub extends SocketHub<Client> {
  private readonly options: FlinkEventHubOptions;
  private readonly flushIntervalMs: number;
  private baseline: FlinkSnapshot | undefined;
  private cancelPoll: Cancel | undefined;
  /** A snapshot is being read: the next poll waits for it instead of reading a second one. */
  private reading = false;

  constructor(options: FlinkEventHubOptions) {
    super({
      clock: options.clock,
      logger: options.logger,
      path: options.path ?? FLINK_EVENTS_PATH,
      maxClients: options.maxClients ?? 200,
      ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
    });
    this.options = options;
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
  }

  /** Compares now instead of at the next tick (e.g. right after a REST call changed something). */
  poll(): void {
    if (this.clients.size === 0 || this.closed || this.reading) return;
    this.read((next) => this.compare(next));
  }

  /** Takes a snapshot and hands it to `use`, at once when it is synchronous. */
  private read(use: (snapshot: FlinkSnapshot) => void): void {
    const snapshot = this.options.snapshot();
    if (!(snapshot instanceof Promise)) {
      use(snapshot);
      return;
    }
    this.reading = true;
    snapshot
      .then(
        (s) => {
          if (!this.closed && this.clients.size > 0) use(s);
        },
        (err: unknown) => this.logger.warn({ err: (err as Error).message }, 'dashboard hub could not read the state'),
      )
      .finally(() => {
        this.reading = false;
      });
  }

  private compare(next: FlinkSnapshot): void {
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

  protected override onClose(): void {
    this.cancelPoll?.();
  }

  protected override createClient(ws: WebSocket): Client {
    return { socket: ws, alive: true, stale: false };
  }

  protected override onConnected(client: Client): void {
    // The first page sets the baseline the next comparisons start from.
    if (this.clients.size === 1) {
      this.read((s) => {
        this.baseline = s;
      });
    }
    send(client, { type: 'hello', jobManager: this.options.jobManager, serverTime: this.clock.now(), flushIntervalMs: this.flushIntervalMs });
    this.schedulePoll();
  }

  protected override onRemoved(): void {
    if (this.clients.size > 0) return;
    // Nobody listens: stop comparing and forget the baseline.
    this.cancelPoll?.();
    this.cancelPoll = undefined;
    this.baseline = undefined;
  }

  private schedulePoll(): void {
    if (this.cancelPoll || this.closed) return;
    this.cancelPoll = this.clock.schedule(this.flushIntervalMs, () => {
      this.cancelPoll = undefined;
      try {
        this.poll();
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'dashboard hub could not read the state');
      }
      if (this.clients.size > 0) this.schedulePoll();
    });
  }
}

function send(client: Client, message: FlinkHubMessage): void {
  if (client.socket.readyState === WebSocket.OPEN) client.socket.send(JSON.stringify(message));
}
