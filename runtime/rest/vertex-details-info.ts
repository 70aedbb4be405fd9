import { z } from 'zod';
import type { ArchivedExecution, ArchivedExecutionJobVertex } from '../executiongraph/archived-execution-graph.ts';
import { ExecutionState } from '../protocol/records.ts';
import { AggregatedIoMetrics, IoMetricsInfo, MinMaxAvgSum, aggregatedIoMetrics, ioMetricsInfo } from './io-metrics-info.ts';

/** States Flink reports a `status-duration` for (StatusDurationUtils); -1 for a state not reached. */
const DurationState = ExecutionState.extract(['CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING']);
type DurationState = z.infer<typeof DurationState>;
const DURATION_STATES = DurationState.options;

/** One subtask's current attempt (Flink's SubtaskExecutionAttemptDetailsInfo). */
export const SubtaskExecutionAttemptDetails = z.object({
  subtask: z.number(),
  status: ExecutionState,
  attempt: z.number(),
  endpoint: z.string(),
  host: z.string(),
  'start-time': z.number(),
  'end-time': z.number(),
  duration: z.number(),
  metrics: IoMetricsInfo,
  'taskmanager-id': z.string(),
  'status-duration': z.record(DurationState, z.number()),
  'other-concurrent-attempts': z.array(z.never()),
  start_time: z.number(),
});
export type SubtaskExecutionAttemptDetails = z.infer<typeof SubtaskExecutionAttemptDetails>;

/** `GET /jobs/:jobid/vertices/:vertexid` (Flink's JobVertexDetailsInfo). */
export const JobVertexDetailsInfo = z.object({
  id: z.string(),
  name: z.string(),
  parallelism: z.number(),
  maxParallelism: z.number(),
  now: z.number(),
  subtasks: z.array(SubtaskExecutionAttemptDetails),
  aggregated: z.object({ metrics: AggregatedIoMetrics, 'status-duration': z.record(DurationState, MinMaxAvgSum) }),
});
export type JobVertexDetailsInfo = z.infer<typeof JobVertexDetailsInfo>;

/** Time spent in each state: until the next state reached, or until now for the current one. */
export function statusDuration(e: ArchivedExecution, now: number): Record<DurationState, number> {
  const entered = Object.entries(e.stateTimestamps).sort((a, b) => (a[1] ?? 0) - (b[1] ?? 0)) as [ExecutionState, number][];
  const out = {} as Record<DurationState, number>;
  for (const state of DURATION_STATES) {
    const i = entered.findIndex(([s]) => s === state);
    if (i < 0) {
      out[state] = -1;
      continue;
    }
    const next = entered[i + 1];
    out[state] = (next ? next[1] : now) - entered[i]![1];
  }
  return out;
}

export function subtaskDetails(subtask: number, e: ArchivedExecution, now: number): SubtaskExecutionAttemptDetails {
  const start = e.startTime;
  const end = e.endTime;
  return {
    subtask,
    status: e.state,
    attempt: e.attemptNumber,
    endpoint: e.assignedResourceLocation?.dataAddress ?? '(unassigned)',
    host: e.assignedResourceLocation?.host ?? '(unassigned)',
    'start-time': start,
    'end-time': end,
    duration: start < 0 ? -1 : (end >= 0 ? end : now) - start,
    metrics: ioMetricsInfo([e.ioMetrics], e.isTerminal),
    'taskmanager-id': e.assignedResourceLocation?.resourceId ?? '(unassigned)',
    'status-duration': statusDuration(e, now),
    'other-concurrent-attempts': [],
    start_time: start,
  };
}

export function jobVertexDetailsInfo(jv: ArchivedExecutionJobVertex, now: number): JobVertexDetailsInfo {
  const subtasks = jv.taskVertices.map((v) => subtaskDetails(v.subtaskIndex, v.currentExecution, now));
  const statusAgg = {} as JobVertexDetailsInfo['aggregated']['status-duration'];
  for (const state of DURATION_STATES) {
    const values = subtasks.map((s) => s['status-duration'][state]).filter((v) => v >= 0);
    const sum = values.reduce((a, b) => a + b, 0);
    statusAgg[state] = values.length === 0 ? { min: 0, max: 0, avg: 0, sum: 0 } : { min: Math.min(...values), max: Math.max(...values), avg: sum / values.length, sum };
  }
  return {
    id: jv.id,
    name: jv.name,
    parallelism: jv.parallelism,
    maxParallelism: jv.maxParallelism,
    now,
    subtasks,
    aggregated: { metrics: aggregatedIoMetrics(subtasks.map((s) => s.metrics)), 'status-duration': statusAgg },
  };
}

export const BackpressureLevel = z.enum(['ok', 'low', 'high']);
export type BackpressureLevel = z.infer<typeof BackpressureLevel>;

/** Flink's thresholds on the back-pressured fraction of time: ok <= 0.10 < low <= 0.5 < high. */
export function backpressureLevel(ratio: number): BackpressureLevel {
  if (ratio <= 0.1) return 'ok';
  if (ratio <= 0.5) return 'low';
  return 'high';
}

/** `GET /jobs/:jobid/vertices/:vertexid/backpressure` (Flink's JobVertexBackPressureInfo). */
export const JobVertexBackPressureInfo = z.object({
  status: z.literal('ok'),
  backpressureLevel: BackpressureLevel,
  'backpressure-level': BackpressureLevel,
  'end-timestamp': z.number(),
  subtasks: z.array(
    z.object({
      subtask: z.number(),
      'attempt-number': z.number(),
      'backpressure-level': BackpressureLevel,
      ratio: z.number(),
      idleRatio: z.number(),
      busyRatio: z.number(),
      'other-concurrent-attempts': z.array(z.never()),
    }),
  ),
});
export type JobVertexBackPressureInfo = z.infer<typeof JobVertexBackPressureInfo>;

/** From each subtask's `backPressuredTimeMsPerSecond` / `idleTimeMsPerSecond` / `busyTimeMsPerSecond`. */
export function jobVertexBackPressure(jv: ArchivedExecutionJobVertex, now: number): JobVertexBackPressureInfo {
  const subtasks = jv.taskVertices.map((v) => {
    const m = v.currentExecution.ioMetrics;
    const ratio = m ? Math.min(1, m.backPressuredTimeMsPerSecond / 1000) : 0;
    return {
      subtask: v.subtaskIndex,
      'attempt-number': v.currentExecution.attemptNumber,
      'backpressure-level': backpressureLevel(ratio),
      ratio,
      idleRatio: m ? Math.min(1, m.idleTimeMsPerSecond / 1000) : 0,
      busyRatio: m ? Math.min(1, m.busyTimeMsPerSecond / 1000) : 0,
      'other-concurrent-attempts': [] as never[],
    };
  });
  const level = backpressureLevel(Math.max(0, ...subtasks.map((s) => s.ratio)));
  return { status: 'ok', backpressureLevel: level, 'backpressure-level': level, 'end-timestamp': now, subtasks };
}
