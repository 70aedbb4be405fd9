import type { Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import type { LoadedJob } from '../api/job-loader.ts';
import type { InputGate } from '../network/input-gate.ts';
import { IOCounters } from '../network/io-counters.ts';
import type { NetworkEnvironment } from '../network/network-environment.ts';
import type { ResultPartition } from '../network/result-partition.ts';
import { TaskIOMetrics, type TaskIOMetricsSnapshot } from '../network/task-io-metrics.ts';
import type { JobMasterGateway, TaskExecutionState } from '../protocol/job-master-gateway.ts';
import { isTerminalExecutionState, serializeError, type ExecutionState, type SerializedThrowable, type TaskMetricsReport } from '../protocol/records.ts';
import type { TaskDeploymentDescriptor } from '../protocol/task-deployment-descriptor.ts';
import { createChannelSelector } from '../streaming/channel-selector.ts';
import { createRecordWriter } from '../streaming/io/record-writer.ts';
import type { SubtaskInfo } from '../streaming/operator-chain.ts';
import type { RecordWriterOutput } from '../streaming/output.ts';
import { createStreamTask } from '../streaming/tasks/stream-task-factory.ts';
import type { StreamTask } from '../streaming/tasks/stream-task.ts';
import type { TextOutput } from '../streaming/text-output.ts';
import { CollectResultsShipper } from './collect-results-shipper.ts';
import { toTaskIoMetrics, toTaskMetricsReport } from './task-io-metrics-report.ts';
import { resolveTaskVertex, vertexNameOf } from './task-vertex.ts';

export interface TaskDeps {
  readonly tdd: TaskDeploymentDescriptor;
  readonly resourceId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly network: NetworkEnvironment;
  /** The job's graph and user code, as this TaskManager loaded the job file. */
  readonly loadJob: (tdd: TaskDeploymentDescriptor) => Promise<LoadedJob>;
  readonly jobMaster: JobMasterGateway;
  /** print() sinks. */
  readonly stdout: TextOutput;
  readonly collectFlushIntervalMs?: number;
  /** Metric rates are recomputed this often (Flink's MetricView interval is 5 s). */
  readonly metricsIntervalMs?: number;
}

class TaskCancelledError extends Error {
  constructor() {
    super('task cancelled');
    this.name = 'TaskCancelledError';
  }
}

/**
 * One subtask execution attempt in a TaskManager (Flink's Task): loads the job's code, builds the
 * operator chain, wires its network inputs and outputs, runs the loop, and reports every state
 * change to its JobMaster in order: DEPLOYING -> INITIALIZING -> RUNNING -> FINISHED, or FAILED
 * (with the exception) / CANCELED.
 */
export class Task {
  readonly tdd: TaskDeploymentDescriptor;
  readonly executionAttemptId: string;
  readonly jobId: string;
  readonly allocationId: string;
  private readonly deps: TaskDeps;
  private readonly logger: Logger;
  private current: ExecutionState = 'DEPLOYING';
  private failure: SerializedThrowable | undefined;
  private cancelRequested = false;
  private resolveCancelled!: () => void;
  private readonly cancelled: Promise<void>;
  private reporting: Promise<void> = Promise.resolve();
  private readonly terminated: Promise<ExecutionState>;
  private resolveTerminated!: (state: ExecutionState) => void;
  private readonly counters = new IOCounters();
  private metrics: TaskIOMetrics | null = null;
  private streamTask: StreamTask | null = null;
  private readonly gates: InputGate<unknown>[] = [];
  private readonly partitions: ResultPartition<unknown>[] = [];
  private collect: CollectResultsShipper | null = null;
  private started = false;

  constructor(deps: TaskDeps) {
    this.deps = deps;
    this.tdd = deps.tdd;
    this.executionAttemptId = deps.tdd.executionAttemptId;
    this.jobId = deps.tdd.jobId;
    this.allocationId = deps.tdd.allocationId;
    this.logger = deps.logger.child({ jobId: this.jobId, executionAttemptId: this.executionAttemptId, task: this.name });
    this.cancelled = new Promise<void>((resolve) => (this.resolveCancelled = resolve));
    this.terminated = new Promise<ExecutionState>((resolve) => (this.resolveTerminated = resolve));
  }

  /** "Keyed Aggregation -> Sink: Collect (2/2)#0", as Flink names a task attempt. */
  get name(): string {
    return `${vertexNameOf(this.tdd)} (${this.tdd.subtaskIndex + 1}/${this.tdd.parallelism})#${this.tdd.attemptNumber}`;
  }

  /** The result partitions this task produced (a finished task's stay readable until consumed). */
  get producedPartitions(): readonly ResultPartition<unknown>[] {
    return this.partitions;
  }

  get state(): ExecutionState {
    return this.current;
  }

  get isTerminal(): boolean {
    return isTerminalExecutionState(this.current);
  }

  /** Resolves with the final state once it was reported to the JobMaster. */
  whenTerminated(): Promise<ExecutionState> {
    return this.terminated;
  }

  /** The task's I/O metrics now, once its gates and partitions exist. */
  ioMetrics(): TaskIOMetricsSnapshot | undefined {
    return this.metrics?.snapshot();
  }

  /** The task's watermarks and operator metrics now, once its chain exists. */
  taskMetrics(): TaskMetricsReport | undefined {
    const snapshot = this.streamTask?.metricsSnapshot();
    return snapshot ? toTaskMetricsReport(snapshot, this.tdd.inputGates) : undefined;
  }

  /** The state as heartbeats carry it, with the task's I/O metrics, watermarks and operator metrics. */
  executionState(): TaskExecutionState {
    const metrics = this.taskMetrics();
    return {
      executionAttemptId: this.executionAttemptId,
      state: this.current,
      ...(this.failure ? { error: this.failure } : {}),
      ...(this.metrics ? { ioMetrics: toTaskIoMetrics(this.metrics.snapshot()) } : {}),
      ...(metrics ? { metrics } : {}),
    };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.run();
  }

  /** Cancels the task (cancelTask, freeSlot, lost JobMaster); it ends CANCELED unless it already ended. */
  cancel(): void {
    if (this.cancelRequested || this.isTerminal) return;
    this.cancelRequested = true;
    this.logger.info('cancelling task');
    this.streamTask?.cancel();
    this.resolveCancelled();
    if (!this.started) {
      this.started = true;
      void this.end('CANCELED');
    }
  }

  private async run(): Promise<void> {
    let streamTask: StreamTask | null = null;
    try {
      this.transition('DEPLOYING');
      const job = await this.raceCancel(this.deps.loadJob(this.tdd));
      this.transition('INITIALIZING');
      const info = this.build(job);
      streamTask = createStreamTask(info, { metrics: this.metrics!, inputGates: this.gates, extraOutput: this.collect }, this.name);
      this.streamTask = streamTask;
      await this.raceCancel(streamTask.open(info));
      for (const gate of this.gates) gate.requestPartitions();
      this.transition('RUNNING');
      await this.raceCancel(streamTask.run());
      this.checkCancelled();
      await streamTask.endInput();
      await streamTask.close();
      await this.raceCancel(this.collect!.close());
      this.checkCancelled();
      await this.end('FINISHED');
    } catch (err) {
      const cancelled = this.cancelRequested;
      if (!cancelled) this.logger.warn({ err }, 'task failed');
      streamTask?.cancel();
      this.releaseResources(err);
      if (streamTask) await streamTask.close().catch((closeErr: unknown) => this.logger.warn({ err: closeErr }, 'error closing the task after it ended'));
      if (cancelled) await this.end('CANCELED');
      else await this.end('FAILED', err);
    }
  }

  /** Partitions, gates, metrics and the chain's SubtaskInfo. */
  private build(job: LoadedJob): SubtaskInfo {
    const { tdd, network, clock, resourceId } = this.deps;
    const resolved = resolveTaskVertex(job, tdd);
    const metrics = new TaskIOMetrics(clock, this.counters);
    this.metrics = metrics;
    const writers = new Map<unknown, RecordWriterOutput<unknown>>();
    for (const [edge, output] of resolved.outputs) {
      const d = output.descriptor;
      const partition = network.createResultPartition<unknown>({
        id: d.partitionId,
        numSubpartitions: d.numberOfSubpartitions,
        bufferTimeoutMs: tdd.bufferTimeoutMs,
        counters: this.counters,
      });
      this.partitions.push(partition);
      metrics.registerOutput(partition);
      const selector = createChannelSelector({
        partitioner: d.partitioner,
        channels: d.numberOfSubpartitions,
        producerIndex: tdd.subtaskIndex,
        maxParallelism: output.consumerMaxParallelism,
        ...(output.keySelector ? { keySelector: output.keySelector } : {}),
      });
      writers.set(edge, createRecordWriter(partition, selector));
    }
    for (const gateDescriptor of tdd.inputGates) {
      const gate = network.createInputGate<unknown>({
        channels: gateDescriptor.channels.map((c) => ({
          partitionId: c.partitionId,
          subpartitionIndex: c.subpartitionIndex,
          ...(c.location.resourceId === resourceId ? {} : { producerAddress: c.location.dataAddress }),
        })),
        counters: this.counters,
      });
      this.gates.push(gate);
      metrics.registerInput(gate);
    }
    metrics.start(this.deps.metricsIntervalMs);
    const jobMaster = this.deps.jobMaster;
    this.collect = new CollectResultsShipper(
      async (sinkName, records) => {
        await jobMaster.addCollectResults({ params: { jobId: this.jobId }, body: { executionAttemptId: this.executionAttemptId, sinkName, records: [...records] } });
      },
      clock,
      this.deps.collectFlushIntervalMs,
    );
    return {
      jobGraph: resolved.jobGraph,
      vertex: resolved.vertex,
      subtaskIndex: tdd.subtaskIndex,
      attemptNumber: tdd.attemptNumber,
      userCode: job.userCode,
      services: { clock, stdout: this.deps.stdout, collectOutput: this.collect },
      createOutput: (edge) => {
        const writer = writers.get(edge);
        if (!writer) throw new Error(`task '${this.name}' has no result partition for the edge to ${edge.target}`);
        return writer;
      },
    };
  }

  private releaseResources(cause: unknown): void {
    const error = cause instanceof Error ? cause : new Error(String(cause));
    this.collect?.discard();
    for (const partition of this.partitions) this.deps.network.releasePartition(partition, error);
    for (const gate of this.gates) gate.close();
  }

  private async end(state: 'FINISHED' | 'CANCELED' | 'FAILED', error?: unknown): Promise<void> {
    if (this.isTerminal) return;
    for (const gate of this.gates) gate.close();
    this.metrics?.update();
    this.metrics?.close();
    if (error !== undefined) this.failure = serializeError(error);
    this.transition(state);
    await this.reporting;
    this.logger.info({ state }, `task ${state}`);
    this.resolveTerminated(state);
  }

  /** Sets the state and queues its report to the JobMaster behind the earlier ones. */
  private transition(state: ExecutionState): void {
    this.current = state;
    const update = this.executionState();
    const jobMaster = this.deps.jobMaster;
    this.reporting = this.reporting.then(async () => {
      try {
        await jobMaster.updateTaskExecutionState({ params: { jobId: this.jobId }, body: update });
      } catch (err) {
        // The JobMaster also learns the state from heartbeats; a lost update is not fatal.
        this.logger.warn({ err, state: update.state }, 'could not report the task state to the JobMaster');
      }
    });
  }

  private checkCancelled(): void {
    if (this.cancelRequested) throw new TaskCancelledError();
  }

  private async raceCancel<T>(work: Promise<T>): Promise<T> {
    if (this.cancelRequested) {
      work.catch(() => {});
      throw new TaskCancelledError();
    }
    const result = await Promise.race([work, this.cancelled.then(() => CANCELLED)]);
    if (result === CANCELLED) {
      work.catch(() => {});
      throw new TaskCancelledError();
    }
    return result as T;
  }
}

const CANCELLED = Symbol('cancelled');
