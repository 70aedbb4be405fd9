import type { ArchivedExecutionGraph, ArchivedExecutionJobVertex } from '../executiongraph/archived-execution-graph.ts';
import { emptyStateCounts, type ExecutionStateCounts } from '../executiongraph/execution-job-vertex.ts';
import { JobStatus, type ExecutionState } from '../protocol/records.ts';
import { durationOf as duration } from '../protocol/webmonitor.ts';
import { ioMetricsInfo, type IoMetricsInfo } from './io-metrics-info.ts';
import { jobPlan, type JobPlan } from './job-plan.ts';
import type { JobResourceWaitInfo } from './job-resource-wait.ts';

export interface JobVertexDetails {
  id: string;
  name: string;
  maxParallelism: number;
  parallelism: number;
  status: ExecutionState;
  'start-time': number;
  'end-time': number;
  duration: number;
  tasks: ExecutionStateCounts;
  metrics: IoMetricsInfo;
}

export interface JobDetailsInfo {
  jid: string;
  name: string;
  isStoppable: boolean;
  state: JobStatus;
  'job-type': 'STREAMING';
  'start-time': number;
  'end-time': number;
  duration: number;
  maxParallelism: number;
  now: number;
  timestamps: Record<JobStatus, number>;
  vertices: JobVertexDetails[];
  'status-counts': ExecutionStateCounts;
  plan: JobPlan;
  /** weft: why tasks wait for slots, while they do (job-resource-wait.ts); set by the REST router. */
  'waiting-for-resources'?: JobResourceWaitInfo | null;
}

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
