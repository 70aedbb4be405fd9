import type { CliContext } from './cli-context.ts';
import type { JobDetails, RestClusterClient } from '../../runtime/client/rest-cluster-client.ts';
import { isGloballyTerminal } from '../../runtime/protocol/records.ts';

/**
 * What an attached `weft run` / `run-application` prints while a job's tasks wait for slots: the
 * JobManager's `waiting-for-resources` reason each time it changes (pending TaskManager
 * containers, YARN's diagnostic for them, failures), and one line when the wait is over. Flink's
 * CLI says nothing until slot.request.timeout fails the job five minutes later.
 */
export class ResourceWaitReport {
  private readonly ctx: CliContext;
  private readonly last = new Map<string, string>();

  constructor(ctx: CliContext) {
    this.ctx = ctx;
  }

  observe(job: JobDetails): void {
    if (this.ctx.json) return;
    const reason = job['waiting-for-resources']?.reason;
    const previous = this.last.get(job.jid);
    if (reason === previous) return;
    if (reason !== undefined) {
      this.last.set(job.jid, reason);
      this.ctx.err(`Job ${job.jid}: ${reason}\n`);
    } else if (previous !== undefined) {
      this.last.delete(job.jid);
      if (!isGloballyTerminal(job.state)) this.ctx.err(`Job ${job.jid} has its slots; deploying its tasks.\n`);
    }
  }
}

/**
 * Follows a per-job or application cluster's jobs through the RM's proxy until `done` settles,
 * reporting their waits. Without a job id (application mode: main() picks it) every job of the
 * cluster is followed. Unanswered polls are skipped: the JobManager may be starting or gone.
 */
export async function reportResourceWaits(ctx: CliContext, rest: RestClusterClient, jobId: string | undefined, done: Promise<unknown>, intervalMs = 250): Promise<void> {
  if (ctx.json) return;
  const report = new ResourceWaitReport(ctx);
  let finished = false;
  const settled = done.then(
    () => void (finished = true),
    () => void (finished = true),
  );
  while (!finished) {
    try {
      const ids = jobId !== undefined ? [jobId] : (await rest.jobsOverview()).filter((j) => !isGloballyTerminal(j.state)).map((j) => j.jid);
      for (const id of ids) report.observe(await rest.job(id));
    } catch {
      // not answering right now; the RM's app report decides when following ends
    }
    if (finished) break;
    await Promise.race([settled, new Promise<void>((r) => ctx.clock.schedule(intervalMs, r))]);
  }
}
