import type { Cancel, Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import type { TaskExecutorRegistration } from '../protocol/resource-manager-gateway.ts';
import type { SlotReport } from '../protocol/records.ts';
import type { ResourceManagerClient } from './resource-manager-client.ts';

export interface ResourceManagerConnectionDeps {
  readonly client: ResourceManagerClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly registration: () => TaskExecutorRegistration;
  readonly slotReport: () => SlotReport;
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
 * plus the RM heartbeat target): registers until it succeeds, sends the slot report, heartbeats
 * with the slot report every interval, registers again when the RM forgot it, and gives up (fatal)
 * when the RM stays unreachable for heartbeat.timeout.
 */
export class ResourceManagerConnection {
  private readonly deps: ResourceManagerConnectionDeps;
  private readonly logger: Logger;
  private instanceIdValue: string | null = null;
  private resourceManagerIdValue: string | null = null;
  private intervalMs: number;
  private timeoutMs: number;
  private lastContact: number;
  private retryDelayMs: number;
  private cancelTimer: Cancel | null = null;
  private work: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly registeredListeners: (() => void)[] = [];

  constructor(deps: ResourceManagerConnectionDeps) {
    this.deps = deps;
    this.logger = deps.logger.child({ component: 'ResourceManagerConnection' });
    this.intervalMs = deps.heartbeatIntervalMs;
    this.timeoutMs = deps.heartbeatTimeoutMs;
    this.retryDelayMs = deps.initialRetryDelayMs ?? 100;
    this.lastContact = deps.clock.now();
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
    this.lastContact = this.deps.clock.now();
    this.enqueue(() => this.register());
  }

  /** The RM asked for a heartbeat: it is alive; answer with the slot report. */
  heartbeatFromResourceManager(): SlotReport {
    this.lastContact = this.deps.clock.now();
    return this.deps.slotReport();
  }

  /** Sends the slot report now (a slot was freed or allocated). */
  reportSlots(): void {
    this.enqueue(async () => {
      const instanceId = this.instanceIdValue;
      if (instanceId === null) return;
      await this.deps.client.sendSlotReport(this.deps.registration().location.resourceId, instanceId, this.deps.slotReport());
      this.lastContact = this.deps.clock.now();
    });
  }

  /** Tells the RM that this slot, held by `allocationId`, is free again. */
  notifySlotAvailable(slotNumber: number, allocationId: string): void {
    this.enqueue(async () => {
      const instanceId = this.instanceIdValue;
      if (instanceId === null) return;
      const resourceId = this.deps.registration().location.resourceId;
      await this.deps.client.notifySlotAvailable(resourceId, instanceId, { resourceId, slotNumber }, allocationId);
      this.lastContact = this.deps.clock.now();
    });
  }

  /** Stops heartbeats; with a cause, tells the RM this TaskManager is leaving. */
  async stop(cause?: string): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (cause !== undefined && this.isRegistered) {
      await this.deps.client.disconnectTaskManager(this.deps.registration().location.resourceId, cause).catch((err: unknown) => {
        this.logger.debug({ err }, 'could not tell the ResourceManager about the disconnect');
      });
    }
  }

  private enqueue(step: () => Promise<void>): void {
    this.work = this.work.then(async () => {
      if (this.stopped) return;
      try {
        await step();
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'ResourceManager call failed');
      }
    });
  }

  private async register(): Promise<void> {
    const registration = this.deps.registration();
    let response;
    try {
      response = await this.deps.client.registerTaskExecutor(registration);
    } catch (err) {
      if (this.stopped) return;
      if (this.unreachableTooLong(err)) return;
      this.logger.info({ err: (err as Error).message, retryInMs: this.retryDelayMs }, 'could not register at the ResourceManager; retrying');
      this.schedule(this.retryDelayMs, () => this.register());
      this.retryDelayMs = Math.min(this.retryDelayMs * 2, Math.max(this.intervalMs, 100));
      return;
    }
    if (this.stopped) return;
    this.lastContact = this.deps.clock.now();
    if (response.status === 'rejection') {
      this.stopped = true;
      this.deps.onFatalError(new Error(`the ResourceManager rejected the registration of TaskManager ${registration.location.resourceId}: ${response.reason}`));
      return;
    }
    this.instanceIdValue = response.instanceId;
    this.resourceManagerIdValue = response.resourceManagerId;
    this.intervalMs = response.heartbeatIntervalMs;
    this.timeoutMs = response.heartbeatTimeoutMs;
    this.retryDelayMs = this.deps.initialRetryDelayMs ?? 100;
    this.logger.info({ instanceId: response.instanceId, resourceManagerId: response.resourceManagerId }, 'registered at the ResourceManager');
    try {
      await this.deps.client.sendSlotReport(registration.location.resourceId, response.instanceId, this.deps.slotReport());
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not send the slot report; the next heartbeat carries it');
    }
    for (const listener of this.registeredListeners) listener();
    this.schedule(this.intervalMs, () => this.heartbeat());
  }

  private async heartbeat(): Promise<void> {
    const instanceId = this.instanceIdValue;
    if (instanceId === null) return;
    let known: boolean;
    try {
      known = await this.deps.client.heartbeatFromTaskManager(this.deps.registration().location.resourceId, instanceId, this.deps.slotReport());
    } catch (err) {
      if (this.stopped) return;
      if (this.unreachableTooLong(err)) return;
      this.logger.warn({ err: (err as Error).message }, 'heartbeat to the ResourceManager failed');
      this.schedule(this.intervalMs, () => this.heartbeat());
      return;
    }
    if (this.stopped) return;
    this.lastContact = this.deps.clock.now();
    if (!known) {
      this.logger.warn('the ResourceManager does not know this TaskManager (any more); registering again');
      this.instanceIdValue = null;
      await this.register();
      return;
    }
    this.schedule(this.intervalMs, () => this.heartbeat());
  }

  private schedule(delayMs: number, step: () => Promise<void>): void {
    if (this.stopped) return;
    this.cancelTimer = this.deps.clock.schedule(delayMs, () => {
      this.cancelTimer = null;
      this.enqueue(step);
    });
  }

  private unreachableTooLong(err: unknown): boolean {
    const silentMs = this.deps.clock.now() - this.lastContact;
    if (silentMs < this.timeoutMs) return false;
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.deps.onFatalError(
      new Error(`the ResourceManager was unreachable for ${silentMs} ms (heartbeat.timeout ${this.timeoutMs} ms): ${(err as Error).message}`, { cause: err }),
    );
    return true;
  }
}
