import type { Logger } from 'pino';
import type { Cancel, Clock } from '../../rm/common/clock.ts';
import { WeftError } from '../../rm/common/errors.ts';
import { withJobConfiguration, type FlinkConfiguration } from '../config/flink-configuration.ts';
import type { Execution } from '../executiongraph/execution.ts';
import { eventForReportedState } from '../executiongraph/execution-state-transitions.ts';
import { ExecutionGraph } from '../executiongraph/execution-graph.ts';
import type { ExecutionVertex } from '../executiongraph/execution-vertex.ts';
import { heartbeatTimeoutCause, targetUnreachableCause } from '../heartbeat/heartbeat-listener.ts';
import { HeartbeatManager } from '../heartbeat/heartbeat-manager.ts';
import { heartbeatServicesFromConfiguration } from '../heartbeat/heartbeat-services.ts';
import type { JobGraph } from '../jobgraph/job-graph.ts';
import type { JobResult } from '../protocol/dispatcher-gateway.ts';
import type { TaskExecutionState } from '../protocol/job-master-gateway.ts';
import { ANY_RESOURCE_PROFILE, newFlinkId, serializeError, type SerializedThrowable, type SlotOffer, type TaskManagerLocation } from '../protocol/records.ts';
import type { ResourceManagerGateway } from '../protocol/resource-manager-gateway.ts';
import type { JobFileRef } from '../protocol/task-deployment-descriptor.ts';
import { createTaskDeploymentDescriptor } from '../scheduler/deployment-planner.ts';
import { ExceptionHistory } from '../scheduler/exception-history.ts';
import { createRestartStrategy, type RestartStrategy } from '../executiongraph/failover/restart-strategy.ts';
import { computeSlotSharingRequirements, planSlotAssignment, totalRequiredSlots } from '../scheduler/slot-sharing.ts';
import { SlotPool } from './slot-pool.ts';
import type { TaskExecutorGateway, TaskExecutorGatewayFactory } from './task-executor-gateway-factory.ts';

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

const isCanceling = (execution: Execution): boolean => execution.state === 'CANCELING';

/** A TaskManager that offered slots to this JobMaster (Flink's JobMaster.TaskManagerRegistration). */
interface TaskManagerRegistration {
  readonly location: TaskManagerLocation;
  readonly gateway: TaskExecutorGateway;
}

/**
 * Runs one job (Flink's JobMaster with its DefaultScheduler, slot pool and failover, reduced):
 * declares the slots the job needs to the Flink RM, takes the slots TaskManagers offer, deploys
 * every subtask once all slots are there (subtask i of each vertex of a slot sharing group into
 * that group's slot i, producers before consumers), follows the tasks' states, and on a failure
 * restarts the whole job after the fixed delay with new attempts, or fails it. On a globally
 * terminal status it frees its slots, declares nothing more and disconnects from the RM.
 */
export class JobMaster {
  /** Fencing token of this JobMaster; TaskManagers pass it back with submitTask. */
  readonly jobMasterId: string = newFlinkId();
  readonly graph: ExecutionGraph;
  readonly exceptionHistory = new ExceptionHistory();
  private readonly options: JobMasterOptions;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly rm: ResourceManagerGateway;
  private readonly slotPool = new SlotPool();
  private readonly taskManagers = new Map<string, TaskManagerRegistration>();
  /** TaskManagers answer heartbeat requests, and send their own, with their executions' states. */
  private readonly heartbeats: HeartbeatManager<readonly TaskExecutionState[], void>;
  private readonly restartStrategy: RestartStrategy;
  private readonly requiredSlots: number;
  private readonly collected = new Map<string, unknown[]>();
  /** Whether the current attempts have been given slots and submitted. */
  private deployed = false;
  private cancelRestartTimer: Cancel | undefined;
  private cancelSlotRequestTimer: Cancel | undefined;
  private unsubscribeTaskManagerLost: (() => void) | undefined;
  private result: JobResult | undefined;
  private readonly resultWaiters: ((result: JobResult) => void)[] = [];

  constructor(options: JobMasterOptions) {
    this.options = options;
    this.logger = options.logger;
    this.clock = options.clock;
    this.rm = options.resourceManager;
    this.graph = new ExecutionGraph({ jobGraph: options.jobGraph, jobFile: options.jobFile, clock: options.clock, logger: options.logger });
    this.requiredSlots = totalRequiredSlots(computeSlotSharingRequirements(options.jobGraph));
    this.restartStrategy = createRestartStrategy(withJobConfiguration(options.config, options.jobGraph.jobConfiguration ?? {}), { clock: options.clock });
    this.heartbeats = new HeartbeatManager({
      clock: options.clock,
      logger: options.logger,
      services: heartbeatServicesFromConfiguration(options.config),
      listener: {
        notifyHeartbeatTimeout: (resourceId) => this.taskManagerLost(resourceId, heartbeatTimeoutCause('TaskManager', resourceId)),
        notifyTargetUnreachable: (resourceId) => this.taskManagerLost(resourceId, targetUnreachableCause('TaskManager', resourceId)),
        reportPayload: (_resourceId, executions) => this.reconcile(executions),
        retrievePayload: () => undefined,
      },
    });
  }

  get jobId(): string {
    return this.graph.jobId;
  }

  /** Slots the job needs: per slot sharing group the highest parallelism, summed. */
  get numberOfRequiredSlots(): number {
    return this.requiredSlots;
  }

  /** Slots currently held. */
  get numberOfSlots(): number {
    return this.slotPool.size;
  }

  get jobResult(): JobResult | undefined {
    return this.result;
  }

  /** Resolves once the job is globally terminal. */
  resultFuture(): Promise<JobResult> {
    if (this.result) return Promise.resolve(this.result);
    return new Promise((resolve) => this.resultWaiters.push(resolve));
  }

  /** Registers at the RM, starts heartbeats and schedules the job (CREATED -> RUNNING). */
  start(): void {
    this.graph.transition({ type: 'INITIALIZED' });
    this.rm.registerJobMaster(this.jobId, this.options.jobMasterAddress);
    this.unsubscribeTaskManagerLost = this.rm.onTaskManagerLost((resourceId, cause) => this.taskManagerLost(resourceId, cause));
    this.heartbeats.start();
    this.logger.info({ requiredSlots: this.requiredSlots, restartStrategy: this.restartStrategy.describe() }, 'Starting scheduling of job');
    this.graph.transition({ type: 'START' });
    this.schedule();
  }

  /** Cancels the job: CANCELLING, every task cancelled, then CANCELED. */
  cancel(): void {
    if (this.graph.isGloballyTerminal || !this.graph.canHandle('CANCEL')) return;
    this.stopTimers();
    this.graph.transition({ type: 'CANCEL' });
    if (this.graph.isGloballyTerminal) {
      this.onGloballyTerminal();
      return;
    }
    this.cancelAllExecutions();
    this.checkTerminated();
  }

  /** Stops timers without changing the job's status (JobManager shutdown). */
  close(): void {
    this.stopTimers();
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
    const accepted = this.slotPool.offer(location, offers, this.requiredSlots);
    this.logger.info({ resourceId, offered: offers.length, accepted: accepted.length, slots: this.slotPool.size, required: this.requiredSlots }, 'Slots offered');
    this.tryDeploy();
    return accepted;
  }

  /** A TaskManager reports a state change; reports about unknown or superseded attempts are refused. */
  updateTaskExecutionState(update: TaskExecutionState): boolean {
    const found = this.graph.findCurrentExecution(update.executionAttemptId);
    if (!found) {
      this.logger.debug({ executionAttemptId: update.executionAttemptId, state: update.state }, 'State update for an unknown execution attempt ignored');
      return false;
    }
    this.applyReport(found.execution, found.vertex, update);
    return true;
  }

  heartbeatFromTaskManager(resourceId: string, executions: readonly TaskExecutionState[]): boolean {
    if (!this.taskManagers.has(resourceId) || this.graph.isGloballyTerminal) return false;
    return this.heartbeats.receiveHeartbeat(resourceId, executions);
  }

  disconnectTaskManager(resourceId: string, cause: string): void {
    this.taskManagerLost(resourceId, cause);
  }

  /**
   * Records of a collect sink, appended by sink name. Only the current attempts' records count;
   * a restart from scratch clears them, since the sources replay from the beginning.
   */
  addCollectResults(executionAttemptId: string, sinkName: string, records: readonly unknown[]): void {
    if (!this.graph.findCurrentExecution(executionAttemptId)) return;
    const list = this.collected.get(sinkName) ?? [];
    list.push(...records);
    this.collected.set(sinkName, list);
  }

  collectResults(sinkName: string): readonly unknown[] {
    return this.collected.get(sinkName) ?? [];
  }

  collectSinkNames(): string[] {
    return [...this.collected.keys()];
  }

  // ---- TaskManager loss --------------------------------------------------------------------------

  /** A TaskManager is gone (heartbeat timeout, RM notice, disconnect): its slots go, its tasks fail. */
  taskManagerLost(resourceId: string, cause: string): void {
    const registered = this.taskManagers.delete(resourceId);
    this.heartbeats.unmonitorTarget(resourceId);
    const lostSlots = this.slotPool.releaseTaskManager(resourceId);
    if (!registered && lostSlots.length === 0) return;
    this.logger.warn({ resourceId, lostSlots: lostSlots.length, cause }, 'TaskManager lost');
    if (this.graph.isGloballyTerminal) return;
    const error: SerializedThrowable = {
      className: 'org.apache.flink.runtime.jobmaster.JobMasterException',
      message: `TaskManager with id ${resourceId} is no longer reachable: ${cause}`,
      stack: `org.apache.flink.runtime.jobmaster.JobMasterException: TaskManager with id ${resourceId} is no longer reachable: ${cause}`,
    };
    const failed: { execution: Execution; vertex: ExecutionVertex }[] = [];
    for (const vertex of this.graph.allExecutionVertices()) {
      const execution = vertex.currentExecution;
      if (execution.isTerminal || execution.slot?.location.resourceId !== resourceId) continue;
      if (execution.state === 'CANCELING') {
        execution.handle({ type: 'CANCELED' });
      } else {
        execution.handle({ type: 'FAIL', error });
        failed.push({ execution, vertex });
      }
    }
    if (failed.length > 0) this.onTasksFailed(failed);
    if (!this.graph.isGloballyTerminal && !this.deployed) this.declareRequirements(this.requiredSlots);
    this.checkTerminated();
  }

  // ---- scheduling and deployment -----------------------------------------------------------------

  private schedule(): void {
    for (const vertex of this.graph.allExecutionVertices()) this.transitionExecution(vertex.currentExecution, vertex, { type: 'SCHEDULE' });
    this.declareRequirements(this.requiredSlots);
    this.cancelSlotRequestTimer?.();
    this.cancelSlotRequestTimer = this.clock.schedule(this.options.config['slot.request.timeout'], () => {
      this.cancelSlotRequestTimer = undefined;
      if (this.deployed || this.graph.status !== 'RUNNING') return;
      const message = `Could not acquire the minimum required resources: ${this.slotPool.size} of ${this.requiredSlots} slots after ${this.options.config['slot.request.timeout']} ms.`;
      this.logger.warn({ slots: this.slotPool.size, required: this.requiredSlots }, message);
      const error = { className: 'org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException', message, stack: `org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException: ${message}` };
      this.exceptionHistory.addRoot({ exceptionName: error.className, stacktrace: error.stack, timestamp: this.clock.now(), taskName: null, location: null, taskManagerId: null });
      this.failover(error);
    });
    this.tryDeploy();
  }

  private declareRequirements(slots: number): void {
    this.rm.declareRequiredResources({
      jobId: this.jobId,
      jobMasterAddress: this.options.jobMasterAddress,
      requirements: slots > 0 ? [{ resourceProfile: ANY_RESOURCE_PROFILE, numberOfRequiredSlots: slots }] : [],
    });
  }

  private tryDeploy(): void {
    if (this.deployed || this.graph.status !== 'RUNNING' || this.slotPool.size < this.requiredSlots) return;
    this.deployed = true;
    this.cancelSlotRequestTimer?.();
    this.cancelSlotRequestTimer = undefined;
    const plan = planSlotAssignment(this.graph.jobGraph, this.slotPool.all().map((s) => s.allocationId));
    const ctx = { graph: this.graph, jobMasterAddress: this.options.jobMasterAddress, bufferTimeoutMs: this.options.config['execution.buffer-timeout'] };
    const submissions: { execution: Execution; vertex: ExecutionVertex; gateway: TaskExecutorGateway; tdd: ReturnType<typeof createTaskDeploymentDescriptor> }[] = [];
    for (const jobVertex of this.graph.verticesInTopologicalOrder) {
      const slots = plan.get(jobVertex.id) ?? [];
      for (const vertex of jobVertex.taskVertices) {
        const execution = vertex.currentExecution;
        const slot = this.slotPool.get(slots[vertex.subtaskIndex] ?? '');
        const tm = slot ? this.taskManagers.get(slot.location.resourceId) : undefined;
        if (!slot || !tm) throw new Error(`no slot for ${vertex.taskName}`);
        execution.slot = { allocationId: slot.allocationId, location: slot.location };
        this.transitionExecution(execution, vertex, { type: 'DEPLOY' });
        submissions.push({ execution, vertex, gateway: tm.gateway, tdd: createTaskDeploymentDescriptor(ctx, jobVertex, vertex) });
      }
    }
    this.logger.info({ tasks: submissions.length, slots: this.slotPool.size }, 'Deploying job');
    for (const { execution, vertex, gateway, tdd } of submissions) {
      this.logger.debug({ executionAttemptId: execution.attemptId, task: vertex.taskName, resourceId: execution.slot?.location.resourceId }, 'Deploying task');
      gateway.submitTask({ body: { tdd, jobMasterId: this.jobMasterId } }).catch((err: unknown) => {
        if (this.graph.findCurrentExecution(execution.attemptId)?.execution !== execution || execution.isTerminal) return;
        this.logger.warn({ executionAttemptId: execution.attemptId, err }, 'submitTask failed');
        this.transitionExecution(execution, vertex, { type: 'FAIL', error: serializeError(err) });
      });
    }
  }

  // ---- state reports -----------------------------------------------------------------------------

  /** Heartbeat payloads carry each task's state: apply what the JobMaster missed. */
  private reconcile(executions: readonly TaskExecutionState[]): void {
    for (const report of executions) {
      const found = this.graph.findCurrentExecution(report.executionAttemptId);
      if (found) this.applyReport(found.execution, found.vertex, report);
    }
  }

  private applyReport(execution: Execution, vertex: ExecutionVertex, report: TaskExecutionState): void {
    if (report.ioMetrics) execution.ioMetrics = report.ioMetrics;
    const event = eventForReportedState(report.state, report.error);
    if (!event) return;
    if (!execution.canHandle(event.type)) {
      this.logger.debug({ executionAttemptId: execution.attemptId, state: execution.state, reported: report.state }, 'Out-of-order task state report ignored');
      return;
    }
    this.transitionExecution(execution, vertex, event);
  }

  private transitionExecution(execution: Execution, vertex: ExecutionVertex, event: Parameters<Execution['handle']>[0]): void {
    const wasCanceling = execution.state === 'CANCELING';
    if (!execution.handle(event)) return;
    if (execution.state === 'FAILED' && !wasCanceling) this.onTasksFailed([{ execution, vertex }]);
    if (execution.state === 'FINISHED' && this.graph.status === 'RUNNING' && this.graph.allExecutionsFinished()) {
      this.graph.transition({ type: 'FINISH' });
      this.onGloballyTerminal();
      return;
    }
    this.checkTerminated();
  }

  // ---- failover ----------------------------------------------------------------------------------

  /**
   * Tasks failed (one report, or every task of a lost TaskManager): the first starts a failover
   * and becomes an exception history entry, the others are its concurrent exceptions. Failures
   * during a failover already under way only join its entry; during a cancel they are expected.
   */
  private onTasksFailed(failed: readonly { execution: Execution; vertex: ExecutionVertex }[]): void {
    const status = this.graph.status;
    if (status === 'CANCELLING' || this.graph.isGloballyTerminal) return;
    const startsFailover = status === 'RUNNING' || status === 'CREATED';
    failed.forEach(({ execution, vertex }, i) => {
      const error = execution.failure ?? serializeError(new Error('unknown failure'));
      const entry = {
        exceptionName: error.className,
        stacktrace: error.stack,
        timestamp: this.clock.now(),
        taskName: vertex.taskName,
        location: execution.slot ? execution.slot.location.dataAddress : null,
        taskManagerId: execution.slot ? execution.slot.location.resourceId : null,
      };
      if (startsFailover && i === 0) {
        this.logger.warn({ executionAttemptId: execution.attemptId, task: vertex.taskName, error: error.message }, 'Task failed');
        this.exceptionHistory.addRoot(entry);
      } else {
        this.exceptionHistory.addConcurrent(entry);
      }
    });
    const first = failed[0]?.execution;
    if (startsFailover && first) this.failover(first.failure ?? serializeError(new Error('unknown failure')));
  }

  /** A failure that needs a reaction: restart the whole job after the delay, or fail it. */
  private failover(error: SerializedThrowable): void {
    this.restartStrategy.notifyFailure();
    if (this.restartStrategy.canRestart()) {
      this.restart();
      return;
    }
    this.logger.warn({ restartStrategy: this.restartStrategy.describe() }, 'Job failed; the restart strategy does not allow a restart');
    this.stopTimers();
    this.graph.transition({ type: 'FAIL', error });
    this.cancelAllExecutions();
    this.checkTerminated();
  }

  private restart(): void {
    const delayMs = this.restartStrategy.backoffTimeMs();
    this.graph.transition({ type: 'RESTART' });
    this.deployed = false;
    this.cancelSlotRequestTimer?.();
    this.cancelSlotRequestTimer = undefined;
    this.cancelAllExecutions();
    this.logger.info({ delayMs }, 'Restarting job after the restart delay');
    this.cancelRestartTimer = this.clock.schedule(delayMs, () => {
      this.cancelRestartTimer = undefined;
      this.restartAfterDelay();
    });
  }

  private restartAfterDelay(): void {
    if (this.graph.status !== 'RESTARTING') return;
    for (const vertex of this.graph.allExecutionVertices()) {
      const execution = vertex.currentExecution;
      if (execution.isTerminal) continue;
      // Still cancelling after the delay: the new attempt does not wait for it (the TM fences by attempt id).
      this.logger.warn({ executionAttemptId: execution.attemptId, state: execution.state }, 'Task not cancelled before restart; considered cancelled');
      execution.handle({ type: 'CANCELED' });
    }
    this.graph.resetAllForNewExecution();
    this.collected.clear();
    this.graph.transition({ type: 'START' });
    this.schedule();
  }

  private cancelAllExecutions(): void {
    for (const vertex of this.graph.allExecutionVertices()) {
      const execution = vertex.currentExecution;
      if (execution.isTerminal || isCanceling(execution)) continue;
      execution.handle({ type: 'CANCEL' });
      if (!isCanceling(execution)) continue;
      const tm = execution.slot ? this.taskManagers.get(execution.slot.location.resourceId) : undefined;
      if (!tm) {
        execution.handle({ type: 'CANCELED' });
        continue;
      }
      tm.gateway.cancelTask({ body: { executionAttemptId: execution.attemptId } }).catch((err: unknown) => {
        this.logger.warn({ executionAttemptId: execution.attemptId, err }, 'cancelTask failed; the task is considered cancelled');
        if (isCanceling(execution)) {
          execution.handle({ type: 'CANCELED' });
          this.checkTerminated();
        }
      });
    }
  }

  private checkTerminated(): void {
    const status = this.graph.status;
    if ((status === 'FAILING' || status === 'CANCELLING') && this.graph.allExecutionsTerminal()) {
      this.graph.transition({ type: 'TERMINATED' });
      this.onGloballyTerminal();
    }
  }

  // ---- termination -------------------------------------------------------------------------------

  private stopTimers(): void {
    this.cancelRestartTimer?.();
    this.cancelRestartTimer = undefined;
    this.cancelSlotRequestTimer?.();
    this.cancelSlotRequestTimer = undefined;
  }

  private onGloballyTerminal(): void {
    const status = this.graph.status;
    this.logger.info({ status }, 'Job reached a globally terminal state');
    this.stopTimers();
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
    const end = this.graph.endTime;
    this.result = {
      jobId: this.jobId,
      status,
      ...(status === 'FINISHED' || !this.graph.failureCause ? {} : { failureCause: this.graph.failureCause }),
      netRuntimeMs: Math.max(0, end - this.graph.startTime),
    };
    const result = this.result;
    for (const resolve of this.resultWaiters.splice(0)) resolve(result);
    this.options.onTerminated?.(result);
  }
}
