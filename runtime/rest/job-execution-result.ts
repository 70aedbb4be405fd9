import { z } from 'zod';
import { jobResultOf, type ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.ts';

/** `GET /jobs/:jobid/execution-result` (Flink's JobExecutionResultResponseBody): IN_PROGRESS until the job is globally terminal. */
export const JobExecutionResultInfo = z.union([
  z.object({ status: z.object({ id: z.literal('IN_PROGRESS') }) }),
  z.object({
    status: z.object({ id: z.literal('COMPLETED') }),
    'job-execution-result': z.object({
      id: z.string(),
      'application-status': z.enum(['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN']),
      'accumulator-results': z.record(z.string(), z.never()),
      'net-runtime': z.number(),
      'failure-cause': z.object({ class: z.string(), 'stack-trace': z.string(), 'serialized-throwable': z.string() }).optional(),
    }),
  }),
]);
export type JobExecutionResultInfo = z.infer<typeof JobExecutionResultInfo>;

export function jobExecutionResult(graph: ArchivedExecutionGraph): JobExecutionResultInfo {
  const result = jobResultOf(graph);
  if (!result) return { status: { id: 'IN_PROGRESS' } };
  const applicationStatus = result.status === 'FINISHED' ? 'SUCCEEDED' : result.status === 'FAILED' ? 'FAILED' : result.status === 'CANCELED' ? 'CANCELED' : 'UNKNOWN';
  const cause = result.failureCause;
  return {
    status: { id: 'COMPLETED' },
    'job-execution-result': {
      id: result.jobId,
      'application-status': applicationStatus,
      'accumulator-results': {},
      'net-runtime': result.netRuntimeMs,
      ...(cause
        ? { 'failure-cause': { class: cause.className, 'stack-trace': cause.stack, 'serialized-throwable': Buffer.from(JSON.stringify(cause)).toString('base64') } }
        : {}),
    },
  };
}
