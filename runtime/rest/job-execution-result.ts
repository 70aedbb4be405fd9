import { jobResultOf, type ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.ts';

/** `GET /jobs/:jobid/execution-result`: IN_PROGRESS until the job is globally terminal. */
export type JobExecutionResultInfo =
  | { status: { id: 'IN_PROGRESS' } }
  | {
      status: { id: 'COMPLETED' };
      'job-execution-result': {
        id: string;
        'application-status': 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'UNKNOWN';
        'accumulator-results': Record<string, never>;
        'net-runtime': number;
        'failure-cause'?: { class: string; 'stack-trace': string; 'serialized-throwable': string };
      };
    };

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
