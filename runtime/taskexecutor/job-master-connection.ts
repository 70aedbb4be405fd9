import type { Cancel, Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import { SerialQueue } from '../../rm/common/serial-queue.ts';
import type { HeartbeatManager } from '../heartbeat/heartbeat-manager.ts';
import type { JobMasterGateway, TaskExecutionState } from '../protocol/job-master-gateway.ts';
import type { SlotOffer, TaskManagerLocation } from '../protocol/records.ts';

export interface JobMasterConnectionDeps {
  readonly jobId: string;
  readonly address: string;
  readonly gateway: JobMasterGateway;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly location: TaskManagerLocation;
  /** The TaskManager's heartbeat manager for JobMasters, keyed by job id; the connection monitors its JobMaster there once registered. */
  readonly heartbeats: HeartbeatManager<boolean, readonly TaskExecutionState[]>;
  /** Slots of this job that still have to be offered (ALLOCATED, not yet accepted). */
  readonly pendingOffers: () => SlotOffer[];
  /** Offers the JobMaster answered: accepted ones become ACTIVE, the rest are freed. */
  readonly onOfferResult: (accepted: ReadonlySet<string>, offered: readonly SlotOffer[]) => void;
  /** The JobMaster was silent for heartbeat.timeout (or unreachable since the first try). */
  readonly onLost: (cause: string) => void;
}

/**
 * This TaskManager's connection to one job's JobMaster (Flink's JobLeaderService entry plus the
 * JobMaster as target of the TaskManager's jobManagerHeartbeatManager): registers, offers the
 * job's slots, and once registered heartbeats with the job's execution states and I/O metrics; the
 * JobMaster is lost after heartbeat.timeout without a heartbeat (or, while registering, an answer).
 */
export class JobMasterConnection {
  readonly jobId: string;
  readonly address: string;
  readonly gateway: JobMasterGateway;
  private readonly deps: JobMasterConnectionDeps;
  private readonly logger: Logger;
  private jobMasterIdValue: string | null = null;
  /** Since when registration is tried without an answer. */
  private registeringSince: number;
  private cancelTimer: Cancel | null = null;
  private readonly queue = new SerialQueue();
  private closed = false;
  private offerRequested = false;

  constructor(deps: JobMasterConnectionDeps) {
    this.deps = deps;
    this.jobId = deps.jobId;
    this.address = deps.address;
    this.gateway = deps.gateway;
    this.logger = deps.logger.child({ jobId: deps.jobId, jobMaster: deps.address });
    this.registeringSince = deps.clock.now();
  }

  get jobMasterId(): string | null {
    return this.jobMasterIdValue;
  }

  get isRegistered(): boolean {
    return this.jobMasterIdValue !== null;
  }

  start(): void {
    this.enqueue(() => this.register());
  }

  /** Offers the job's pending slots (now if registered, else right after registration). */
  offerSlots(): void {
    if (this.offerRequested) return;
    this.offerRequested = true;
    this.enqueue(async () => {
      this.offerRequested = false;
      if (this.isRegistered) await this.offer();
    });
  }

  /** A heartbeat the JobMaster answered: `known: false` means it forgot this TaskManager. */
  heartbeatAnswered(known: boolean): void {
    if (known || this.closed || !this.isRegistered) return;
    this.logger.warn('the JobMaster does not know this TaskManager; registering again');
    this.deps.heartbeats.unmonitorTarget(this.jobId);
    this.jobMasterIdValue = null;
    this.registeringSince = this.deps.clock.now();
    this.enqueue(() => this.register());
  }

  /** The heartbeat manager gave up on the JobMaster (heartbeat.timeout without a heartbeat). */
  heartbeatTimedOut(): void {
    this.lose(this.deps.heartbeats.services.timeoutMs);
  }

  /** Stops heartbeats; with a cause, tells the JobMaster this TaskManager is gone. */
  async close(cause?: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.isRegistered) this.deps.heartbeats.unmonitorTarget(this.jobId);
    if (cause !== undefined && this.isRegistered) {
      await this.gateway.disconnectTaskManager({ params: { jobId: this.jobId }, body: { resourceId: this.deps.location.resourceId, cause } }).catch((err: unknown) => {
        this.logger.debug({ err }, 'could not tell the JobMaster about the disconnect');
      });
    }
  }

  /** Runs `step` after every call before it, so the JobMaster sees registration, offers and heartbeats in order. */
  private serialized<T>(step: () => Promise<T>): Promise<T> {
    return this.queue.run(() => (this.closed ? Promise.reject(new Error('the JobMaster connection is closed')) : step()));
  }

  private enqueue(step: () => Promise<void>): void {
    this.serialized(step).catch((err: unknown) => {
      if (!this.closed) this.logger.warn({ err }, 'JobMaster connection step failed');
    });
  }

  /** Registers (unless registered) and offers the pending slots; retries both until the JobMaster is lost. */
  private async register(): Promise<void> {
    try {
      if (!this.isRegistered) {
        const { jobMasterId } = await this.gateway.registerTaskManager({ params: { jobId: this.jobId }, body: { location: this.deps.location } });
        if (this.closed) return;
        this.jobMasterIdValue = jobMasterId;
        this.logger.info({ jobMasterId }, 'registered at the JobMaster');
        this.deps.heartbeats.monitorTarget(this.jobId, {
          requestHeartbeat: (executions) =>
            this.serialized(async () => (await this.gateway.heartbeatFromTaskManager({ params: { jobId: this.jobId }, body: { resourceId: this.deps.location.resourceId, executions: [...executions] } })).known),
        });
      }
      await this.offer();
    } catch (err) {
      if (this.closed) return;
      this.logger.warn({ err: (err as Error).message, registered: this.isRegistered }, 'could not register at the JobMaster or offer the slots; retrying');
      // Once registered, the heartbeat timeout decides when the JobMaster is lost.
      const silentMs = this.deps.clock.now() - this.registeringSince;
      if (!this.isRegistered && silentMs >= this.deps.heartbeats.services.timeoutMs) {
        this.lose(silentMs);
        return;
      }
      this.cancelTimer = this.deps.clock.schedule(Math.min(1000, this.deps.heartbeats.services.intervalMs), () => {
        this.cancelTimer = null;
        this.enqueue(() => this.register());
      });
    }
  }

  private async offer(): Promise<void> {
    const offers = this.deps.pendingOffers();
    if (offers.length === 0) return;
    const { accepted } = await this.gateway.offerSlots({ params: { jobId: this.jobId }, body: { resourceId: this.deps.location.resourceId, offers } });
    if (this.closed) return;
    this.deps.onOfferResult(new Set(accepted), offers);
  }

  /** The JobMaster is lost: the job's slots here are freed. */
  private lose(silentMs: number): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.deps.heartbeats.unmonitorTarget(this.jobId);
    const cause = `JobMaster ${this.address} of job ${this.jobId} did not answer for ${silentMs} ms (heartbeat.timeout ${this.deps.heartbeats.services.timeoutMs} ms)`;
    this.logger.warn(cause);
    this.deps.onLost(cause);
  }
}
