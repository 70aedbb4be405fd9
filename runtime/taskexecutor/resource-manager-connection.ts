import type { Cancel, Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import { SerialQueue } from '../../rm/common/serial-queue.ts';
import { HeartbeatManager } from '../heartbeat/heartbeat-manager.ts';
import type { ResourceManagerTaskExecutorGateway, TaskExecutorRegistration } from '../protocol/resource-manager-gateway.ts';
import type { SlotReport } from '../protocol/records.ts';
import type { TaskManagerMetricsInfo } from '../protocol/task-manager-metrics-info.ts';

export interface ResourceManagerConnectionDeps {
  readonly client: ResourceManagerTaskExecutorGateway;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly registration: () => TaskExecutorRegistration;
  readonly slotReport: () => SlotReport;
  /** The TaskManager's memory and buffers, sent with each heartbeat. */
  readonly metrics?: () => TaskManagerMetricsInfo;
  /** Until the RM says otherwise in its registration response. */
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  /** First delay between registration attempts; doubles up to the heartbeat interval. */
  readonly initialRetryDelayMs?: number;
  /** The RM rejected the registration or was unreachable for heartbeat.timeout: the TM is useless. */
  readonly onFatalError: (error: Error) => void;
}

/**
 * This TaskManager's link to the Flink ResourceManager (Flink's TaskExecutorToResourceManagerConnection
 * plus its resourceManagerHeartbeatManager): registers until it succeeds, sends the slot report,
 * heartbeats with the slot report every interval the RM gave, registers again when the RM forgot
 * it, and gives up (fatal) when the RM stays unreachable for heartbeat.timeout.
 */
export class ResourceManagerConnection {
  private readonly deps: ResourceManagerConnectionDeps;
  private readonly logger: Logger;
  private instanceIdValue: string | null = null;
  private resourceManagerIdValue: string | null = null;
  private intervalMs: number;
  private timeoutMs: number;
  /** Since when registration is tried without an answer; unreachable for heartbeat.timeout is fatal. */
  private registeringSince: number;
  private retryDelayMs: number;
  /** The RM as heartbeat target, one per registration (the RM's answer sets interval and timeout). */
  private heartbeats: HeartbeatManager<boolean, SlotReport> | null = null;
  private cancelTimer: Cancel | null = null;
  private readonly queue = new SerialQueue();
  private stopped = false;
  private readonly registeredListeners: (() => void)[] = [];

  constructor(deps: ResourceManagerConnectionDeps) {
    this.deps = deps;
    this.logger = deps.logger.child({ component: 'ResourceManagerConnection' });
    this.intervalMs = deps.heartbeatIntervalMs;
    this.timeoutMs = deps.heartbeatTimeoutMs;
    this.retryDelayMs = deps.initialRetryDelayMs ?? 100;
    this.registeringSince = deps.clock.now();
  }

  get instanceId(): string | null {
    return this.instanceIdValue;
  }

  get resourceManagerId(): string | null {
    return this.resourceManagerIdValue;
  }

  get isRegistered(): boolean {
    return this.instanceIdValue !== null;
  }

  /** Calls back on every successful registration. */
  onRegistered(listener: () => void): void {
    this.registeredListeners.push(listener);
  }

  start(): void {
    this.registeringSince = this.deps.clock.now();
    this.enqueue(() => this.register());
  }

  /** The RM asked for a heartbeat: it is alive; answer with the slot report. */
  heartbeatFromResourceManager(resourceManagerId: string): SlotReport {
    return this.heartbeats?.requestHeartbeat(resourceManagerId) ?? this.deps.slotReport();
  }

  /** Sends the slot report now (a slot was freed or allocated). */
  reportSlots(): void {
    this.enqueue(async () => {
      const instanceId = this.instanceIdValue;
      if (instanceId === null) return;
      await this.deps.client.sendSlotReport({ body: { resourceId: this.deps.registration().location.resourceId, instanceId, slotReport: this.deps.slotReport() } });
    });
  }

  /** Tells the RM that this slot, held by `allocationId`, is free again. */
  notifySlotAvailable(slotNumber: number, allocationId: string): void {
    this.enqueue(async () => {
      const instanceId = this.instanceIdValue;
      if (instanceId === null) return;
      const resourceId = this.deps.registration().location.resourceId;
      await this.deps.client.notifySlotAvailable({ body: { resourceId, instanceId, slotId: { resourceId, slotNumber }, allocationId } });
    });
  }

  /** Stops heartbeats; with a cause, tells the RM this TaskManager is leaving. */
  async stop(cause?: string): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopHeartbeats();
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (cause !== undefined && this.isRegistered) {
      await this.deps.client.disconnectTaskManager({ body: { resourceId: this.deps.registration().location.resourceId, cause } }).catch((err: unknown) => {
        this.logger.debug({ err }, 'could not tell the ResourceManager about the disconnect');
      });
    }
  }

  /** Runs `step` after every call before it, so the RM sees registration, reports and heartbeats in order. */
  private serialized<T>(step: () => Promise<T>): Promise<T> {
    return this.queue.run(() => (this.stopped ? Promise.reject(new Error('the ResourceManager connection is stopped')) : step()));
  }

  private enqueue(step: () => Promise<void>): void {
    this.serialized(step).catch((err: unknown) => {
      if (!this.stopped) this.logger.warn({ err: (err as Error).message }, 'ResourceManager call failed');
    });
  }

  private async register(): Promise<void> {
    const registration = this.deps.registration();
    let response;
    try {
      response = await this.deps.client.registerTaskExecutor({ body: registration });
    } catch (err) {
      if (this.stopped) return;
      if (this.unreachableTooLong(err)) return;
      this.logger.info({ err: (err as Error).message, retryInMs: this.retryDelayMs }, 'could not register at the ResourceManager; retrying');
      this.schedule(this.retryDelayMs, () => this.register());
      this.retryDelayMs = Math.min(this.retryDelayMs * 2, Math.max(this.intervalMs, 100));
      return;
    }
    if (this.stopped) return;
    if (response.status === 'rejection') {
      this.fatal(new Error(`the ResourceManager rejected the registration of TaskManager ${registration.location.resourceId}: ${response.reason}`));
      return;
    }
    this.instanceIdValue = response.instanceId;
    this.resourceManagerIdValue = response.resourceManagerId;
    this.intervalMs = response.heartbeatIntervalMs;
    this.timeoutMs = response.heartbeatTimeoutMs;
    this.retryDelayMs = this.deps.initialRetryDelayMs ?? 100;
    this.logger.info({ instanceId: response.instanceId, resourceManagerId: response.resourceManagerId }, 'registered at the ResourceManager');
    try {
      await this.deps.client.sendSlotReport({ body: { resourceId: registration.location.resourceId, instanceId: response.instanceId, slotReport: this.deps.slotReport() } });
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not send the slot report; the next heartbeat carries it');
    }
    if (this.stopped) return;
    for (const listener of this.registeredListeners) listener();
    this.startHeartbeats(response.resourceManagerId, response.instanceId);
  }

  /**
   * Heartbeats with the RM this registration is with. Only heartbeat.timeout counts: the RM gets
   * its whole timeout before the TaskManager gives up (the rpc-failure threshold is the RM's to apply).
   */
  private startHeartbeats(resourceManagerId: string, instanceId: string): void {
    this.stopHeartbeats();
    const { intervalMs, timeoutMs } = this;
    const resourceId = this.deps.registration().location.resourceId;
    const unreachable = (): void => this.fatal(new Error(`the ResourceManager was unreachable for ${timeoutMs} ms (heartbeat.timeout ${timeoutMs} ms)`));
    const heartbeats = new HeartbeatManager<boolean, SlotReport>({
      clock: this.deps.clock,
      logger: this.logger,
      services: { intervalMs, timeoutMs, rpcFailureThreshold: 0 },
      listener: {
        notifyHeartbeatTimeout: unreachable,
        notifyTargetUnreachable: unreachable,
        reportPayload: (_id, known) => {
          if (known || this.stopped || this.heartbeats !== heartbeats) return;
          this.logger.warn('the ResourceManager does not know this TaskManager (any more); registering again');
          this.stopHeartbeats();
          this.instanceIdValue = null;
          this.registeringSince = this.deps.clock.now();
          this.enqueue(() => this.register());
        },
        retrievePayload: () => this.deps.slotReport(),
      },
    });
    heartbeats.monitorTarget(resourceManagerId, {
      requestHeartbeat: (slotReport) =>
        this.serialized(async () => {
          const metrics = this.deps.metrics?.();
          return (await this.deps.client.heartbeatFromTaskManager({ body: { resourceId, instanceId, slotReport, ...(metrics ? { metrics } : {}) } })).known;
        }),
    });
    heartbeats.start();
    this.heartbeats = heartbeats;
  }

  private stopHeartbeats(): void {
    this.heartbeats?.stop();
    this.heartbeats = null;
  }

  private schedule(delayMs: number, step: () => Promise<void>): void {
    if (this.stopped) return;
    this.cancelTimer = this.deps.clock.schedule(delayMs, () => {
      this.cancelTimer = null;
      this.enqueue(step);
    });
  }

  /** Registration has failed for heartbeat.timeout: fatal, as an RM silent that long after registering. */
  private unreachableTooLong(err: unknown): boolean {
    const silentMs = this.deps.clock.now() - this.registeringSince;
    if (silentMs < this.timeoutMs) return false;
    this.fatal(new Error(`the ResourceManager was unreachable for ${silentMs} ms (heartbeat.timeout ${this.timeoutMs} ms): ${(err as Error).message}`, { cause: err }));
    return true;
  }

  private fatal(error: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stopHeartbeats();
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.deps.onFatalError(error);
  }
}
