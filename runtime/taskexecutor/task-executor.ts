import type { Clock } from '../../rm/common/clock.ts';
import type { TaskExecutorMemoryConfiguration } from '../protocol/task-executor-memory-configuration.ts';
import { WeftError } from '../../rm/common/errors.ts';
import type { Logger } from '../../rm/common/logger.ts';
import { createInProcessClient } from '../../rm/common/in-process-client.ts';
import type { Handlers } from '../../rm/common/route.ts';
import type { NetworkEnvironment } from '../network/network-environment.ts';
import type { ResultPartition } from '../network/result-partition.ts';
import type { JobMasterGatewayFactory, TaskExecutionState } from '../protocol/job-master-gateway.ts';
import type { ResourceProfile, SlotId, SlotOffer, SlotReport, TaskManagerLocation } from '../protocol/records.ts';
import type { ResourceManagerTaskExecutorGateway } from '../protocol/resource-manager-gateway.ts';
import type { TaskDeploymentDescriptor } from '../protocol/task-deployment-descriptor.ts';
import type { TaskManagerMetricsInfo } from '../protocol/task-manager-metrics-info.ts';
import { taskExecutorRoutes, type TaskExecutorGateway } from '../protocol/task-executor-gateway.ts';
import type { TextOutput } from '../streaming/text-output.ts';
import { HeartbeatManager } from '../heartbeat/heartbeat-manager.ts';
import type { JobLibrary } from './job-library.ts';
import { JobMasterConnection } from './job-master-connection.ts';
import { ResourceManagerConnection } from './resource-manager-connection.ts';
import { TaskSlotState } from './slot/task-slot.ts';
import type { TaskSlotTable } from './slot/task-slot-table.ts';
import { Task } from './task.ts';

export interface TaskExecutorOptions {
  readonly resourceId: string;
  readonly host: string;
  readonly numberOfSlots: number;
  readonly memoryMb: number;
  /** The FLIP-49 breakdown of memoryMb, reported with the registration. */
  readonly memoryConfiguration?: TaskExecutorMemoryConfiguration;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  /** How long stop() waits for cancelled tasks to end. */
  readonly stopTimeoutMs?: number;
  readonly collectFlushIntervalMs?: number;
}

export interface TaskExecutorDeps {
  readonly options: TaskExecutorOptions;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly resourceManager: ResourceManagerTaskExecutorGateway;
  readonly jobMasters: JobMasterGatewayFactory;
  readonly slotTable: TaskSlotTable<Task>;
  readonly network: NetworkEnvironment;
  readonly jobs: JobLibrary;
  readonly stdout: TextOutput;
  /** The TM cannot go on (RM rejected it or stayed unreachable): the process should exit non-zero. */
  readonly onFatalError: (error: Error) => void;
  /** This process's memory and buffers, for the RM's heartbeats (`/taskmanagers/:id`). */
  readonly metrics?: () => TaskManagerMetricsInfo;
}

/** Each slot's share of the TaskManager: memory divided by slots, one core per slot. */
export function defaultSlotResourceProfile(memoryMb: number, numberOfSlots: number): ResourceProfile {
  const perSlot = Math.floor(memoryMb / numberOfSlots);
  return { cpuCores: 1, taskHeapMemoryMb: perSlot, managedMemoryMb: 0 };
}

/**
 * A TaskManager (Flink's TaskExecutor): registers at the Flink RM with its slots, takes slot
 * requests and offers the slots to the job's JobMaster, runs the tasks deployed into them and
 * reports their states. Serves taskExecutorRoutes through {@link handlers}.
 */
export class TaskExecutor {
  readonly resourceId: string;
  private readonly deps: TaskExecutorDeps;
  private readonly logger: Logger;
  private locationValue: TaskManagerLocation | null = null;
  private readonly rm: ResourceManagerConnection;
  private readonly jobMasters = new Map<string, JobMasterConnection>();
  /**
   * Flink's jobManagerHeartbeatManager: the JobMasters of this TaskManager's jobs, by job id. Only
   * heartbeat.timeout counts (no rpc-failure threshold): a JobMaster busy deploying gets its whole timeout.
   */
  private readonly jobManagerHeartbeats: HeartbeatManager<boolean, readonly TaskExecutionState[]>;
  private readonly tasks = new Map<string, Task>();
  /** Partitions of finished tasks, by job: released when the job leaves this TaskManager. */
  private readonly finishedPartitions = new Map<string, ResultPartition<unknown>[]>();
  private stopping = false;

  constructor(deps: TaskExecutorDeps) {
    this.deps = deps;
    this.resourceId = deps.options.resourceId;
    this.logger = deps.logger.child({ resourceId: this.resourceId });
    this.rm = new ResourceManagerConnection({
      client: deps.resourceManager,
      clock: deps.clock,
      logger: this.logger,
      registration: () => ({
        location: this.location,
        numberOfSlots: deps.options.numberOfSlots,
        defaultSlotResourceProfile: defaultSlotResourceProfile(deps.options.memoryMb, deps.options.numberOfSlots),
        memoryMb: deps.options.memoryMb,
        ...(deps.options.memoryConfiguration ? { memoryConfiguration: deps.options.memoryConfiguration } : {}),
      }),
      slotReport: () => deps.slotTable.createSlotReport(),
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      heartbeatIntervalMs: deps.options.heartbeatIntervalMs,
      heartbeatTimeoutMs: deps.options.heartbeatTimeoutMs,
      onFatalError: (err) => {
        this.logger.error({ err }, 'TaskManager cannot continue');
        deps.onFatalError(err);
      },
    });
    this.jobManagerHeartbeats = new HeartbeatManager({
      clock: deps.clock,
      logger: this.logger,
      services: { intervalMs: deps.options.heartbeatIntervalMs, timeoutMs: deps.options.heartbeatTimeoutMs, rpcFailureThreshold: 0 },
      listener: {
        notifyHeartbeatTimeout: (jobId) => this.jobMasters.get(jobId)?.heartbeatTimedOut(),
        notifyTargetUnreachable: (jobId) => this.jobMasters.get(jobId)?.heartbeatTimedOut(),
        reportPayload: (jobId, known) => this.jobMasters.get(jobId)?.heartbeatAnswered(known),
        retrievePayload: (jobId) => this.executionsOf(jobId),
      },
    });
    deps.slotTable.onSlotFreed((index, allocationId, jobId) => {
      this.logger.info({ slot: index, allocationId, jobId }, 'slot freed');
      this.rm.notifySlotAvailable(index, allocationId);
      if (deps.slotTable.allocationsOfJob(jobId).length === 0) this.releaseJob(jobId);
    });
  }

  /** The tasks deployed here and not yet gone, for the metrics endpoint. */
  get deployedTasks(): Iterable<Task> {
    return this.tasks.values();
  }

  get location(): TaskManagerLocation {
    if (!this.locationValue) throw new Error('the TaskExecutor is not started');
    return this.locationValue;
  }

  get resourceManagerConnection(): ResourceManagerConnection {
    return this.rm;
  }

  /** Starts registering at the RM; `address` serves taskExecutorRoutes, `dataAddress` is the network's port. */
  start(address: string, dataAddress: string): void {
    this.locationValue = { resourceId: this.resourceId, address, dataAddress, host: this.deps.options.host };
    this.logger.info({ address, dataAddress, slots: this.deps.options.numberOfSlots }, 'TaskExecutor starting');
    this.rm.start();
    this.jobManagerHeartbeats.start();
  }

  requestSlot(slotId: SlotId, jobId: string, allocationId: string, targetAddress: string): void {
    if (this.stopping) throw new WeftError('ServiceUnavailable', `TaskManager ${this.resourceId} is shutting down`);
    if (slotId.resourceId !== this.resourceId) throw new WeftError('BadRequest', `slot ${slotId.resourceId}/${slotId.slotNumber} is not a slot of TaskManager ${this.resourceId}`);
    const fresh = this.deps.slotTable.allocateSlot(slotId.slotNumber, jobId, allocationId);
    if (fresh) {
      this.logger.info({ slot: slotId.slotNumber, jobId, allocationId, jobMaster: targetAddress }, 'slot allocated');
      this.rm.reportSlots();
    }
    this.connectionTo(jobId, targetAddress).offerSlots();
  }

  submitTask(tdd: TaskDeploymentDescriptor): void {
    if (this.stopping) throw new WeftError('ServiceUnavailable', `TaskManager ${this.resourceId} is shutting down`);
    // The JobMaster deploys as soon as it accepted the offer; its answer may not have arrived yet.
    this.deps.slotTable.tryMarkSlotActive(tdd.jobId, tdd.allocationId);
    this.deps.slotTable.checkTaskSlot(tdd.executionAttemptId, tdd.jobId, tdd.allocationId);
    const connection = this.jobMasters.get(tdd.jobId);
    if (!connection) throw new WeftError('IllegalState', `TaskManager ${this.resourceId} is not connected to the JobMaster of job ${tdd.jobId}; cannot deploy ${tdd.taskName}`);
    if (this.tasks.has(tdd.executionAttemptId)) throw new WeftError('IllegalState', `task ${tdd.executionAttemptId} is already deployed on ${this.resourceId}`);
    const task = new Task({
      tdd,
      resourceId: this.resourceId,
      clock: this.deps.clock,
      logger: this.logger,
      network: this.deps.network,
      loadJob: (t) => this.deps.jobs.load(t),
      jobMaster: connection.gateway,
      stdout: this.deps.stdout,
      ...(this.deps.options.collectFlushIntervalMs === undefined ? {} : { collectFlushIntervalMs: this.deps.options.collectFlushIntervalMs }),
    });
    this.deps.slotTable.addTask(task, tdd.jobId, tdd.allocationId);
    this.tasks.set(task.executionAttemptId, task);
    void task.whenTerminated().then((state) => {
      if (state === 'FINISHED' && task.producedPartitions.length > 0) {
        const kept = this.finishedPartitions.get(task.jobId) ?? [];
        kept.push(...task.producedPartitions);
        this.finishedPartitions.set(task.jobId, kept);
      }
      this.tasks.delete(task.executionAttemptId);
      this.deps.slotTable.removeTask(task.executionAttemptId);
    });
    this.logger.info({ jobId: tdd.jobId, executionAttemptId: tdd.executionAttemptId, task: task.name, allocationId: tdd.allocationId }, 'task deployed');
    task.start();
  }

  cancelTask(executionAttemptId: string): void {
    const task = this.tasks.get(executionAttemptId);
    // Idempotent, as the route says: a task that already ended has nothing left to cancel.
    if (!task) {
      this.logger.debug({ executionAttemptId }, 'cancelTask for a task that is not (or no longer) here');
      return;
    }
    task.cancel();
  }

  freeSlot(allocationId: string, cause: string): void {
    const slot = this.deps.slotTable.slotOf(allocationId);
    if (!slot) return;
    this.logger.info({ slot: slot.index, allocationId, cause, tasks: slot.tasks.size }, 'freeing slot');
    const { tasksToCancel } = this.deps.slotTable.freeSlot(allocationId);
    for (const task of tasksToCancel) task.cancel();
  }

  heartbeatFromResourceManager(resourceManagerId: string): SlotReport {
    return this.rm.heartbeatFromResourceManager(resourceManagerId);
  }

  heartbeatFromJobManager(jobId: string): readonly TaskExecutionState[] {
    return this.jobManagerHeartbeats.requestHeartbeat(jobId);
  }

  /** The JobMaster let go of this TaskManager: free every slot of the job. */
  disconnectJobManager(jobId: string, cause: string): void {
    this.logger.info({ jobId, cause }, 'JobMaster disconnected');
    this.freeSlotsOfJob(jobId, `JobMaster disconnected: ${cause}`);
    this.releaseJob(jobId);
  }

  executionsOf(jobId: string): TaskExecutionState[] {
    return this.deps.slotTable.tasksOfJob(jobId).map((t) => t.executionState());
  }

  /** The route handlers (registerRoutes(router, taskExecutorRoutes, handlers, ...)). */
  /**
   * TaskExecutorGateway in this process (a JobManager and TaskManagers wired in one process),
   * validated as over HTTP, minus the sockets.
   */
  inProcessGateway(): TaskExecutorGateway {
    return createInProcessClient(taskExecutorRoutes, this.handlers(), { caller: () => undefined, ...(this.locationValue ? { origin: this.locationValue.address } : {}) });
  }

  handlers(): Handlers<typeof taskExecutorRoutes, unknown> {
    return {
      requestSlot: ({ body }) => {
        this.requestSlot(body.slotId, body.jobId, body.allocationId, body.targetAddress);
        return {};
      },
      submitTask: ({ body }) => {
        this.submitTask(body.tdd);
        return {};
      },
      cancelTask: ({ body }) => {
        this.cancelTask(body.executionAttemptId);
        return {};
      },
      freeSlot: ({ body }) => {
        this.freeSlot(body.allocationId, body.cause);
        return {};
      },
      heartbeatFromResourceManager: ({ body }) => ({
        slotReport: this.heartbeatFromResourceManager(body.resourceManagerId),
        ...(this.deps.metrics ? { metrics: this.deps.metrics() } : {}),
      }),
      heartbeatFromJobManager: ({ body }) => ({ executions: [...this.heartbeatFromJobManager(body.jobId)] }),
      disconnectJobManager: ({ body }) => {
        this.disconnectJobManager(body.jobId, body.cause);
        return {};
      },
    };
  }

  /** Cancels every task, waits (bounded) for them to end, and says goodbye to JobMasters and the RM. */
  async stop(cause = 'TaskManager is shutting down'): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const running = [...this.tasks.values()];
    for (const task of running) task.cancel();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(running.map((t) => t.whenTerminated())),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.deps.options.stopTimeoutMs ?? 5000);
      }),
    ]);
    clearTimeout(timer);
    const connections = [...this.jobMasters.values()];
    this.jobMasters.clear();
    this.jobManagerHeartbeats.stop();
    await Promise.all([...connections.map((c) => c.close(cause)), this.rm.stop(cause)]);
    this.logger.info('TaskExecutor stopped');
  }

  private connectionTo(jobId: string, address: string): JobMasterConnection {
    const existing = this.jobMasters.get(jobId);
    if (existing && existing.address === address) return existing;
    if (existing) {
      this.logger.info({ jobId, from: existing.address, to: address }, 'the job has a new JobMaster');
      void existing.close();
    }
    const connection = new JobMasterConnection({
      jobId,
      address,
      gateway: this.deps.jobMasters(address),
      clock: this.deps.clock,
      logger: this.logger,
      location: this.location,
      heartbeats: this.jobManagerHeartbeats,
      pendingOffers: () => this.pendingOffers(jobId),
      onOfferResult: (accepted, offered) => this.onOfferResult(jobId, accepted, offered),
      onLost: (cause) => {
        if (this.jobMasters.get(jobId) === connection) this.jobMasters.delete(jobId);
        this.freeSlotsOfJob(jobId, cause);
      },
    });
    this.jobMasters.set(jobId, connection);
    connection.start();
    return connection;
  }

  private pendingOffers(jobId: string): SlotOffer[] {
    return this.deps.slotTable
      .allocationsOfJob(jobId)
      .filter((s) => s.state === TaskSlotState.ALLOCATED)
      .map((s) => ({ allocationId: s.allocationId!, slotIndex: s.index, resourceProfile: s.resourceProfile }));
  }

  private onOfferResult(jobId: string, accepted: ReadonlySet<string>, offered: readonly SlotOffer[]): void {
    for (const offer of offered) {
      if (accepted.has(offer.allocationId)) {
        if (this.deps.slotTable.markSlotActive(offer.allocationId)) this.logger.info({ jobId, slot: offer.slotIndex, allocationId: offer.allocationId }, 'slot offer accepted');
      } else {
        this.logger.info({ jobId, slot: offer.slotIndex, allocationId: offer.allocationId }, 'slot offer rejected; freeing the slot');
        this.freeSlot(offer.allocationId, 'offer rejected by the JobMaster');
      }
    }
  }

  private freeSlotsOfJob(jobId: string, cause: string): void {
    for (const slot of this.deps.slotTable.allocationsOfJob(jobId)) {
      if (slot.allocationId !== null) this.freeSlot(slot.allocationId, cause);
    }
  }

  /** The job holds no slot any more: stop talking to its JobMaster and forget its code. */
  private releaseJob(jobId: string): void {
    if (this.deps.slotTable.allocationsOfJob(jobId).length > 0) return;
    const connection = this.jobMasters.get(jobId);
    if (connection) {
      this.jobMasters.delete(jobId);
      void connection.close();
    }
    this.deps.jobs.release(jobId);
    // Partitions nobody consumed (e.g. a consumer was cancelled) would hold buffers for ever.
    const network = this.deps.network;
    for (const partition of this.finishedPartitions.get(jobId) ?? []) {
      if (network.partitions.get(partition.id) === partition) network.releasePartition(partition, new Error(`job ${jobId} left TaskManager ${this.resourceId}`));
    }
    this.finishedPartitions.delete(jobId);
  }
}
