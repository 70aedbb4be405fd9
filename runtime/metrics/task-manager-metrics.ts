import { Registry, type Labels, type Sample } from '../../rm/common/prometheus.ts';
import type { TaskIOMetricsSnapshot } from '../network/task-io-metrics.ts';
import type { TaskMetricsReport } from '../protocol/records.ts';
import { flinkGauge, registerProcessStatus } from './flink-prometheus.ts';
import { registerWatermarkMetrics } from './task-watermark-metrics.ts';
import type { GarbageCollectors } from './garbage-collectors.ts';

/** What the TaskManager's metrics read of one deployed task. */
export interface TaskMetricsSource {
  readonly tdd: {
    readonly jobId: string;
    readonly jobName: string;
    readonly jobVertexId: string;
    readonly taskName: string;
    readonly executionAttemptId: string;
    readonly subtaskIndex: number;
    readonly attemptNumber: number;
  };
  ioMetrics(): TaskIOMetricsSnapshot | undefined;
  /** Watermarks and operator metrics, once the task's chain exists. */
  taskMetrics?(): TaskMetricsReport | undefined;
}

export interface TaskManagerMetricsSources {
  readonly resourceId: string;
  readonly host: string;
  readonly tasks: () => Iterable<TaskMetricsSource>;
  readonly bufferPool: { readonly totalSegments: number; readonly availableSegments: number; readonly usedSegments: number; readonly segmentSize: number };
  readonly garbageCollectors?: GarbageCollectors;
}

const TASK_LABELS = ['host', 'tm_id', 'job_id', 'job_name', 'task_id', 'task_attempt_id', 'task_name', 'subtask_index', 'task_attempt_num'] as const;

/** Flink's task-scope I/O metrics (scope `taskmanager.job.task`), by their Flink names. */
const TASK_METRICS: readonly [name: string, help: string, read: (m: TaskIOMetricsSnapshot) => number][] = [
  ['numRecordsIn', 'Records this task has received.', (m) => m.numRecordsIn],
  ['numRecordsOut', 'Records this task has emitted.', (m) => m.numRecordsOut],
  ['numBytesIn', 'Bytes this task has read from its input channels.', (m) => m.numBytesIn],
  ['numBytesOut', 'Bytes this task has written to its result partitions.', (m) => m.numBytesOut],
  ['numRecordsInPerSecond', 'Records received per second.', (m) => m.numRecordsInPerSecond],
  ['numRecordsOutPerSecond', 'Records emitted per second.', (m) => m.numRecordsOutPerSecond],
  ['busyTimeMsPerSecond', 'Milliseconds per second the task is busy.', (m) => m.busyTimeMsPerSecond],
  ['idleTimeMsPerSecond', 'Milliseconds per second the task waits for input.', (m) => m.idleTimeMsPerSecond],
  ['backPressuredTimeMsPerSecond', 'Milliseconds per second the task waits for output buffers.', (m) => m.backPressuredTimeMsPerSecond],
  ['accumulatedBusyTime', 'Milliseconds the task has been busy in total.', (m) => m.accumulatedBusyTime],
  ['accumulatedIdleTime', 'Milliseconds the task has waited for input in total.', (m) => m.accumulatedIdleTime],
  ['accumulatedBackPressuredTime', 'Milliseconds the task has been back-pressured in total.', (m) => m.accumulatedBackPressuredTime],
  ['buffers.inputQueueLength', 'Queued input buffers.', (m) => m.inputQueueLength],
  ['buffers.outputQueueLength', 'Queued output buffers.', (m) => m.outputQueueLength],
  ['buffers.inPoolUsage', 'Usage of the input buffer pools (0..1).', (m) => m.inPoolUsage],
  ['buffers.outPoolUsage', 'Usage of the output buffer pools (0..1).', (m) => m.outPoolUsage],
];

/**
 * A TaskManager's metrics as Flink's PrometheusReporter exposes them: the process status, the
 * network buffer memory (`Status.Shuffle.Netty.*`) and each deployed task's I/O metrics with
 * Flink's labels. Everything is read at scrape time, so a finished task drops out.
 */
export function taskManagerMetrics(sources: TaskManagerMetricsSources): Registry {
  const registry = new Registry();
  const tmLabels = (): Labels => ({ host: sources.host, tm_id: sources.resourceId });
  registerProcessStatus(registry, 'taskmanager', tmLabels, sources.garbageCollectors);

  const pool = sources.bufferPool;
  const shuffle: readonly [string, string, () => number][] = [
    ['TotalMemorySegments', 'Network buffers in total.', () => pool.totalSegments],
    ['AvailableMemorySegments', 'Network buffers not in use.', () => pool.availableSegments],
    ['UsedMemorySegments', 'Network buffers in use.', () => pool.usedSegments],
    ['TotalMemory', 'Network buffer memory in total, in bytes.', () => pool.totalSegments * pool.segmentSize],
    ['AvailableMemory', 'Network buffer memory not in use, in bytes.', () => pool.availableSegments * pool.segmentSize],
    ['UsedMemory', 'Network buffer memory in use, in bytes.', () => pool.usedSegments * pool.segmentSize],
  ];
  for (const [name, help, value] of shuffle) {
    flinkGauge(registry, { name: `taskmanager.Status.Shuffle.Netty.${name}`, help, labelNames: ['host', 'tm_id'], read: () => [{ labels: tmLabels(), value: value() }] });
  }

  for (const [name, help, read] of TASK_METRICS) {
    flinkGauge(registry, { name: `taskmanager.job.task.${name}`, help, labelNames: TASK_LABELS, read: () => taskSamples(sources, read) });
  }
  registerWatermarkMetrics(registry, { tasks: sources.tasks, report: (t) => t.taskMetrics?.(), taskLabelNames: TASK_LABELS, taskLabels: (t) => taskLabels(sources, t) });
  return registry;
}

function* taskSamples(sources: TaskManagerMetricsSources, read: (m: TaskIOMetricsSnapshot) => number): Iterable<Sample> {
  for (const task of sources.tasks()) {
    const metrics = task.ioMetrics();
    if (!metrics) continue;
    yield { labels: taskLabels(sources, task), value: read(metrics) };
  }
}

/** Flink's task-scope reporter variables. */
function taskLabels(sources: Pick<TaskManagerMetricsSources, 'host' | 'resourceId'>, task: TaskMetricsSource): Labels {
  const t = task.tdd;
  return {
    host: sources.host,
    tm_id: sources.resourceId,
    job_id: t.jobId,
    job_name: t.jobName,
    task_id: t.jobVertexId,
    task_attempt_id: t.executionAttemptId,
    task_name: t.taskName,
    subtask_index: String(t.subtaskIndex),
    task_attempt_num: String(t.attemptNumber),
  };
}
