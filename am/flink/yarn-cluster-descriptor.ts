import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Clock } from '../../rm/common/clock.ts';
import type { AppInfo, ApplicationClientProtocol, ApplicationSubmissionContextInfo } from '../../rm/protocol/client-rm.ts';
import type { CompiledJobFile } from '../../runtime/api/job-file-compiler.ts';
import { prepareJobFileDirectory } from '../../runtime/api/job-file-directory.ts';
import { RestClusterClient } from '../../runtime/client/rest-cluster-client.ts';
import { createFlinkConfiguration, type FlinkConfiguration } from '../../runtime/config/flink-configuration.ts';
import { killApplication, waitForFinalState } from '../yarn-client.ts';
import { validateClusterResources } from './cluster-resources.ts';
import { jobManagerProcessSpec } from '../../runtime/config/job-manager-process-spec.ts';
import { taskExecutorProcessSpec } from '../../runtime/config/task-executor-process-spec.ts';
import { nodeHeapOptions, shellQuote } from './task-manager-launch-context.ts';
import { YarnDeploymentException } from './yarn-deployment-exception.ts';

/**
 * The client side of Flink on YARN (YarnClusterDescriptor, flink.md §2.2): the AM submission
 * (application type "Apache Flink", AM resource = jobmanager.memory.process.size), the staging
 * dir for per-job files, and the deployment loop that polls the app report every 250 ms.
 */

/** What the descriptor needs: the RM's client API, who asks, a clock, and where progress goes. */
export interface YarnClusterDescriptorContext {
  readonly rm: ApplicationClientProtocol;
  readonly rmUrl: string;
  readonly user: string;
  readonly clock: Clock;
  /** Deployment progress as Flink's client reports it ("Deploying cluster, current state ..."); a no-op to stay quiet. */
  readonly progress: (text: string) => void;
}

/** What one Flink cluster asks of YARN (Flink's ClusterSpecification plus the YARN application's name and queue). */
export interface ClusterSpecification {
  readonly name?: string;
  readonly queue?: string;
  /** Flink properties (-D, --tm-memory, --slots, --jm-memory folded in). */
  readonly properties: readonly [string, string][];
}

export interface FlinkClusterRequest {
  readonly mode: 'session' | 'per-job' | 'application';
  readonly name: string;
  readonly queue?: string;
  readonly properties: readonly [string, string][];
  /** Extra JobManager arguments (--job-file, --job-graph, --args, --parallelism). */
  readonly jobManagerArgs?: readonly string[];
  /** Files shipped to the AM container, by the name they get in its work dir. */
  readonly localResources?: Readonly<Record<string, string>>;
}

/** A per-job cluster's job: its JobGraph (as JSON) built on the client, and the job file it runs. */
export interface PerJobSpecification {
  readonly jobId: string;
  readonly jobName: string;
  readonly jobGraphJson: string;
  readonly jobFile: CompiledJobFile;
  readonly args: readonly string[];
}

/** An application cluster's program: main() runs in the JobManager. */
export interface ApplicationSpecification {
  readonly jobFile: CompiledJobFile;
  readonly args: readonly string[];
}

/** A deployed cluster: its YARN application and the JobManager's web interface through the RM's proxy. */
export interface ClusterDeployment {
  readonly applicationId: string;
  readonly webInterfaceUrl: string;
}

export const FLINK_APPLICATION_TYPE = 'Apache Flink';

const JOB_GRAPH_FILE = 'job-graph.json';

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
  // Memory sizes that do not fit fail here, with Flink's message, rather than in the AM.
  taskExecutorProcessSpec(config);
  return {
    'application-id': applicationId,
    'application-name': request.name,
    ...(request.queue !== undefined ? { queue: request.queue } : {}),
    priority: 0,
    'am-container-spec': {
      commands: { command: jobManagerCommand(request.mode, request.properties, request.jobManagerArgs) },
      // The JobManager's Node heap: jobmanager.memory's JVM heap (Flink's -Xmx), for bin/weft-run.
      environment: { entry: [{ key: 'WEFT_NODE_OPTS', value: nodeHeapOptions(jobManagerProcessSpec(config).jvmHeap) }] },
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

export interface DeploymentOptions {
  readonly intervalMs?: number;
  /** How long in NEW/SUBMITTED/ACCEPTED before the "took more than" warning, and its repeat interval. */
  readonly slowAfterMs?: number;
}

const DEPLOYING = new Set(['NEW', 'NEW_SAVING', 'SUBMITTED', 'ACCEPTED']);

/**
 * Waits until the app is RUNNING (or already FINISHED), reporting progress as Flink's client does;
 * FAILED or KILLED during deployment is a YarnDeploymentException carrying YARN's diagnostics.
 * Beyond Flink, the RM's diagnostic (why the AM is not placed yet) is reported each time it
 * changes, so a wait is explained at once rather than after the 60 s warning.
 */
export async function waitForDeployment(ctx: YarnClusterDescriptorContext, applicationId: string, options: DeploymentOptions = {}): Promise<AppInfo> {
  const intervalMs = options.intervalMs ?? 250;
  const slowAfterMs = options.slowAfterMs ?? 60_000;
  const start = ctx.clock.now();
  let nextWarning = start + slowAfterMs;
  let lastState: string | undefined;
  let lastDiagnostics = '';
  for (;;) {
    const { app } = await ctx.rm.app({ params: { appid: applicationId }, body: undefined });
    if (app.state === 'FAILED' || app.state === 'KILLED') {
      throw new YarnDeploymentException(
        `The YARN application unexpectedly switched to state ${app.state} during deployment.\n` +
          `Diagnostics from YARN: ${app.diagnostics}\n` +
          `If log aggregation is enabled on your cluster, use this command to further investigate the issue:\n` +
          `weft logs ${applicationId}`,
      );
    }
    if (app.state === 'RUNNING') {
      ctx.progress('YARN application has been deployed successfully.\n');
      return app;
    }
    if (app.state === 'FINISHED') return app;
    if (DEPLOYING.has(app.state)) {
      if (app.state !== lastState) ctx.progress(`Deploying cluster, current state ${app.state}\n`);
      lastState = app.state;
      if (app.diagnostics && app.diagnostics !== lastDiagnostics) ctx.progress(`Diagnostics from YARN: ${app.diagnostics}\n`);
      lastDiagnostics = app.diagnostics;
      const now = ctx.clock.now();
      if (now >= nextWarning) {
        nextWarning = now + slowAfterMs;
        ctx.progress(`Deployment took more than ${Math.round(slowAfterMs / 1000)} seconds. Please check if the requested resources are available in the YARN cluster\n`);
        if (app.diagnostics) ctx.progress(`Diagnostics: ${app.diagnostics}\n`);
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

/**
 * Flink's YarnClusterDescriptor: deploys session, per-job and application clusters as YARN
 * applications running the JobManager AM (am/flink/job-manager-main.ts), retrieves a running
 * cluster's REST client, and kills a cluster.
 */
export class YarnClusterDescriptor {
  private readonly ctx: YarnClusterDescriptorContext;

  constructor(ctx: YarnClusterDescriptorContext) {
    this.ctx = ctx;
  }

  /** `yarn-session.sh`: a JobManager without a job; TaskManagers come on demand. */
  async deploySessionCluster(spec: ClusterSpecification): Promise<ClusterDeployment> {
    const applicationId = await this.newApplication(spec.properties);
    this.ctx.progress(`Submitting application master ${applicationId}\n`);
    return this.deploy(applicationId, { mode: 'session', name: spec.name ?? 'Flink session cluster', ...queueOf(spec), properties: spec.properties });
  }

  /** `flink run -t yarn-per-job`: the JobGraph built on the client, shipped with the job file, run by a dedicated cluster. */
  async deployJobCluster(spec: ClusterSpecification, job: PerJobSpecification): Promise<ClusterDeployment> {
    const applicationId = await this.newApplication(spec.properties);
    const staged = stageFiles(applicationId, { [job.jobFile.fileName]: job.jobFile.code, [JOB_GRAPH_FILE]: job.jobGraphJson });
    this.ctx.progress(`Submitting application master ${applicationId} for job ${job.jobId} (${job.jobName})\n`);
    return this.deploy(applicationId, {
      mode: 'per-job',
      name: spec.name ?? `Flink per-job cluster: ${job.jobName}`,
      ...queueOf(spec),
      properties: spec.properties,
      jobManagerArgs: ['--job-graph', JOB_GRAPH_FILE, '--job-file', job.jobFile.fileName, '--args', JSON.stringify(job.args), '--staging-dir', stagingDirOf(staged)],
      localResources: staged,
    });
  }

  /** `flink run-application -t yarn-application`: main() runs in the JobManager. */
  async deployApplicationCluster(spec: ClusterSpecification, application: ApplicationSpecification): Promise<ClusterDeployment> {
    const applicationId = await this.newApplication(spec.properties);
    const staged = stageFiles(applicationId, { [application.jobFile.fileName]: application.jobFile.code });
    this.ctx.progress(`Submitting application master ${applicationId}\n`);
    return this.deploy(applicationId, {
      mode: 'application',
      name: spec.name ?? 'Flink Application Cluster',
      ...queueOf(spec),
      properties: spec.properties,
      jobManagerArgs: ['--job-file', application.jobFile.fileName, '--args', JSON.stringify(application.args), '--staging-dir', stagingDirOf(staged)],
      localResources: staged,
    });
  }

  /** The running cluster's REST client, through the RM's web proxy, as the descriptor's user. */
  retrieve(applicationId: string): RestClusterClient {
    return new RestClusterClient(`${this.ctx.rmUrl}/proxy/${applicationId}`, { query: { 'user.name': this.ctx.user } });
  }

  /** The JobManager's web interface as Flink's client reports it: the dashboard through the RM's proxy. */
  webInterfaceUrl(applicationId: string): string {
    return `${this.ctx.rmUrl}/proxy/${applicationId}/`;
  }

  /** Kills the cluster's YARN application (Flink's killCluster: YarnClient.killApplication). */
  async killCluster(applicationId: string): Promise<void> {
    await killApplication(this.ctx.rm, this.ctx.clock, applicationId);
  }

  /** Polls until the cluster's application reaches FINISHED, FAILED or KILLED. */
  async waitForClusterEnd(applicationId: string, options: AppEndOptions = {}): Promise<AppInfo> {
    return waitForFinalState(this.ctx.rm, applicationId, this.ctx.clock, { intervalMs: options.intervalMs ?? 250, ...(options.onPoll ? { onPoll: options.onPoll } : {}) });
  }

  /**
   * new-application, once the JobManager and TaskManager sizes the properties ask for are known to
   * fit the cluster's maximum allocation (Flink checks before it deploys rather than let the
   * cluster wait for containers YARN will never give).
   */
  private async newApplication(properties: readonly [string, string][]): Promise<string> {
    const config = createFlinkConfiguration(properties);
    // Memory sizes that do not fit fail before the RM hands out an application id.
    taskExecutorProcessSpec(config);
    jobManagerProcessSpec(config);
    const created = await this.ctx.rm.newApplication({ params: undefined, body: undefined });
    validateClusterResources(config, created['maximum-resource-capability']);
    return created['application-id'];
  }

  private async deploy(applicationId: string, request: FlinkClusterRequest): Promise<ClusterDeployment> {
    const config = createFlinkConfiguration(request.properties);
    await this.ctx.rm.submitApplication({ params: undefined, body: flinkSubmissionContext(applicationId, request, config) });
    await waitForDeployment(this.ctx, applicationId);
    return { applicationId, webInterfaceUrl: this.webInterfaceUrl(applicationId) };
  }
}

const queueOf = (spec: ClusterSpecification): { queue?: string } => (spec.queue !== undefined ? { queue: spec.queue } : {});

const stagingDirOf = (staged: Record<string, string>): string => dirname(Object.values(staged)[0]!);
