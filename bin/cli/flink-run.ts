import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppInfo } from '../../rm/protocol/client-rm.ts';
import { checkApplicationId } from './app-status.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { flinkProperties, parseParallelism, type FlinkClusterOptions } from './flink-options.ts';
import { FlinkRestClient, TERMINAL_JOB_STATES } from './flink-rest-client.ts';
import { ResourceWaitReport, reportResourceWaits } from './resource-wait-report.ts';
import { newFlinkApplication, proxyUrl, stageFiles, submitFlinkCluster, waitForAppEnd, waitForDeployment } from './flink-yarn-deployment.ts';

export interface RunOptions extends FlinkClusterOptions {
  readonly target: string;
  readonly app?: string;
  readonly parallelism?: string;
  readonly detached?: boolean;
}

const JOB_GRAPH_FILE = 'job-graph.json';

function checkJobFile(jobFile: string): void {
  if (!existsSync(jobFile)) throw new CliError(`job file ${jobFile} does not exist`);
}

/** `weft run --target session|per-job <job file> [args...]` = `flink run -t yarn-session|yarn-per-job`. */
export async function run(ctx: CliContext, jobFile: string, args: readonly string[], o: RunOptions): Promise<number> {
  checkJobFile(jobFile);
  if (o.target === 'session') return runOnSession(ctx, jobFile, args, o);
  if (o.target === 'per-job') return runPerJob(ctx, jobFile, args, o);
  throw new CliError(`unknown --target '${o.target}' (expected session or per-job; application mode is \`weft run-application\`)`);
}

async function runOnSession(ctx: CliContext, jobFile: string, args: readonly string[], o: RunOptions): Promise<number> {
  if (o.app === undefined) throw new CliError('--target session needs --app <appId> (the session cluster, see `weft session start`)');
  checkApplicationId(o.app);
  const rest = new FlinkRestClient(ctx.rmUrl, o.app, ctx.user);
  const jarId = await rest.uploadJobFile(jobFile);
  const jobId = await rest.runJobFile(jarId, args, parseParallelism(o.parallelism));
  if (o.detached) {
    if (ctx.json) printJson(ctx, { applicationId: o.app, jobId });
    else ctx.out(`Job has been submitted with JobID ${jobId}\n`);
    return 0;
  }
  if (!ctx.json) ctx.out(`Job has been submitted with JobID ${jobId}\n`);
  const job = await waitForJob(ctx, rest, jobId);
  if (ctx.json) printJson(ctx, { applicationId: o.app, jobId, state: job.state, duration: job.duration });
  else if (job.state === 'FINISHED') ctx.out(`Job with JobID ${jobId} has finished.\nJob Runtime: ${job.duration} ms\n`);
  else ctx.out(`Job with JobID ${jobId} ended in state ${job.state}.\n`);
  return job.state === 'FINISHED' ? 0 : 1;
}

async function waitForJob(ctx: CliContext, rest: FlinkRestClient, jobId: string): Promise<{ state: string; duration: number }> {
  const waits = new ResourceWaitReport(ctx);
  for (;;) {
    const job = await rest.job(jobId);
    waits.observe(job);
    if (TERMINAL_JOB_STATES.has(job.state)) return job;
    await new Promise<void>((r) => ctx.clock.schedule(250, r));
  }
}

/** Per-job: the JobGraph is built here, shipped with the job file, and run by a dedicated cluster. */
async function runPerJob(ctx: CliContext, jobFile: string, args: readonly string[], o: RunOptions): Promise<number> {
  const properties = flinkProperties(o);
  const parallelism = parseParallelism(o.parallelism);
  // Loaded on demand: only per-job submission builds a JobGraph on the client.
  const { loadJob } = await import('../../runtime/api/job-loader.ts');
  const { jobGraphToJSON } = await import('../../runtime/jobgraph/job-graph.ts');
  const loaded = await loadJob(jobFile, args, parallelism !== undefined ? { parallelism } : {});
  const appId = await newFlinkApplication(ctx, properties);
  const staged = stageFiles(appId, jobFile, { [JOB_GRAPH_FILE]: JSON.stringify(jobGraphToJSON(loaded.jobGraph)) });
  const jobFileName = Object.keys(staged).find((k) => k !== JOB_GRAPH_FILE)!;
  if (!ctx.json) ctx.err(`Submitting application master ${appId} for job ${loaded.jobGraph.jobId} (${loaded.jobGraph.jobName})\n`);
  await submitFlinkCluster(ctx, appId, {
    mode: 'per-job',
    name: `Flink per-job cluster: ${loaded.jobGraph.jobName}`,
    ...(o.queue !== undefined ? { queue: o.queue } : {}),
    properties,
    jobManagerArgs: ['--job-graph', JOB_GRAPH_FILE, '--job-file', jobFileName, '--args', JSON.stringify(args), '--staging-dir', stagingDirOf(staged)],
    localResources: staged,
  });
  return followCluster(ctx, appId, o.detached === true, loaded.jobGraph.jobId);
}

/** `weft run-application <job file> [args...]` = `flink run-application -t yarn-application`: main() runs in the JobManager. */
export async function runApplication(ctx: CliContext, jobFile: string, args: readonly string[], o: RunOptions): Promise<number> {
  checkJobFile(jobFile);
  const properties = flinkProperties(o);
  const parallelism = parseParallelism(o.parallelism);
  const appId = await newFlinkApplication(ctx, properties);
  const staged = stageFiles(appId, jobFile);
  const jobFileName = Object.keys(staged)[0]!;
  if (!ctx.json) ctx.err(`Submitting application master ${appId}\n`);
  await submitFlinkCluster(ctx, appId, {
    mode: 'application',
    name: o.name ?? `Flink Application Cluster: ${jobFileName}`,
    ...(o.queue !== undefined ? { queue: o.queue } : {}),
    properties,
    jobManagerArgs: [
      '--job-file',
      jobFileName,
      '--args',
      JSON.stringify(args),
      '--staging-dir',
      stagingDirOf(staged),
      ...(parallelism !== undefined ? ['--parallelism', String(parallelism)] : []),
    ],
    localResources: staged,
  });
  return followCluster(ctx, appId, o.detached === true, undefined);
}

const stagingDirOf = (staged: Record<string, string>): string => dirname(Object.values(staged)[0]!);

async function followCluster(ctx: CliContext, appId: string, detached: boolean, jobId: string | undefined): Promise<number> {
  await waitForDeployment(ctx, appId);
  // As Flink's client reports the web interface it found: the dashboard through the RM's proxy.
  if (!ctx.json) ctx.out(`JobManager Web Interface: ${proxyUrl(ctx, appId)}\n`);
  if (detached) {
    if (ctx.json) printJson(ctx, { applicationId: appId, ...(jobId ? { jobId } : {}) });
    else ctx.out(`Job has been submitted to ${appId}${jobId ? ` with JobID ${jobId}` : ''}\n`);
    return 0;
  }
  if (!ctx.json) ctx.out(`Application ${appId}${jobId ? ` runs job ${jobId}` : ''}\n`);
  const ended = waitForAppEnd(ctx, appId);
  const waits = reportResourceWaits(ctx, new FlinkRestClient(ctx.rmUrl, appId, ctx.user), jobId, ended);
  const app: AppInfo = await ended;
  await waits;
  if (ctx.json) printJson(ctx, { applicationId: appId, ...(jobId ? { jobId } : {}), state: app.state, finalStatus: app.finalStatus, diagnostics: app.diagnostics });
  else {
    ctx.out(`Application ${appId} finished with state ${app.state} and final status ${app.finalStatus}\n`);
    if (app.diagnostics) ctx.out(`Diagnostics: ${app.diagnostics}\n`);
  }
  return app.finalStatus === 'SUCCEEDED' ? 0 : 1;
}
