import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isFinalApplicationState } from '../../rm/protocol/records.ts';
import type { AppInfo, ApplicationSubmissionContextInfo } from '../../rm/protocol/client-rm.ts';
import { prepareJobFileDirectory } from '../../runtime/api/job-file-directory.ts';
import { createFlinkConfiguration, type FlinkConfiguration } from '../../runtime/config/flink-configuration.ts';
import { shellQuote } from '../../am/flink/task-manager-launch-context.ts';
import { RestClusterClient } from '../../runtime/client/rest-cluster-client.ts';
import type { CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { validateClusterResources } from './flink-cluster-resources.ts';

/**
 * The client side of Flink on YARN (YarnClusterDescriptor, flink.md §2.2): the AM submission
 * (application type "Apache Flink", AM resource = jobmanager.memory.process.size), the staging
 * dir for per-job files, and the deployment loop that polls the app report every 250 ms.
 */
export interface FlinkClusterRequest {
  readonly mode: 'session' | 'per-job' | 'application';
  readonly name: string;
  readonly queue?: string;
  /** Flink properties (-D, --tm-memory, --slots, --jm-memory folded in). */
  readonly properties: readonly [string, string][];
  /** Extra JobManager arguments (--job-file, --job-graph, --args, --parallelism). */
  readonly jobManagerArgs?: readonly string[];
  /** Files shipped to the AM container, by the name they get in its work dir. */
  readonly localResources?: Readonly<Record<string, string>>;
}

export const FLINK_APPLICATION_TYPE = 'Apache Flink';

export function jobManagerCommand(mode: string, properties: readonly [string, string][], extra: readonly string[] = []): string {
  return [
    '{{WEFT_HOME}}/bin/weft-run',
    '{{WEFT_HOME}}/am/flink/job-manager-main.ts',
    '--mode',
    mode,
    ...extra.map(shellQuote),
    ...properties.flatMap(([k, v]) => ['--conf', shellQuote(`${k}=${v}`)]),
    // Flink's JobManager command: the log to <LOG_DIR>/jobmanager.log (log.file), stdout and
    // stderr (print(), user code) to jobmanager.out / jobmanager.err.
    ...(properties.some(([k]) => k === 'web.log.path') ? [] : ['--conf', shellQuote('web.log.path=<LOG_DIR>/jobmanager.log')]),
    '1><LOG_DIR>/jobmanager.out',
    '2><LOG_DIR>/jobmanager.err',
  ].join(' ');
}

export function flinkSubmissionContext(applicationId: string, request: FlinkClusterRequest, config: FlinkConfiguration): ApplicationSubmissionContextInfo {
  const resources = Object.entries(request.localResources ?? {}).map(([key, path]) => {
    const st = statSync(path);
    return { key, value: { resource: pathToFileURL(path).href, type: 'FILE' as const, visibility: 'APPLICATION' as const, size: st.size, timestamp: Math.floor(st.mtimeMs) } };
  });
  return {
    'application-id': applicationId,
    'application-name': request.name,
    ...(request.queue !== undefined ? { queue: request.queue } : {}),
    priority: 0,
    'am-container-spec': {
      commands: { command: jobManagerCommand(request.mode, request.properties, request.jobManagerArgs) },
      ...(resources.length > 0 ? { 'local-resources': { entry: resources } } : {}),
    },
    'unmanaged-AM': false,
    'max-app-attempts': config['yarn.application-attempts'],
    resource: { memory: config['jobmanager.memory.process.size'], vCores: config['yarn.appmaster.vcores'] },
    'application-type': FLINK_APPLICATION_TYPE,
    'keep-containers-across-application-attempts': false,
    'attempt-failures-validity-interval': 10_000,
    'cancel-tokens-when-complete': true,
  };
}

/**
 * new-application for a Flink cluster: the id, once the JobManager and TaskManager sizes the
 * properties ask for are known to fit the cluster's maximum allocation (Flink checks before it
 * deploys rather than let the cluster wait for containers YARN will never give).
 */
export async function newFlinkApplication(ctx: CliContext, properties: readonly [string, string][]): Promise<string> {
  const config = createFlinkConfiguration(properties);
  const created = await ctx.rm.newApplication({ params: undefined, body: undefined });
  validateClusterResources(config, created['maximum-resource-capability']);
  return created['application-id'];
}

export async function submitFlinkCluster(ctx: CliContext, applicationId: string, request: FlinkClusterRequest): Promise<void> {
  const config = createFlinkConfiguration(request.properties);
  await ctx.rm.submitApplication({ params: undefined, body: flinkSubmissionContext(applicationId, request, config) });
}

/**
 * `.weft/staging/<appId>/`: the files a per-job or application cluster ships (the compiled job
 * file, the job graph), written there; the dir is prepared so the client can load the job file
 * from it too.
 */
export function stageFiles(applicationId: string, files: Readonly<Record<string, string | Buffer>>, root = '.weft/staging'): Record<string, string> {
  const dir = resolve(root, applicationId);
  mkdirSync(dir, { recursive: true });
  prepareJobFileDirectory(dir);
  const staged: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, content);
    staged[name] = path;
  }
  return staged;
}

export const proxyUrl = (ctx: CliContext, applicationId: string): string => `${ctx.rmUrl}/proxy/${applicationId}/`;

/** The cluster's REST client, through the RM's web proxy, as the CLI's user. */
export const restClient = (ctx: CliContext, applicationId: string): RestClusterClient =>
  new RestClusterClient(`${ctx.rmUrl}/proxy/${applicationId}`, { query: { 'user.name': ctx.user } });

export interface DeploymentOptions {
  readonly intervalMs?: number;
  /** How long in NEW/SUBMITTED/ACCEPTED before the "took more than" warning, and its repeat interval. */
  readonly slowAfterMs?: number;
}

const DEPLOYING = new Set(['NEW', 'NEW_SAVING', 'SUBMITTED', 'ACCEPTED']);

/**
 * Waits until the app is RUNNING (or already FINISHED), printing progress as Flink's client does;
 * FAILED or KILLED during deployment is an error carrying YARN's diagnostics. Beyond Flink, the
 * RM's diagnostic (why the AM is not placed yet) is printed each time it changes, so a wait is
 * explained at once rather than after the 60 s warning.
 */
export async function waitForDeployment(ctx: CliContext, applicationId: string, options: DeploymentOptions = {}): Promise<AppInfo> {
  const intervalMs = options.intervalMs ?? 250;
  const slowAfterMs = options.slowAfterMs ?? 60_000;
  const start = ctx.clock.now();
  let nextWarning = start + slowAfterMs;
  let lastState: string | undefined;
  let lastDiagnostics = '';
  for (;;) {
    const { app } = await ctx.rm.app({ params: { appid: applicationId }, body: undefined });
    if (app.state === 'FAILED' || app.state === 'KILLED') {
      throw new CliError(
        `The YARN application unexpectedly switched to state ${app.state} during deployment.\n` +
          `Diagnostics from YARN: ${app.diagnostics}\n` +
          `If log aggregation is enabled on your cluster, use this command to further investigate the issue:\n` +
          `weft logs ${applicationId}`,
      );
    }
    if (app.state === 'RUNNING') {
      if (!ctx.json) ctx.err('YARN application has been deployed successfully.\n');
      return app;
    }
    if (app.state === 'FINISHED') return app;
    if (DEPLOYING.has(app.state)) {
      if (app.state !== lastState && !ctx.json) ctx.err(`Deploying cluster, current state ${app.state}\n`);
      lastState = app.state;
      if (app.diagnostics && app.diagnostics !== lastDiagnostics && !ctx.json) ctx.err(`Diagnostics from YARN: ${app.diagnostics}\n`);
      lastDiagnostics = app.diagnostics;
      const now = ctx.clock.now();
      if (now >= nextWarning) {
        nextWarning = now + slowAfterMs;
        if (!ctx.json) {
          ctx.err(`Deployment took more than ${Math.round(slowAfterMs / 1000)} seconds. Please check if the requested resources are available in the YARN cluster\n`);
          if (app.diagnostics) ctx.err(`Diagnostics: ${app.diagnostics}\n`);
        }
      }
    }
    await new Promise<void>((r) => ctx.clock.schedule(intervalMs, r));
  }
}

export interface AppEndOptions {
  readonly intervalMs?: number;
  /** Called on every poll while the app runs (what an attached client reports meanwhile). */
  readonly onPoll?: () => Promise<void>;
}

/** Polls until the app reaches FINISHED, FAILED or KILLED. */
export async function waitForAppEnd(ctx: CliContext, applicationId: string, options: AppEndOptions = {}): Promise<AppInfo> {
  const intervalMs = options.intervalMs ?? 250;
  for (;;) {
    const { app } = await ctx.rm.app({ params: { appid: applicationId }, body: undefined });
    if (isFinalApplicationState(app.state)) return app;
    await options.onPoll?.();
    await new Promise<void>((r) => ctx.clock.schedule(intervalMs, r));
  }
}
