import { z } from 'zod';
import type { ExecutionGraphInfo } from '../executiongraph/archived-execution-graph.ts';
import { JobResourceWaitInfo } from './job-resource-wait.ts';

/** One failure in `exceptionHistory` (Flink's ExceptionInfo / RootExceptionInfo), as the scheduler's ExceptionHistoryEntry. */
export const ExceptionInfo = z.object({
  exceptionName: z.string(),
  stacktrace: z.string(),
  timestamp: z.number(),
  taskName: z.string().nullable(),
  /** `host:port` of the TaskManager the task ran on. */
  location: z.string().nullable(),
  taskManagerId: z.string().nullable(),
  get concurrentExceptions(): z.ZodArray<typeof ExceptionInfo> {
    return z.array(ExceptionInfo);
  },
});
export type ExceptionInfo = z.infer<typeof ExceptionInfo>;

/** `GET /jobs/:jobid/exceptions` (flink.md §6.2): legacy fields plus `exceptionHistory`. */
export const JobExceptionsInfo = z.object({
  'root-exception': z.string().nullable(),
  timestamp: z.number().nullable(),
  'all-exceptions': z.array(z.object({ exception: z.string(), task: z.string(), location: z.string(), timestamp: z.number(), taskManagerId: z.string().nullable() })),
  truncated: z.boolean(),
  exceptionHistory: z.object({ entries: z.array(ExceptionInfo), truncated: z.boolean() }),
  /** weft: why tasks wait for slots, while they do (job-resource-wait.ts); set by the REST router. */
  'waiting-for-resources': JobResourceWaitInfo.nullable().optional(),
});
export type JobExceptionsInfo = z.infer<typeof JobExceptionsInfo>;

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
