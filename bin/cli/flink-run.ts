import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { AppInfo } from '../../rm/protocol/client-rm.ts';
import { compileJobFile } from '../../runtime/api/job-file-compiler.ts';
import { jobFileMissing } from '../../runtime/api/job-file-error.ts';
import { createFlinkConfiguration } from '../../runtime/config/flink-configuration.ts';
import { checkApplicationId } from './app-status.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { flinkProperties, parseParallelism, type FlinkClusterOptions } from './flink-options.ts';
import type { ClusterDeployment, YarnClusterDescriptor } from '../../am/flink/yarn-cluster-descriptor.ts';
import type { RestClusterClient } from '../../runtime/client/rest-cluster-client.ts';
import { isGloballyTerminal } from '../../runtime/protocol/records.ts';
import { ResourceWaitReport, reportResourceWaits } from './resource-wait-report.ts';
import { clusterDescriptor } from './flink-cluster.ts';
import { JobRestartReporter } from './job-restart-reporter.ts';

export interface RunOptions extends FlinkClusterOptions {
  readonly target: string;
  readonly app?: string;
  readonly parallelism?: string;
  readonly detached?: boolean;
}

/** Before anything else, in the words every mode uses (runtime/api/job-file-error.ts). */
function checkJobFile(jobFile: string): void {
  if (!existsSync(jobFile)) throw jobFileMissing(jobFile);
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
  const jobConfiguration = Object.fromEntries(flinkProperties(o));
  const compiled = await compileJobFile(jobFile);
  const rest = clusterDescriptor(ctx).retrieve(o.app);
  const jarId = await rest.uploadJobFile(compiled);
  const jobId = await rest.runJobFile(jarId, args, parseParallelism(o.parallelism), jobConfiguration);
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

async function waitForJob(ctx: CliContext, rest: RestClusterClient, jobId: string): Promise<{ state: string; duration: number }> {
  const waits = new ResourceWaitReport(ctx);
  const restarts = new JobRestartReporter(ctx, rest, jobId);
  for (;;) {
    const job = await rest.job(jobId);
    waits.observe(job);
    await restarts.poll();
    if (isGloballyTerminal(job.state)) return job;
    await new Promise<void>((r) => ctx.clock.schedule(250, r));
  }
}

/**
 * The Flink properties of a per-job or application cluster: `-D` and the dedicated flags, with
 * --parallelism as `parallelism.default` (as Flink's CLI folds -p into the effective configuration).
 */
function clusterProperties(o: RunOptions): [string, string][] {
  const properties = flinkProperties(o);
  const parallelism = parseParallelism(o.parallelism);
  return parallelism === undefined ? properties : [...properties.filter(([k]) => k !== 'parallelism.default'), ['parallelism.default', String(parallelism)]];
}

/** Per-job: the JobGraph is built here, shipped with the compiled job file, and run by a dedicated cluster. */
async function runPerJob(ctx: CliContext, jobFile: string, args: readonly string[], o: RunOptions): Promise<number> {
  const properties = clusterProperties(o);
  const config = createFlinkConfiguration(properties);
  const compiled = await compileJobFile(jobFile);
  // Loaded on demand: only per-job submission builds a JobGraph on the client.
  const { loadCompiledJobFile } = await import('../../runtime/api/job-loader.ts');
  const { jobGraphToJSON } = await import('../../runtime/jobgraph/job-graph.ts');
  const maxParallelism = config['pipeline.max-parallelism'];
  const loaded = await loadCompiledJobFile(compiled, args, {
    parallelism: config['parallelism.default'],
    ...(maxParallelism === undefined ? {} : { maxParallelism }),
    jobConfiguration: Object.fromEntries(properties),
  });
  const descriptor = clusterDescriptor(ctx);
  const { jobId, jobName } = loaded.jobGraph;
  const deployment = await descriptor.deployJobCluster(
    { ...(o.queue !== undefined ? { queue: o.queue } : {}), properties },
    { jobId, jobName, jobGraphJson: JSON.stringify(jobGraphToJSON(loaded.jobGraph)), jobFile: compiled, args },
  );
  return followCluster(ctx, descriptor, deployment, o.detached === true, jobId);
}

/** `weft run-application <job file> [args...]` = `flink run-application -t yarn-application`: main() runs in the JobManager. */
export async function runApplication(ctx: CliContext, jobFile: string, args: readonly string[], o: RunOptions): Promise<number> {
  checkJobFile(jobFile);
  const properties = clusterProperties(o);
  createFlinkConfiguration(properties);
  const compiled = await compileJobFile(jobFile);
  const descriptor = clusterDescriptor(ctx);
  const deployment = await descriptor.deployApplicationCluster(
    { name: o.name ?? `Flink Application Cluster: ${basename(jobFile)}`, ...(o.queue !== undefined ? { queue: o.queue } : {}), properties },
    { jobFile: compiled, args },
  );
  return followCluster(ctx, descriptor, deployment, o.detached === true, undefined);
}

async function followCluster(ctx: CliContext, descriptor: YarnClusterDescriptor, deployment: ClusterDeployment, detached: boolean, jobId: string | undefined): Promise<number> {
  const appId = deployment.applicationId;
  // As Flink's client reports the web interface it found: the dashboard through the RM's proxy.
  if (!ctx.json) ctx.out(`JobManager Web Interface: ${deployment.webInterfaceUrl}\n`);
  if (detached) {
    if (ctx.json) printJson(ctx, { applicationId: appId, ...(jobId ? { jobId } : {}) });
    else ctx.out(`Job has been submitted to ${appId}${jobId ? ` with JobID ${jobId}` : ''}\n`);
    return 0;
  }
  if (!ctx.json) ctx.out(`Application ${appId}${jobId ? ` runs job ${jobId}` : ''}\n`);
  const restarts = new JobRestartReporter(ctx, descriptor.retrieve(appId), jobId);
  const ended = descriptor.waitForClusterEnd(appId, { onPoll: () => restarts.poll() });
  const waits = reportResourceWaits(ctx, descriptor.retrieve(appId), jobId, ended);
  const app: AppInfo = await ended;
  await waits;
  if (ctx.json) printJson(ctx, { applicationId: appId, ...(jobId ? { jobId } : {}), state: app.state, finalStatus: app.finalStatus, diagnostics: app.diagnostics });
  else {
    ctx.out(`Application ${appId} finished with state ${app.state} and final status ${app.finalStatus}\n`);
    if (app.diagnostics) ctx.out(`Diagnostics: ${app.diagnostics}\n`);
  }
  return app.finalStatus === 'SUCCEEDED' ? 0 : 1;
}
