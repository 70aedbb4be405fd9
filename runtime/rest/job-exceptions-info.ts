import type { ExceptionHistoryEntry } from '../scheduler/exception-history.ts';
import type { ExecutionGraphInfo } from '../executiongraph/archived-execution-graph.ts';
import type { JobResourceWaitInfo } from './job-resource-wait.ts';

/** `GET /jobs/:jobid/exceptions` (flink.md §6.2): legacy fields plus `exceptionHistory`. */
export interface JobExceptionsInfo {
  'root-exception': string | null;
  timestamp: number | null;
  'all-exceptions': { exception: string; task: string; location: string; timestamp: number; taskManagerId: string | null }[];
  truncated: boolean;
  exceptionHistory: { entries: ExceptionHistoryEntry[]; truncated: boolean };
  /** weft: why tasks wait for slots, while they do (job-resource-wait.ts); set by the REST router. */
  'waiting-for-resources'?: JobResourceWaitInfo | null;
}

export function jobExceptionsInfo(info: ExecutionGraphInfo, maxExceptions: number): JobExceptionsInfo {
  const graph = info.archivedExecutionGraph;
  const all = info.exceptionHistory;
  const entries = all.slice(0, maxExceptions);
  const root = graph.failureCause;
  const latest = all[0];
  const flat = all.flatMap((e) => [e, ...e.concurrentExceptions]).filter((e) => e.taskName !== null);
  return {
    'root-exception': root ? root.stack : (latest?.stacktrace ?? null),
    timestamp: root ? (graph.statusTimestamps.FAILED ?? graph.statusTimestamps.FAILING ?? latest?.timestamp ?? null) : (latest?.timestamp ?? null),
    'all-exceptions': flat.slice(0, maxExceptions).map((e) => ({
      exception: e.stacktrace,
      task: e.taskName ?? '',
      location: e.location ?? '(unassigned)',
      timestamp: e.timestamp,
      taskManagerId: e.taskManagerId,
    })),
    truncated: flat.length > maxExceptions,
    exceptionHistory: { entries: [...entries], truncated: info.exceptionHistoryTruncated || all.length > maxExceptions },
  };
}
