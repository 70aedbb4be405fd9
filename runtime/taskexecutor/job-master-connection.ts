import type { Cancel, Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import type { TaskExecutionState } from '../protocol/job-master-gateway.ts';
import type { SlotOffer, TaskManagerLocation } from '../protocol/records.ts';
import type { JobMasterGateway } from './job-master-client.ts';

export interface JobMasterConnectionDeps {
  readonly jobId: string;
  readonly address: string;
  readonly gateway: JobMasterGateway;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly location: TaskManagerLocation;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  /** Slots of this job that still have to be offered (ALLOCATED, not yet accepted). */
  readonly pendingOffers: () => SlotOffer[];
  /** Offers the JobMaster answered: accepted ones become ACTIVE, the rest are freed. */
  readonly onOfferResult: (accepted: ReadonlySet<string>, offered: readonly SlotOffer[]) => void;
  /** The job's executions, for heartbeats. */
  readonly executions: () => TaskExecutionState[];
  /** The JobMaster was silent for heartbeat.timeout (or unreachable since the first try). */
  readonly onLost: (cause: string) => void;
}

/**
 * This TaskManager's connection to one job's JobMaster (Flink's JobLeaderService entry plus the
 * JobMaster heartbeat target): registers, offers the job's slots, heartbeats with the job's
 * execution states and I/O metrics, and declares the JobMaster lost after heartbeat.timeout
 * without an answer.
 */
export class JobMasterConnection {
  readonly jobId: string;
  readonly address: string;
  readonly gateway: JobMasterGateway;
  private readonly deps: JobMasterConnectionDeps;
  private readonly logger: Logger;
  private jobMasterIdValue: string | null = null;
  private lastContact: number;
  private cancelTimer: Cancel | null = null;
  private work: Promise<void> = Promise.resolve();
  private closed = false;
  private offerRequested = false;

  constructor(deps: JobMasterConnectionDeps) {
    this.deps = deps;
    this.jobId = deps.jobId;
    this.address = deps.address;
    this.gateway = deps.gateway;
    this.logger = deps.logger.child({ jobId: deps.jobId, jobMaster: deps.address });
    this.lastContact = deps.clock.now();
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

  /** A heartbeat request from the JobMaster: it is alive. */
  touch(): void {
    this.lastContact = this.deps.clock.now();
  }

  /** Stops heartbeats; with a cause, tells the JobMaster this TaskManager is gone. */
  async close(cause?: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (cause !== undefined && this.isRegistered) {
      await this.gateway.disconnectTaskManager(this.deps.location.resourceId, cause).catch((err: unknown) => {
        this.logger.debug({ err }, 'could not tell the JobMaster about the disconnect');
      });
    }
  }

  private enqueue(step: () => Promise<void>): void {
    this.work = this.work.then(async () => {
      if (this.closed) return;
      try {
        await step();
      } catch (err) {
        this.logger.warn({ err }, 'JobMaster connection step failed');
      }
    });
  }

  private async register(): Promise<void> {
    try {
      const { jobMasterId } = await this.gateway.registerTaskManager(this.deps.location);
      if (this.closed) return;
      this.jobMasterIdValue = jobMasterId;
      this.touch();
      this.logger.info({ jobMasterId }, 'registered at the JobMaster');
      await this.offer();
      this.scheduleHeartbeat();
    } catch (err) {
      if (this.closed) return;
      this.logger.warn({ err: (err as Error).message }, 'could not register at the JobMaster; retrying');
      if (this.checkTimeout()) return;
      this.cancelTimer = this.deps.clock.schedule(Math.min(1000, this.deps.heartbeatIntervalMs), () => {
        this.cancelTimer = null;
        this.enqueue(() => this.register());
      });
    }
  }

  private async offer(): Promise<void> {
    const offers = this.deps.pendingOffers();
    if (offers.length === 0) return;
    const accepted = await this.gateway.offerSlots(this.deps.location.resourceId, offers);
    this.touch();
    if (this.closed) return;
    this.deps.onOfferResult(new Set(accepted), offers);
  }

  private scheduleHeartbeat(): void {
    if (this.closed) return;
    this.cancelTimer = this.deps.clock.schedule(this.deps.heartbeatIntervalMs, () => {
      this.cancelTimer = null;
      this.enqueue(() => this.heartbeat());
    });
  }

  private async heartbeat(): Promise<void> {
    try {
      const known = await this.gateway.heartbeatFromTaskManager(this.deps.location.resourceId, this.deps.executions());
      if (this.closed) return;
      this.touch();
      if (!known) {
        this.logger.warn('the JobMaster does not know this TaskManager; registering again');
        this.jobMasterIdValue = null;
        await this.register();
        return;
      }
    } catch (err) {
      if (this.closed) return;
      this.logger.warn({ err: (err as Error).message }, 'heartbeat to the JobMaster failed');
      if (this.checkTimeout()) return;
    }
    this.scheduleHeartbeat();
  }

  /** True (and the job is reported lost) once the JobMaster was silent for heartbeat.timeout. */
  private checkTimeout(): boolean {
    const silentMs = this.deps.clock.now() - this.lastContact;
    if (silentMs < this.deps.heartbeatTimeoutMs) return false;
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    const cause = `JobMaster ${this.address} of job ${this.jobId} did not answer for ${silentMs} ms (heartbeat.timeout ${this.deps.heartbeatTimeoutMs} ms)`;
    this.logger.warn(cause);
    this.deps.onLost(cause);
    return true;
  }
}
