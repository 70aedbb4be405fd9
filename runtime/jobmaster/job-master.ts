import type { Logger } from 'pino';
import type { Clock } from '../../rm/common/clock.ts';
import { WeftError } from '../../rm/common/errors.ts';
import type { FlinkConfiguration } from '../config/flink-configuration.ts';
import { archiveExecutionGraph, jobResultOf, type ExecutionGraphInfo } from '../executiongraph/archived-execution-graph.ts';
import type { ExecutionGraph } from '../executiongraph/execution-graph.ts';
import { heartbeatTimeoutCause, targetUnreachableCause } from '../heartbeat/heartbeat-listener.ts';
import { HeartbeatManager } from '../heartbeat/heartbeat-manager.ts';
import { heartbeatServicesFromConfiguration } from '../heartbeat/heartbeat-services.ts';
import type { JobGraph } from '../jobgraph/job-graph.ts';
import type { JobResult } from '../protocol/dispatcher-gateway.ts';
import type { TaskExecutionState } from '../protocol/job-master-gateway.ts';
import { ANY_RESOURCE_PROFILE, newFlinkId, type JobStatus, type SlotOffer, type TaskManagerLocation } from '../protocol/records.ts';
import type { ResourceManagerGateway } from '../protocol/resource-manager-gateway.ts';
import type { JobFileRef } from '../protocol/task-deployment-descriptor.ts';
import { DefaultScheduler } from '../scheduler/default-scheduler.ts';
import type { ExceptionHistory } from '../scheduler/exception-history.ts';
import { SlotPool } from './slot-pool.ts';
import type { TaskExecutorGateway, TaskExecutorGatewayFactory } from '../protocol/task-executor-gateway.ts';

export interface JobMasterOptions {
  readonly jobGraph: JobGraph;
  readonly jobFile: JobFileRef;
  /** The cluster's configuration; the job graph's jobConfiguration goes on top of it. */
  readonly config: FlinkConfiguration;
  readonly clock: Clock;
  /** Already bound to the job (`jobId` field). */
  readonly logger: Logger;
  readonly resourceManager: ResourceManagerGateway;
  /** The JobManager's base URL, where TaskManagers reach this JobMaster's routes. */
  readonly jobMasterAddress: string;
  readonly taskExecutorGateway: TaskExecutorGatewayFactory;
  /** Called once, when the job reaches a globally terminal status. */
  readonly onTerminated?: (result: JobResult) => void;
}

/** A TaskManager that offered slots to this JobMaster (Flink's JobMaster.TaskManagerRegistration). */
interface TaskManagerRegistration {
  readonly location: TaskManagerLocation;
  readonly gateway: TaskExecutorGateway;
}

/**
 * Runs one job (Flink's JobMaster, reduced): the job's gateway for TaskManagers. It registers at
 * the Flink RM, takes TaskManager registrations and the slots they offer into its slot pool,
 * monitors them by heartbeat, and hands everything about executions (deployment, state reports,
 * failover and restart) to its DefaultScheduler. Checkpoint RPCs (acknowledge, decline) will be
 * delegated to the scheduler the same way. On a globally terminal status it frees its slots,
 * declares nothing more and disconnects from the RM.
 */
export class JobMaster {
  /** Fencing token of this JobMaster; TaskManagers pass it back with submitTask. */
  readonly jobMasterId: string = newFlinkId();
  private readonly options: JobMasterOptions;
  private readonly logger: Logger;
  private readonly rm: ResourceManagerGateway;
  private readonly slotPool = new SlotPool();
  private readonly taskManagers = new Map<string, TaskManagerRegistration>();
  /** TaskManagers answer heartbeat requests, and send their own, with their executions' states. */
  private readonly heartbeats: HeartbeatManager<readonly TaskExecutionState[], void>;
  private readonly scheduler: DefaultScheduler;
  private unsubscribeTaskManagerLost: (() => void) | undefined;
  private result: JobResult | undefined;
  private readonly resultWaiters: ((result: JobResult) => void)[] = [];

  constructor(options: JobMasterOptions) {
    this.options = options;
    this.logger = options.logger;
    this.rm = options.resourceManager;
    this.scheduler = new DefaultScheduler({
      jobGraph: options.jobGraph,
      jobFile: options.jobFile,
      config: options.config,
      clock: options.clock,
      logger: options.logger,
      jobMasterAddress: options.jobMasterAddress,
      jobMasterId: this.jobMasterId,
      slotPool: this.slotPool,
      taskExecutorGateway: (resourceId) => this.taskManagers.get(resourceId)?.gateway,
      declareRequiredSlots: (slots) => this.declareRequirements(slots),
      onGloballyTerminal: (status) => this.onGloballyTerminal(status),
    });
    this.heartbeats = new HeartbeatManager({
      clock: options.clock,
      logger: options.logger,
      services: heartbeatServicesFromConfiguration(options.config),
      listener: {
        notifyHeartbeatTimeout: (resourceId) => this.taskManagerLost(resourceId, heartbeatTimeoutCause('TaskManager', resourceId)),
        notifyTargetUnreachable: (resourceId) => this.taskManagerLost(resourceId, targetUnreachableCause('TaskManager', resourceId)),
        // Heartbeat payloads carry each task's state: the scheduler applies what it missed.
        reportPayload: (_resourceId, executions) => this.scheduler.reconcile(executions),
        retrievePayload: () => undefined,
      },
    });
  }

  get graph(): ExecutionGraph {
    return this.scheduler.graph;
  }

  get exceptionHistory(): ExceptionHistory {
    return this.scheduler.exceptionHistory;
  }

  get jobId(): string {
    return this.graph.jobId;
  }

  /** Slots the job needs: per slot sharing group the highest parallelism, summed. */
  get numberOfRequiredSlots(): number {
    return this.scheduler.numberOfRequiredSlots;
  }

  /** Slots currently held. */
  get numberOfSlots(): number {
    return this.slotPool.size;
  }

  get jobResult(): JobResult | undefined {
    return this.result;
  }

  /** A snapshot of the job for REST and the dashboard (Flink's JobMasterGateway.requestJob). */
  requestJob(): ExecutionGraphInfo {
    return {
      archivedExecutionGraph: archiveExecutionGraph(this.graph),
      exceptionHistory: [...this.exceptionHistory.list()],
      exceptionHistoryTruncated: this.exceptionHistory.truncated,
      slots: { required: this.numberOfRequiredSlots, acquired: this.numberOfSlots },
    };
  }

  /** Resolves once the job is globally terminal. */
  resultFuture(): Promise<JobResult> {
    if (this.result) return Promise.resolve(this.result);
    return new Promise((resolve) => this.resultWaiters.push(resolve));
  }

  /** Registers at the RM, starts heartbeats and schedules the job (CREATED -> RUNNING). */
  start(): void {
    this.rm.registerJobMaster(this.jobId, this.options.jobMasterAddress);
    this.unsubscribeTaskManagerLost = this.rm.onTaskManagerLost((resourceId, cause) => this.taskManagerLost(resourceId, cause));
    this.heartbeats.start();
    this.scheduler.startScheduling();
  }

  /** Cancels the job: CANCELLING, every task cancelled, then CANCELED. */
  cancel(): void {
    this.scheduler.cancel();
  }

  /** Stops timers without changing the job's status (JobManager shutdown). */
  close(): void {
    this.scheduler.close();
    this.heartbeats.stop();
    this.unsubscribeTaskManagerLost?.();
    this.unsubscribeTaskManagerLost = undefined;
  }

  // ---- JobMasterGateway (called by TaskManagers) ------------------------------------------------

  registerTaskManager(location: TaskManagerLocation): string {
    if (this.graph.isGloballyTerminal) throw new WeftError('IllegalState', `Job ${this.jobId} is ${this.graph.status}; it takes no TaskManagers`);
    const known = this.taskManagers.get(location.resourceId);
    if (!known || known.location.address !== location.address) {
      const gateway = this.options.taskExecutorGateway(location.address);
      this.taskManagers.set(location.resourceId, { location, gateway });
      this.heartbeats.monitorTarget(location.resourceId, {
        requestHeartbeat: async () => (await gateway.heartbeatFromJobManager({ body: { jobId: this.jobId } })).executions,
      });
      this.logger.info({ resourceId: location.resourceId, address: location.address }, 'Registered TaskManager at JobMaster');
    }
    return this.jobMasterId;
  }

  /** Accepts offers up to the job's slot need and deploys once it has them all; returns the accepted ids. */
  offerSlots(resourceId: string, offers: readonly SlotOffer[]): string[] {
    if (this.graph.isGloballyTerminal) return [];
    const location = this.taskManagers.get(resourceId)?.location ?? this.rm.taskManagers().find((t) => t.resourceId === resourceId)?.location;
    if (!location) {
      this.logger.warn({ resourceId }, 'Slot offer from an unknown TaskManager refused');
      return [];
    }
    if (!this.taskManagers.has(resourceId)) this.registerTaskManager(location);
    const required = this.scheduler.numberOfRequiredSlots;
    const accepted = this.slotPool.offer(location, offers, required);
    this.logger.info({ resourceId, offered: offers.length, accepted: accepted.length, slots: this.slotPool.size, required }, 'Slots offered');
    this.scheduler.tryDeploy();
    return accepted;
  }

  /** A TaskManager reports a state change; reports about unknown or superseded attempts are refused. */
  updateTaskExecutionState(update: TaskExecutionState): boolean {
    return this.scheduler.updateTaskExecutionState(update);
  }

  heartbeatFromTaskManager(resourceId: string, executions: readonly TaskExecutionState[]): boolean {
    if (!this.taskManagers.has(resourceId) || this.graph.isGloballyTerminal) return false;
    return this.heartbeats.receiveHeartbeat(resourceId, executions);
  }

  disconnectTaskManager(resourceId: string, cause: string): void {
    this.taskManagerLost(resourceId, cause);
  }

  /** Records of a collect sink of the current attempts (see DefaultScheduler.addCollectResults). */
  addCollectResults(executionAttemptId: string, sinkName: string, records: readonly unknown[]): void {
    this.scheduler.addCollectResults(executionAttemptId, sinkName, records);
  }

  collectResults(sinkName: string): readonly unknown[] {
    return this.scheduler.collectResults(sinkName);
  }

  collectSinkNames(): string[] {
    return this.scheduler.collectSinkNames();
  }

  // ---- TaskManager loss --------------------------------------------------------------------------

  /** A TaskManager is gone (heartbeat timeout, RM notice, disconnect): its slots go, its tasks fail. */
  taskManagerLost(resourceId: string, cause: string): void {
    const registered = this.taskManagers.delete(resourceId);
    this.heartbeats.unmonitorTarget(resourceId);
    const lostSlots = this.slotPool.releaseTaskManager(resourceId);
    if (!registered && lostSlots.length === 0) return;
    this.logger.warn({ resourceId, lostSlots: lostSlots.length, cause }, 'TaskManager lost');
    this.scheduler.taskManagerLost(resourceId, cause);
  }

  // ---- heartbeats and the RM ---------------------------------------------------------------------

  private declareRequirements(slots: number): void {
    this.rm.declareRequiredResources({
      jobId: this.jobId,
      jobMasterAddress: this.options.jobMasterAddress,
      requirements: slots > 0 ? [{ resourceProfile: ANY_RESOURCE_PROFILE, numberOfRequiredSlots: slots }] : [],
    });
  }

  // ---- termination -------------------------------------------------------------------------------

  private onGloballyTerminal(status: JobStatus): void {
    this.heartbeats.stop();
    const cause = `Job ${this.jobId} is ${status}`;
    for (const slot of this.slotPool.releaseAll()) {
      const tm = this.taskManagers.get(slot.location.resourceId);
      tm?.gateway.freeSlot({ body: { allocationId: slot.allocationId, cause } }).catch((err: unknown) => {
        this.logger.debug({ allocationId: slot.allocationId, err }, 'freeSlot failed');
      });
    }
    this.declareRequirements(0);
    this.rm.disconnectJobManager(this.jobId, cause);
    this.unsubscribeTaskManagerLost?.();
    this.unsubscribeTaskManagerLost = undefined;
    const result = jobResultOf(archiveExecutionGraph(this.graph))!;
    this.result = result;
    for (const resolve of this.resultWaiters.splice(0)) resolve(result);
    this.options.onTerminated?.(result);
  }
}
