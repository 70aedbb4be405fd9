import { SystemClock } from '../../../rm/common/clock.ts';
import { TaskIOMetrics } from '../../network/task-io-metrics.ts';
import type { Logger } from '../../../rm/common/logger.ts';
import { inputEdges, type JobEdge, type JobGraph } from '../../jobgraph/job-graph.ts';
import { connectedConsumers } from '../../jobgraph/partitioner.ts';
import { createChannelSelector } from '../channel-selector.ts';
import { CollectRegistry } from '../collect-output.ts';
import type { SubtaskInfo } from '../operator-chain.ts';
import { createRecordWriter } from '../io/record-writer.ts';
import type { RecordWriterOutput } from '../output.ts';
import type { TaskServices } from '../stream-operator.ts';
import { createStreamTask } from '../tasks/stream-task-factory.ts';
import type { StreamTask } from '../tasks/stream-task.ts';
import { BufferedTextOutput } from '../text-output.ts';
import type { UserCode } from '../user-code.ts';
import { InMemoryChannel } from './in-memory-channel.ts';
import { InMemoryInputGate } from './in-memory-input-gate.ts';
import { InMemoryResultPartition } from './in-memory-result-partition.ts';

export interface LocalExecutorOptions {
  /** Defaults: system clock, stdout buffered per event-loop turn, a fresh CollectRegistry per job. */
  readonly services?: Partial<TaskServices>;
  /** Soft capacity of each in-memory channel, in elements. */
  readonly channelCapacity?: number;
  readonly logger?: Logger;
}

export interface ExecutableJob {
  readonly jobGraph: JobGraph;
  readonly userCode: UserCode;
}

export type LocalJobStatus = 'FINISHED' | 'CANCELED' | 'FAILED';

export interface LocalJobResult {
  readonly jobId: string;
  readonly jobName: string;
  readonly status: LocalJobStatus;
  readonly durationMs: number;
  readonly error?: unknown;
  /** The subtask whose failure failed the job. */
  readonly failedTask?: string;
}

export interface LocalJobHandle {
  readonly jobId: string;
  readonly services: TaskServices;
  /** Resolves when the job ends, however it ends (never rejects). */
  readonly result: Promise<LocalJobResult>;
  cancel(): Promise<LocalJobResult>;
}

export const DEFAULT_CHANNEL_CAPACITY = 8192;

/**
 * Runs a whole JobGraph in this process: every subtask of every vertex, connected by in-memory
 * channels that follow the edges' partitioners (pointwise or all-to-all, key groups for HASH).
 * Used by tests and `weft run --target local`; it proves graphs and operators before any
 * TaskManager exists. Not a singleton: each call to start() is an independent job.
 */
export class LocalExecutor {
  private readonly options: LocalExecutorOptions;

  constructor(options: LocalExecutorOptions = {}) {
    this.options = options;
  }

  start(job: ExecutableJob): LocalJobHandle {
    const services: TaskServices = {
      clock: this.options.services?.clock ?? new SystemClock(),
      stdout: this.options.services?.stdout ?? new BufferedTextOutput(process.stdout),
      collectOutput: this.options.services?.collectOutput ?? new CollectRegistry(),
    };
    const run = new LocalJobRun(job, services, this.options.channelCapacity ?? DEFAULT_CHANNEL_CAPACITY, this.options.logger);
    run.start();
    return { jobId: job.jobGraph.jobId, services, result: run.result, cancel: () => run.cancel() };
  }

  /** Runs a bounded job to its end; throws the failure if it fails. */
  async execute(job: ExecutableJob): Promise<LocalJobResult> {
    const result = await this.start(job).result;
    if (result.status === 'FAILED') throw result.error;
    return result;
  }
}

interface Subtask {
  readonly task: StreamTask;
  readonly info: SubtaskInfo;
  opened: boolean;
  finished: boolean;
}

/** One job's run: its channels, subtasks, and how it ends. */
class LocalJobRun {
  readonly result: Promise<LocalJobResult>;
  private readonly job: ExecutableJob;
  private readonly services: TaskServices;
  private readonly logger: Logger | undefined;
  private readonly startedAt: number;
  private readonly subtasks: Subtask[] = [];
  private readonly channels: InMemoryChannel[] = [];
  private remaining = 0;
  private done = false;
  private resolve!: (result: LocalJobResult) => void;

  constructor(job: ExecutableJob, services: TaskServices, capacity: number, logger: Logger | undefined) {
    this.job = job;
    this.services = services;
    this.logger = logger?.child({ jobId: job.jobGraph.jobId });
    this.startedAt = services.clock.now();
    this.result = new Promise((resolve) => (this.resolve = resolve));
    this.wire(capacity);
  }

  start(): void {
    void this.openAndRun();
  }

  async cancel(): Promise<LocalJobResult> {
    await this.end('CANCELED');
    return this.result;
  }

  /** Creates every channel and subtask; producers' writers and consumers' inputs share channels. */
  private wire(capacity: number): void {
    const { jobGraph, userCode } = this.job;
    // outgoing[edge][producer] = channels to that producer's connected consumers, in consumer order;
    // incoming[edge][consumer] = the channels of that consumer's gate for the edge.
    const outgoing = new Map<JobEdge, InMemoryChannel[][]>();
    const incoming = new Map<JobEdge, InMemoryChannel[][]>();
    for (const edge of jobGraph.edges) {
      const producers = vertexOf(jobGraph, edge.source).parallelism;
      const consumers = vertexOf(jobGraph, edge.target).parallelism;
      const perProducer: InMemoryChannel[][] = [];
      const perConsumer: InMemoryChannel[][] = Array.from({ length: consumers }, () => []);
      incoming.set(edge, perConsumer);
      for (let i = 0; i < producers; i++) {
        const channels: InMemoryChannel[] = [];
        for (const j of connectedConsumers(edge.partitioner, producers, consumers, i)) {
          const channel = new InMemoryChannel(capacity);
          this.channels.push(channel);
          channels.push(channel);
          perConsumer[j]?.push(channel);
        }
        perProducer.push(channels);
      }
      outgoing.set(edge, perProducer);
    }
    for (const vertex of jobGraph.vertices) {
      for (let subtaskIndex = 0; subtaskIndex < vertex.parallelism; subtaskIndex++) {
        const info: SubtaskInfo = {
          jobGraph,
          vertex,
          subtaskIndex,
          attemptNumber: 0,
          userCode,
          services: this.services,
          createOutput: (edge) => createWriter(jobGraph, userCode, edge, outgoing.get(edge)?.[subtaskIndex] ?? [], subtaskIndex),
        };
        // One gate per input edge, in edge order, as a TaskManager's deployment descriptor has them.
        const inputGates = inputEdges(jobGraph, vertex.id).map((edge) => new InMemoryInputGate(incoming.get(edge)?.[subtaskIndex] ?? []));
        const task = createStreamTask(info, { metrics: new TaskIOMetrics(this.services.clock), inputGates });
        this.subtasks.push({ task, info, opened: false, finished: false });
      }
    }
    this.remaining = this.subtasks.length;
  }

  private async openAndRun(): Promise<void> {
    this.logger?.info({ jobName: this.job.jobGraph.jobName, subtasks: this.subtasks.length }, 'local job starting');
    for (const subtask of this.subtasks) {
      try {
        subtask.opened = true;
        await subtask.task.open(subtask.info);
      } catch (err) {
        await this.fail(subtask, err);
        return;
      }
    }
    for (const subtask of this.subtasks) {
      subtask.task.run().then(
        () => (this.done ? undefined : this.finishSubtask(subtask)),
        (err: unknown) => this.fail(subtask, err),
      );
    }
  }

  private async finishSubtask(subtask: Subtask): Promise<void> {
    try {
      await subtask.task.endInput();
      subtask.finished = true;
      await subtask.task.close();
    } catch (err) {
      await this.fail(subtask, err);
      return;
    }
    if (--this.remaining === 0) await this.end('FINISHED');
  }

  private async fail(subtask: Subtask, error: unknown): Promise<void> {
    if (this.done) return;
    this.logger?.warn({ task: subtask.task.name, err: error }, 'local task failed');
    await this.end('FAILED', error, subtask.task.name);
  }

  private async end(status: LocalJobStatus, error?: unknown, failedTask?: string): Promise<void> {
    if (this.done) return;
    this.done = true;
    if (status !== 'FINISHED') {
      for (const subtask of this.subtasks) {
        subtask.task.cancel();
      }
      for (const channel of this.channels) channel.releaseWaiters();
      for (const subtask of this.subtasks) {
        if (!subtask.opened || subtask.finished) continue;
        await subtask.task.close().catch((err: unknown) => this.logger?.warn({ task: subtask.task.name, err }, 'close after failure failed'));
      }
    }
    (this.services.stdout as Partial<BufferedTextOutput>).flush?.();
    const { jobId, jobName } = this.job.jobGraph;
    const result: LocalJobResult = {
      jobId,
      jobName,
      status,
      durationMs: this.services.clock.now() - this.startedAt,
      ...(error === undefined ? {} : { error }),
      ...(failedTask === undefined ? {} : { failedTask }),
    };
    this.logger?.info({ status, durationMs: result.durationMs }, 'local job ended');
    this.resolve(result);
  }
}

function vertexOf(graph: JobGraph, id: string): JobGraph['vertices'][number] {
  const vertex = graph.vertices.find((v) => v.id === id);
  if (!vertex) throw new Error(`No vertex ${id}`);
  return vertex;
}

function createWriter(graph: JobGraph, userCode: UserCode, edge: JobEdge, channels: InMemoryChannel[], producerIndex: number): RecordWriterOutput<unknown> {
  const keySelector = edge.keySelector === undefined ? undefined : userCode.keySelectors.get(edge.keySelector);
  if (edge.keySelector !== undefined && !keySelector) throw new Error(`No key selector '${edge.keySelector}' in the job's user code`);
  const selector = createChannelSelector({
    partitioner: edge.partitioner,
    channels: channels.length,
    producerIndex,
    ...(keySelector ? { keySelector } : {}),
    maxParallelism: vertexOf(graph, edge.target).maxParallelism,
  });
  return createRecordWriter(new InMemoryResultPartition(channels, userCode.settings?.objectReuse ?? false), selector);
}
