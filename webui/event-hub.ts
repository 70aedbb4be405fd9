import type { WebSocket } from 'ws';
import type { Cancel, Clock } from '../rm/common/clock.ts';
import type { Logger } from '../rm/common/logger.ts';
import type { RmChange, RmChangeStream } from '../rm/rm-changes.ts';
import { ChangeBatch } from './change-batch.ts';
import { HubClient } from './hub-client.ts';
import { EVENTS_PATH, type HubMessage } from './hub-messages.ts';
import { SocketHub } from './socket-hub.ts';

export interface EventHubOptions {
  /** The RM's published change stream. */
  readonly changes: RmChangeStream;
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
export class EventHub extends SocketHub<HubClient> {
  private readonly options: EventHubOptions;
  private readonly flushIntervalMs: number;
  private readonly batch = new ChangeBatch();
  private unsubscribe: (() => void) | undefined;
  private cancelFlush: Cancel | undefined;

  constructor(options: EventHubOptions) {
    super({
      clock: options.clock,
      logger: options.logger,
      path: options.path ?? EVENTS_PATH,
      maxClients: options.maxClients ?? 1000,
      ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
    });
    this.options = options;
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
  }

  protected override onAttach(): void {
    this.unsubscribe ??= this.options.changes.subscribe((change) => this.enqueue(change));
  }

  protected override onClose(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.cancelFlush?.();
  }

  protected override createClient(ws: WebSocket): HubClient {
    return new HubClient(ws, {
      maxPending: this.options.maxPendingPerClient ?? 2000,
      maxBufferedBytes: this.options.maxBufferedBytes ?? 256 * 1024,
    });
  }

  protected override onConnected(client: HubClient): void {
    const hello: HubMessage = { type: 'hello', clusterId: this.options.clusterId, serverTime: this.clock.now(), flushIntervalMs: this.flushIntervalMs };
    client.send(hello);
  }

  private enqueue(change: RmChange): void {
    if (this.clients.size === 0) return;
    this.batch.add(change);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.cancelFlush || this.closed) return;
    this.cancelFlush = this.clock.schedule(this.flushIntervalMs, () => {
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
}
