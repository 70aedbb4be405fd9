import { readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import express, { type Router, type RequestHandler } from 'express';
import { PROMETHEUS_PATH } from '../../rm/metrics/rm-metrics.ts';
import { ContainerMetricsEndpoint } from '../../rm/protocol/am-rm.ts';
import { connectionsOf, type ApplicationMasterConnections } from '../application-master-connections.ts';
import type { ApplicationMasterContext } from '../application-master-context.ts';
import type { Clock } from '../../rm/common/clock.ts';
import { errorHandler, jsonBody, registerRoutes } from '../../rm/common/http-server.ts';
import { HttpService } from '../../rm/common/http-service.ts';
import { CompositeService, type Service } from '../../rm/common/lifecycle.ts';
import type { Logger } from '../../rm/common/logger.ts';
import type { FlinkConfiguration } from '../../runtime/config/flink-configuration.ts';
import { resourceManagerRoutes } from '../../runtime/protocol/resource-manager-gateway.ts';
import { FlinkResourceManager } from '../../runtime/resourcemanager/flink-resource-manager.ts';
import { httpTaskExecutorGateways, type TaskExecutorGatewayFactory } from '../../runtime/protocol/task-executor-gateway.ts';
import { taskManagerLaunchContext } from './task-manager-launch-context.ts';
import { YarnResourceManagerDriver } from './yarn-resource-manager-driver.ts';
import { attachFlinkDashboardHub, mountFlinkDashboard } from '../../webui/flink/dashboard.ts';
import type { FlinkEventHub } from '../../webui/flink/flink-event-hub.ts';
import { SESSION_STOPPED, failedToRun, outcomeOfJob, type ClusterOutcome } from './cluster-outcome.ts';
import type { JobManagerArguments } from './job-manager-arguments.ts';
import type { JobManagerServices, JobManagerServicesFactory } from './job-manager-services.ts';

export interface FlinkApplicationMasterDeps extends ApplicationMasterConnections {
  readonly args: JobManagerArguments;
  readonly config: FlinkConfiguration;
  readonly context: ApplicationMasterContext;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly services: JobManagerServicesFactory;
  readonly taskExecutors?: TaskExecutorGatewayFactory;
  /** This application's diagnostics from the RM's app report (why pending containers wait). */
  readonly applicationDiagnostics?: () => Promise<string>;
}

/**
 * The JobManager process run as a YARN ApplicationMaster (Flink's Yarn*ClusterEntrypoint): one
 * HTTP server carrying the Flink REST API, the JobMaster and ResourceManager RPC routes and the
 * blob service; the Flink RM with the YARN driver; the Dispatcher. In per-job and application
 * mode the cluster lives as long as its one job; a session lives until `DELETE /cluster`.
 *
 * Its services start in order and stop in reverse (Flink's ClusterEntrypoint: REST, then the
 * ResourceManager, then the Dispatcher). Registering with YARN comes last, because an app that
 * is RUNNING with a tracking URL is what clients take for a ready cluster; unregistering comes
 * after the ResourceManager stopped, so the job is cancelled and the TaskManagers' containers
 * given back before YARN takes the application for finished.
 */
export class FlinkApplicationMaster {
  private readonly deps: FlinkApplicationMasterDeps;
  private readonly logger: Logger;
  private readonly http: HttpService;
  /** The Flink RM's RPC routes, registered once the RM exists. */
  private readonly rpc: Router;
  private readonly lifecycle: CompositeService;
  /** How the cluster ends, set before the services stop (whether to unregister). */
  private ending: ClusterOutcome | undefined;
  private driver: YarnResourceManagerDriver | undefined;
  private resourceManager: FlinkResourceManager | undefined;
  private services: JobManagerServices | undefined;
  /** Mounted once the Dispatcher exists (it needs the URL the server got). */
  private servicesHandler: RequestHandler | undefined;
  /** The Flink dashboard's live-event hub (`/ws/events`). */
  private dashboardHub: FlinkEventHub | undefined;
  private resolveOutcome: (outcome: ClusterOutcome) => void = () => {};
  private readonly outcome: Promise<ClusterOutcome>;
  private url = '';

  constructor(deps: FlinkApplicationMasterDeps) {
    this.deps = deps;
    this.logger = deps.logger;
    this.outcome = new Promise((resolve) => {
      this.resolveOutcome = resolve;
    });
    const { config, context } = deps;
    const app = express();
    app.disable('x-powered-by');
    app.delete(['/cluster', '/v1/cluster'], (_req, res) => {
      res.status(202).json({});
      this.logger.info('DELETE /cluster: stopping the Flink cluster');
      this.finish(SESSION_STOPPED);
    });
    this.rpc = express.Router();
    this.rpc.use(jsonBody());
    app.use(this.rpc);
    app.use((req, res, next) => (this.servicesHandler ? this.servicesHandler(req, res, next) : next()));
    mountFlinkDashboard(app, { appId: context.applicationId, rmUrl: context.rmUrl });
    app.use(errorHandler(this.logger));
    this.http = new HttpService(app, config['rest.port'], '0.0.0.0');
    this.lifecycle = new CompositeService('JobManager', this.childServices());
  }

  /** In start order; each stop logs its failure and lets the next one run. */
  private childServices(): Service[] {
    const { context } = this.deps;
    const service = (name: string, what: string, start: () => Promise<void> | void, stop: () => Promise<void> | void): Service => ({
      name,
      start,
      stop: () => this.step(what, stop),
    });
    return [
      service('HttpServer', 'http server', () => this.http.start(), () => this.http.stop()),
      service('JobManagerAddress', 'address', () => void (this.url = `http://${context.nmHost}:${this.http.boundPort}`), () => {}),
      service('YarnUnregistration', 'unregistration', () => {}, () => this.unregister()),
      service('ResourceManager', 'resource manager', () => this.createResourceManager(), () => this.resourceManager?.stop()),
      service('Dispatcher', 'dispatcher', () => this.createDispatcher(), () => this.services?.stop()),
      service('DashboardHub', 'dashboard hub', () => this.attachDashboardHub(), () => this.dashboardHub?.close()),
      service('YarnRegistration', 'registration', () => this.resourceManager!.start(), () => {}),
    ];
  }

  get jobManagerUrl(): string {
    return this.url;
  }

  /**
   * This JobManager's `/prom` and every registered TaskManager's (served on its RPC port; a
   * TaskManager's resource id is its container id), as the RM's prometheus-sd lists them.
   */
  private metricsEndpoints(jobManagerAddress: string): ContainerMetricsEndpoint[] {
    const jobManager: ContainerMetricsEndpoint = { containerId: this.deps.context.containerId, address: jobManagerAddress, metricsPath: PROMETHEUS_PATH, component: 'jobmanager' };
    const taskManagers = (this.resourceManager?.taskManagers() ?? []).map(
      (tm): ContainerMetricsEndpoint => ({ containerId: tm.resourceId, address: new URL(tm.location.address).host, metricsPath: PROMETHEUS_PATH, component: 'taskmanager' }),
    );
    // An address the RM would refuse must not cost the heartbeat: such an endpoint is left out.
    return [jobManager, ...taskManagers].filter((e) => ContainerMetricsEndpoint.safeParse(e).success);
  }

  /** Serves HTTP, builds the RM and the Dispatcher, registers with YARN. */
  async start(): Promise<string> {
    await this.lifecycle.start();
    this.logger.info({ mode: this.deps.args.mode, url: this.url, appId: this.deps.context.applicationId }, 'JobManager started');
    return this.url;
  }

  private createResourceManager(): void {
    const { config, context, clock } = this.deps;
    const port = this.http.boundPort;
    this.driver = new YarnResourceManagerDriver({
      ...connectionsOf(this.deps),
      clock,
      logger: this.logger.child({ component: 'yarn-resource-manager-driver' }),
      config,
      registration: { host: context.nmHost, rpcPort: port, trackingUrl: `${this.url}/` },
      launchContext: (_container, spec) => taskManagerLaunchContext(this.url, spec, config),
      ...(this.deps.applicationDiagnostics ? { applicationDiagnostics: this.deps.applicationDiagnostics } : {}),
      metricsEndpoints: () => this.metricsEndpoints(`${context.nmHost}:${port}`),
    });
    this.resourceManager = new FlinkResourceManager({
      config,
      clock,
      logger: this.logger.child({ component: 'resource-manager' }),
      driver: this.driver,
      taskExecutors: this.deps.taskExecutors ?? httpTaskExecutorGateways(),
    });
    this.resourceManager.onFatalError((error) => this.finish({ kind: 'fatal', error }));
    registerRoutes(this.rpc, resourceManagerRoutes, this.resourceManager.handlers(), () => undefined);
  }

  private async createDispatcher(): Promise<void> {
    const { config, clock } = this.deps;
    this.services = await this.deps.services({
      config,
      clock,
      logger: this.logger,
      resourceManager: this.resourceManager!,
      jobManagerUrl: this.url,
    });
    this.servicesHandler = this.services.handler;
  }

  private attachDashboardHub(): void {
    const { context, clock } = this.deps;
    const dispatcher = this.services!.dispatcher;
    const resourceManager = this.resourceManager!;
    this.dashboardHub = attachFlinkDashboardHub(this.http.server!, {
      sources: { dispatcher, taskManagers: () => resourceManager.taskManagers() },
      clock,
      logger: this.logger.child({ component: 'dashboard' }),
      jobManager: context.applicationId,
    });
  }

  /** Runs the cluster's mode to its end and shuts down; resolves with what happened. */
  async run(): Promise<ClusterOutcome> {
    void this.runMode().then(
      (outcome) => outcome && this.finish(outcome),
      (err: unknown) => this.finish(failedToRun(err)),
    );
    const outcome = await this.outcome;
    await this.shutdown(outcome);
    return outcome;
  }

  /** Ends the cluster (first call wins): a job's end, DELETE /cluster, SIGTERM, a fatal error. */
  finish(outcome: ClusterOutcome): void {
    this.resolveOutcome(outcome);
  }

  private async runMode(): Promise<ClusterOutcome | undefined> {
    const { args } = this.deps;
    const dispatcher = this.services!.dispatcher;
    if (args.mode === 'session') return undefined;
    const jobFile = args.jobFile!;
    const uploaded = dispatcher.uploadJobFile(basename(jobFile), readFileSync(jobFile));
    let jobId: string;
    if (args.mode === 'per-job') {
      const jobGraph: unknown = JSON.parse(readFileSync(args.jobGraph!, 'utf8'));
      jobId = await dispatcher.submitJob({ jobGraph, jobFile: { blobKey: uploaded.blobKey, fileName: uploaded.name, args: [...args.programArgs] } });
    } else {
      jobId = await dispatcher.runJobFile(uploaded.id, {
        programArgs: args.programArgs,
        ...(args.parallelism !== undefined ? { parallelism: args.parallelism } : {}),
      });
    }
    this.logger.info({ jobId, mode: args.mode }, 'job submitted');
    const result = await dispatcher.requestJobResult(jobId);
    this.logger.info({ jobId, status: result.status }, 'job terminated; shutting the cluster down');
    return outcomeOfJob(result);
  }

  private async shutdown(outcome: ClusterOutcome): Promise<void> {
    this.logger.info({ outcome: outcome.kind === 'fatal' ? { kind: 'fatal', error: outcome.error.message } : outcome }, 'JobManager shutting down');
    this.ending = outcome;
    await this.lifecycle.stop();
  }

  /** Tells YARN how the application ended, when it ended on its own (not killed, not fatal). */
  private async unregister(): Promise<void> {
    const outcome = this.ending;
    if (outcome?.kind !== 'unregister') return;
    await this.step('unregister', () => this.driver?.deregisterApplication(outcome.finalStatus, outcome.diagnostics));
    await this.step('staging dir', () => this.removeStagingDir());
  }

  /** Only a dir named after this application is removed, whatever the argument says. */
  private removeStagingDir(): void {
    const dir = this.deps.args.stagingDir;
    if (dir === undefined || basename(dir) !== this.deps.context.applicationId) return;
    rmSync(dir, { recursive: true, force: true });
    this.logger.info({ dir }, 'removed the staging dir');
  }

  private async step(what: string, fn: () => Promise<void> | void): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, `stopping the ${what} failed`);
    }
  }
}
