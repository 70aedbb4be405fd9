import { z } from 'zod';
import type { ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.ts';
import { currentExecutions } from '../executiongraph/archived-execution-graph.ts';
import { ExecutionState, JobStatus } from './records.ts';

/**
 * What the Dispatcher answers the REST handlers and the dashboard with (Flink's
 * runtime/messages/webmonitor): plain snapshots that are also the Flink REST bodies, so their
 * field names are Flink's, exactly (reference/flink.md §6.2).
 */

/** `/jobs/overview` task counts: lower-case ExecutionState names plus `total` (flink.md §11). */
export const OverviewTaskCounts = z.object({
  total: z.number(),
  ...(Object.fromEntries(ExecutionState.options.map((s) => [s.toLowerCase(), z.number()])) as Record<Lowercase<ExecutionState>, z.ZodNumber>),
});
export type OverviewTaskCounts = z.infer<typeof OverviewTaskCounts>;

/** One job in `/jobs/overview` (Flink's JobDetails). */
export const JobDetails = z.object({
  jid: z.string(),
  name: z.string(),
  'start-time': z.number(),
  'end-time': z.number(),
  duration: z.number(),
  state: JobStatus,
  'last-modification': z.number(),
  tasks: OverviewTaskCounts,
});
export type JobDetails = z.infer<typeof JobDetails>;

export const MultipleJobsDetails = z.object({ jobs: z.array(JobDetails) });
export type MultipleJobsDetails = z.infer<typeof MultipleJobsDetails>;

/** `GET /jobs` (Flink's JobIdsWithStatusOverview). */
export const JobIdsWithStatusOverview = z.object({ jobs: z.array(z.object({ id: z.string(), status: JobStatus })) });
export type JobIdsWithStatusOverview = z.infer<typeof JobIdsWithStatusOverview>;

/** The cluster's slots and jobs (Flink's ClusterOverview); REST adds the version (ClusterOverviewWithVersion). */
export const ClusterOverview = z.object({
  taskmanagers: z.number(),
  'slots-total': z.number(),
  'slots-available': z.number(),
  'taskmanagers-blocked': z.number(),
  'slots-free-and-blocked': z.number(),
  'jobs-running': z.number(),
  'jobs-finished': z.number(),
  'jobs-cancelled': z.number(),
  'jobs-failed': z.number(),
});
export type ClusterOverview = z.infer<typeof ClusterOverview>;

/** -1 before the start; until now while it runs. */
export const durationOf = (start: number, end: number, now: number): number => (start < 0 ? -1 : (end >= 0 ? end : now) - start);

/** Flink's JobDetails.createDetailsForJob. */
export function createJobDetails(graph: ArchivedExecutionGraph, now: number): JobDetails {
  const executions = currentExecutions(graph);
  const tasks = { total: executions.length, ...Object.fromEntries(ExecutionState.options.map((s) => [s.toLowerCase(), 0])) } as OverviewTaskCounts;
  for (const e of executions) tasks[e.state.toLowerCase() as Lowercase<ExecutionState>]++;
  return {
    jid: graph.jobId,
    name: graph.jobName,
    'start-time': graph.startTime,
    'end-time': graph.endTime,
    duration: durationOf(graph.startTime, graph.endTime, now),
    state: graph.status,
    'last-modification': graph.lastModification,
    tasks,
  };
}
