import { z } from 'zod';
import type { ArchivedExecutionGraph, ArchivedExecutionJobVertex } from '../executiongraph/archived-execution-graph.ts';
import { emptyStateCounts } from '../executiongraph/execution-job-vertex.ts';
import { ExecutionState, JobStatus } from '../protocol/records.ts';
import { durationOf as duration } from '../protocol/webmonitor.ts';
import { IoMetricsInfo, ioMetricsInfo } from './io-metrics-info.ts';
import { JobPlan, jobPlan } from './job-plan.ts';
import { JobResourceWaitInfo } from './job-resource-wait.ts';

/** Subtasks per ExecutionState, every state present (`tasks` and `status-counts`). */
export const ExecutionStateCountsInfo = z.record(ExecutionState, z.number());

/** One vertex of `GET /jobs/:jobid` (Flink's JobDetailsInfo.JobVertexDetailsInfo). */
export const JobVertexDetails = z.object({
  id: z.string(),
  name: z.string(),
  maxParallelism: z.number(),
  parallelism: z.number(),
  status: ExecutionState,
  'start-time': z.number(),
  'end-time': z.number(),
  duration: z.number(),
  tasks: ExecutionStateCountsInfo,
  metrics: IoMetricsInfo,
});
export type JobVertexDetails = z.infer<typeof JobVertexDetails>;

/** `GET /jobs/:jobid` (Flink's JobDetailsInfo, flink.md §6.2). */
export const JobDetailsInfo = z.object({
  jid: z.string(),
  name: z.string(),
  isStoppable: z.boolean(),
  state: JobStatus,
  'job-type': z.literal('STREAMING'),
  'start-time': z.number(),
  'end-time': z.number(),
  duration: z.number(),
  maxParallelism: z.number(),
  now: z.number(),
  timestamps: z.record(JobStatus, z.number()),
  vertices: z.array(JobVertexDetails),
  'status-counts': ExecutionStateCountsInfo,
  plan: JobPlan,
  /** weft: why tasks wait for slots, while they do (job-resource-wait.ts); set by the REST router. */
  'waiting-for-resources': JobResourceWaitInfo.nullable().optional(),
});
export type JobDetailsInfo = z.infer<typeof JobDetailsInfo>;

export function jobVertexDetails(jv: ArchivedExecutionJobVertex, now: number): JobVertexDetails {
  const executions = jv.taskVertices.map((v) => v.currentExecution);
  const starts = executions.map((e) => e.startTime).filter((t) => t >= 0);
  const start = starts.length > 0 ? Math.min(...starts) : -1;
  const allTerminal = executions.every((e) => e.isTerminal);
  const end = allTerminal && start >= 0 ? Math.max(...executions.map((e) => e.endTime)) : -1;
  return {
    id: jv.id,
    name: jv.name,
    maxParallelism: jv.maxParallelism,
    parallelism: jv.parallelism,
    status: jv.aggregateState,
    'start-time': start,
    'end-time': end,
    duration: duration(start, end, now),
    tasks: { ...jv.stateCounts },
    metrics: ioMetricsInfo(
      executions.map((e) => e.ioMetrics),
      allTerminal,
    ),
  };
}

export function jobDetailsInfo(g: ArchivedExecutionGraph, now: number): JobDetailsInfo {
  const timestamps = Object.fromEntries(JobStatus.options.map((s) => [s, g.statusTimestamps[s] ?? 0])) as Record<JobStatus, number>;
  const vertices = g.verticesInTopologicalOrder.map((jv) => jobVertexDetails(jv, now));
  const statusCounts = emptyStateCounts();
  for (const v of vertices) statusCounts[v.status]++;
  return {
    jid: g.jobId,
    name: g.jobName,
    isStoppable: false,
    state: g.status,
    'job-type': 'STREAMING',
    'start-time': g.startTime,
    'end-time': g.endTime,
    duration: duration(g.startTime, g.endTime, now),
    maxParallelism: -1,
    now,
    timestamps,
    vertices,
    'status-counts': statusCounts,
    plan: jobPlan(g.jobGraph),
  };
}
