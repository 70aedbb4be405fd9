import type { Logger } from 'pino';
import type { Cancel, Clock } from '../../rm/common/clock.ts';
import { withJobConfiguration, type FlinkConfiguration } from '../config/flink-configuration.ts';
import type { Execution } from '../executiongraph/execution.ts';
import { eventForReportedState } from '../executiongraph/execution-state-transitions.ts';
import { ExecutionGraph } from '../executiongraph/execution-graph.ts';
import type { ExecutionVertex } from '../executiongraph/execution-vertex.ts';
import { createRestartStrategy, type RestartStrategy } from '../executiongraph/failover/restart-strategy.ts';
import type { JobGraph } from '../jobgraph/job-graph.ts';
import type { SlotPool } from '../jobmaster/slot-pool.ts';
import type { TaskExecutorGateway } from '../protocol/task-executor-gateway.ts';
import type { TaskExecutionState } from '../protocol/job-master-gateway.ts';
import { serializeError, type JobStatus, type SerializedThrowable } from '../protocol/records.ts';
import type { JobFileRef } from '../protocol/task-deployment-descriptor.ts';
import { createTaskDeploymentDescriptor } from './deployment-planner.ts';
import { ExceptionHistory } from './exception-history.ts';
import { computeSlotSharingRequirements, planSlotAssignment, totalRequiredSlots } from './slot-sharing.ts';

export interface DefaultSchedulerOptions {
  readonly jobGraph: JobGraph;
  readonly jobFile: JobFileRef;
  /** The cluster's configuration; the job graph's jobConfiguration goes on top of it. */
  readonly config: FlinkConfiguration;
  readonly clock: Clock;
  /** Already bound to the job (`jobId` field). */
  readonly logger: Logger;
  /** The JobManager's base URL, where TaskManagers reach the JobMaster's routes. */
  readonly jobMasterAddress: string;
  /** The JobMaster's fencing token, sent with every submitTask. */
  readonly jobMasterId: string;
  /** The JobMaster's slot pool: the scheduler deploys into the slots it holds. */
  readonly slotPool: SlotPool;
  /** The gateway of a TaskManager registered at the JobMaster, by resource id. */
  readonly taskExecutorGateway: (resourceId: string) => TaskExecutorGateway | undefined;
  /** Declares to the Flink RM how many slots the job needs (0: none). */
  readonly declareRequiredSlots: (slots: number) => void;
  /** Called once, when the job reaches a globally terminal status (after the scheduler's timers stopped). */
  readonly onGloballyTerminal: (status: JobStatus) => void;
}

const isCanceling = (execution: Execution): boolean => execution.state === 'CANCELING';

/**
 * Schedules one job and reacts to its failures (Flink's DefaultScheduler, reduced): owns the
 * ExecutionGraph and the exception history, deploys every subtask once the slot pool holds all
 * the slots the job needs (subtask i of each vertex of a slot sharing group into that group's slot
 * i, producers before consumers), follows the tasks' states, and on a failure restarts the whole
 * job after the restart strategy's backoff with new attempts, or fails it.
 *
 * The JobMaster keeps the RPC side (TaskManager registrations, slot offers, heartbeats, the RM
 * connection) and hands the scheduler what concerns executions. The checkpoint coordinator belongs
 * here, as in Flink's SchedulerBase: built with the graph, started when the job reaches RUNNING,
 * restoring the latest checkpoint before a restart redeploys.
 */
export class DefaultScheduler {
  readonly graph: ExecutionGraph;
  readonly exceptionHistory = new ExceptionHistory();
  private readonly options: DefaultSchedulerOptions;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly slotPool: SlotPool;
  private readonly restartStrategy: RestartStrategy;
  private readonly requiredSlots: number;
  private readonly collected = new Map<string, unknown[]>();
  /** Whether the current attempts have been given slots and submitted. */
  private deployed = false;
  private cancelRestartTimer: Cancel | undefined;
  private cancelSlotRequestTimer: Cancel | undefined;

  constructor(options: DefaultSchedulerOptions) {
    this.options = options;
    this.logger = options.logger;
    this.clock = options.clock;
    this.slotPool = options.slotPool;
    this.graph = new ExecutionGraph({ jobGraph: options.jobGraph, jobFile: options.jobFile, clock: options.clock, logger: options.logger });
    this.requiredSlots = totalRequiredSlots(computeSlotSharingRequirements(options.jobGraph));
    this.restartStrategy = createRestartStrategy(withJobConfiguration(options.config, options.jobGraph.jobConfiguration ?? {}), { clock: options.clock });
  }

  /** Slots the job needs: per slot sharing group the highest parallelism, summed. */
  get numberOfRequiredSlots(): number {
    return this.requiredSlots;
  }

  /** CREATED -> RUNNING: every subtask SCHEDULED, the slots declared, deployed once they are there. */
  startScheduling(): void {
    this.graph.transition({ type: 'INITIALIZED' });
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
  }

  /** A task's state report; reports about unknown or superseded attempts are refused. */
  updateTaskExecutionState(update: TaskExecutionState): boolean {
    const found = this.graph.findCurrentExecution(update.executionAttemptId);
    if (!found) {
      this.logger.debug({ executionAttemptId: update.executionAttemptId, state: update.state }, 'State update for an unknown execution attempt ignored');
      return false;
    }
    this.applyReport(found.execution, found.vertex, update);
    return true;
  }

  /** Heartbeat payloads carry each task's state: apply what the JobMaster missed. */
  reconcile(executions: readonly TaskExecutionState[]): void {
    for (const report of executions) {
      const found = this.graph.findCurrentExecution(report.executionAttemptId);
      if (found) this.applyReport(found.execution, found.vertex, report);
    }
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

  /** A TaskManager the JobMaster lost, and its slots with it: the tasks that ran there fail. */
  taskManagerLost(resourceId: string, cause: string): void {
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
    if (!this.graph.isGloballyTerminal && !this.deployed) this.options.declareRequiredSlots(this.requiredSlots);
    this.checkTerminated();
  }

  // ---- scheduling and deployment -----------------------------------------------------------------

  private schedule(): void {
    for (const vertex of this.graph.allExecutionVertices()) this.transitionExecution(vertex.currentExecution, vertex, { type: 'SCHEDULE' });
    this.options.declareRequiredSlots(this.requiredSlots);
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

  /** Deploys the current attempts once the slot pool holds every slot the job needs (called on each new slot). */
  tryDeploy(): void {
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
        const gateway = slot ? this.options.taskExecutorGateway(slot.location.resourceId) : undefined;
        if (!slot || !gateway) throw new Error(`no slot for ${vertex.taskName}`);
        execution.slot = { allocationId: slot.allocationId, location: slot.location };
        this.transitionExecution(execution, vertex, { type: 'DEPLOY' });
        submissions.push({ execution, vertex, gateway, tdd: createTaskDeploymentDescriptor(ctx, jobVertex, vertex) });
      }
    }
    this.logger.info({ tasks: submissions.length, slots: this.slotPool.size }, 'Deploying job');
    for (const { execution, vertex, gateway, tdd } of submissions) {
      this.logger.debug({ executionAttemptId: execution.attemptId, task: vertex.taskName, resourceId: execution.slot?.location.resourceId }, 'Deploying task');
      gateway.submitTask({ body: { tdd, jobMasterId: this.options.jobMasterId } }).catch((err: unknown) => {
        if (this.graph.findCurrentExecution(execution.attemptId)?.execution !== execution || execution.isTerminal) return;
        this.logger.warn({ executionAttemptId: execution.attemptId, err }, 'submitTask failed');
        this.transitionExecution(execution, vertex, { type: 'FAIL', error: serializeError(err) });
      });
    }
  }

  // ---- state reports -----------------------------------------------------------------------------

  private applyReport(execution: Execution, vertex: ExecutionVertex, report: TaskExecutionState): void {
    if (report.ioMetrics) execution.ioMetrics = report.ioMetrics;
    if (report.metrics) execution.metrics = report.metrics;
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
      const gateway = execution.slot ? this.options.taskExecutorGateway(execution.slot.location.resourceId) : undefined;
      if (!gateway) {
        execution.handle({ type: 'CANCELED' });
        continue;
      }
      gateway.cancelTask({ body: { executionAttemptId: execution.attemptId } }).catch((err: unknown) => {
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
    this.options.onGloballyTerminal(status);
  }
}
