import { checkApplicationId } from './app-status.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import type { RestClusterClient } from '../../runtime/client/rest-cluster-client.ts';
import { formatJobList, formatTime } from './flink-format.ts';
import { clusterDescriptor } from './flink-cluster.ts';

export interface JobCommandOptions {
  readonly app?: string;
}

function client(ctx: CliContext, o: JobCommandOptions): RestClusterClient {
  if (o.app === undefined) throw new CliError('--app <appId> is required (the Flink cluster\'s YARN application)');
  checkApplicationId(o.app);
  return clusterDescriptor(ctx).retrieve(o.app);
}

/** `weft job list --app <appId>` = `flink list -a`. */
export async function jobList(ctx: CliContext, o: JobCommandOptions): Promise<number> {
  const jobs = await client(ctx, o).jobsOverview();
  if (ctx.json) printJson(ctx, jobs);
  else ctx.out(formatJobList(jobs));
  return 0;
}

/** `weft job status --app <appId> <jobId>`: the job's state and its vertices. */
export async function jobStatus(ctx: CliContext, jobId: string, o: JobCommandOptions): Promise<number> {
  const job = await client(ctx, o).job(jobId);
  if (ctx.json) {
    printJson(ctx, job);
    return 0;
  }
  ctx.out(`Job ${job.jid} : ${job.name}\n\tState : ${job.state}\n\tStart-Time : ${formatTime(job['start-time'])}\n\tDuration : ${job.duration} ms\n`);
  for (const v of job.vertices ?? []) ctx.out(`\t${v.name} (parallelism ${v.parallelism}) : ${v.status}\n`);
  return 0;
}

/** `weft job cancel --app <appId> <jobId>` = `flink cancel`. */
export async function jobCancel(ctx: CliContext, jobId: string, o: JobCommandOptions): Promise<number> {
  await client(ctx, o).cancel(jobId);
  if (ctx.json) printJson(ctx, { jobId, cancelled: true });
  else ctx.out(`Cancelled job ${jobId}.\n`);
  return 0;
}
