import type { FinalApplicationStatus } from '../../rm/protocol/records.ts';
import { finalApplicationStatusOf, type SerializedThrowable } from '../../runtime/protocol/records.ts';
import type { JobResult } from '../../runtime/protocol/dispatcher-gateway.ts';

/**
 * Why the JobManager stops and what it tells YARN: a finished job's final status (Flink's
 * JobStatus -> ApplicationStatus -> FinalApplicationStatus), a stopped session, or a kill /
 * fatal error after which it does not unregister.
 */
export type ClusterOutcome =
  | { readonly kind: 'unregister'; readonly finalStatus: FinalApplicationStatus; readonly diagnostics: string }
  | { readonly kind: 'killed'; readonly signal: string }
  | { readonly kind: 'fatal'; readonly error: Error };

export function outcomeOfJob(result: JobResult): ClusterOutcome {
  const finalStatus = finalApplicationStatusOf(result.status);
  const diagnostics =
    result.status === 'FAILED'
      ? `Job ${result.jobId} failed: ${describeCause(result.failureCause)}`
      : result.status === 'FINISHED'
        ? ''
        : `Job ${result.jobId} reached state ${result.status}.`;
  return { kind: 'unregister', finalStatus, diagnostics };
}

export const SESSION_STOPPED: ClusterOutcome = { kind: 'unregister', finalStatus: 'SUCCEEDED', diagnostics: 'Flink session stopped' };

export function failedToRun(error: unknown): ClusterOutcome {
  const message = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return { kind: 'unregister', finalStatus: 'FAILED', diagnostics: `The job could not be run: ${message}` };
}

function describeCause(cause: SerializedThrowable | undefined): string {
  if (!cause) return 'unknown cause';
  return cause.stack.includes(cause.message) ? cause.stack : `${cause.className}: ${cause.message}\n${cause.stack}`;
}
