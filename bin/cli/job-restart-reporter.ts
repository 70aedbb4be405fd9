import type { CliContext } from './cli-context.ts';
import type { RestClusterClient } from '../../runtime/client/rest-cluster-client.ts';
import type { JobExceptionsInfo } from '../../runtime/rest/job-exceptions-info.ts';
import { formatTime } from './flink-format.ts';

/** One entry of `exceptionHistory.entries` in `GET /jobs/:id/exceptions` (flink.md §6.2). */
type ExceptionHistoryEntry = JobExceptionsInfo['exceptionHistory']['entries'][number];

const FINAL_FAILURE_STATES: ReadonlySet<string> = new Set(['FAILING', 'FAILED']);

/**
 * What an attached `weft run` prints about failures while it waits: each restart, with its
 * cause, as the job's exception history shows it, and the failure that ended the job. Polled by
 * the attached loop; best effort (a JobManager that is not reachable yet, or any more, is skipped).
 */
export class JobRestartReporter {
  private readonly ctx: CliContext;
  private readonly rest: RestClusterClient;
  private jobId: string | undefined;
  private lastSeen = Number.NEGATIVE_INFINITY;
  private restarts = 0;

  /** Without a job id (application mode), the cluster's first job is followed once it exists. */
  constructor(ctx: CliContext, rest: RestClusterClient, jobId: string | undefined) {
    this.ctx = ctx;
    this.rest = rest;
    this.jobId = jobId;
  }

  /** Restarts so far. */
  get restartCount(): number {
    return this.restarts;
  }

  async poll(): Promise<void> {
    try {
      this.jobId ??= (await this.rest.jobsOverview())[0]?.jid;
      if (this.jobId === undefined) return;
      const job = await this.rest.job(this.jobId);
      const body = await this.rest.jobExceptions(this.jobId);
      const fresh = (body.exceptionHistory?.entries ?? []).filter((e) => e.timestamp > this.lastSeen).sort((a, b) => a.timestamp - b.timestamp);
      fresh.forEach((entry, i) => {
        // Only the newest failure can be the one that ended the job.
        const final = i === fresh.length - 1 && FINAL_FAILURE_STATES.has(job.state);
        if (!final) this.restarts++;
        this.print(this.jobId!, entry, final);
      });
      const newest = fresh.at(-1);
      if (newest) this.lastSeen = newest.timestamp;
    } catch {
      // The JobManager is starting or gone; the next poll tries again.
    }
  }

  private print(jobId: string, entry: ExceptionHistoryEntry, final: boolean): void {
    if (this.ctx.json) return;
    const where = `${entry.taskName ? ` in ${entry.taskName}` : ''}${entry.location ? ` on ${entry.location}` : ''}`;
    const what = final ? `Job ${jobId} failed${where}` : `Job ${jobId} is restarting (restart ${this.restarts}) after a failure${where}`;
    this.ctx.err(`${what} at ${formatTime(entry.timestamp)}: ${causeOf(entry)}\n`);
  }
}

/** The first line of the stack trace: the exception and its message. */
function causeOf(entry: ExceptionHistoryEntry): string {
  const first = entry.stacktrace.split('\n').find((l) => l.trim() !== '');
  return first?.trim() ?? entry.exceptionName;
}
