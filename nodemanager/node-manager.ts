import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Clock } from '../rm/common/clock.ts';
import { CompositeService, type Service } from '../rm/common/lifecycle.ts';
import type { Logger } from '../rm/common/logger.ts';
import type { NmConfig } from './config.ts';
import { ContainerManager } from './containers/container-manager.ts';
import { ContainerManagementService } from './containers/container-management-service.ts';
import { createNmHttpApp } from './http/app.ts';
import { ContainerLogFiles } from './http/container-log-files.ts';
import { HttpService } from '../rm/common/http-service.ts';
import type { ContainerExecutor } from './launcher/container-executor.ts';
import { LogAggregationService } from './logaggregation/log-aggregation-service.ts';
import { WEFT_HOME } from './launcher/container-launch.ts';
import { NodeManagerMetrics } from './metrics/node-manager-metrics.ts';
import { ContainersMonitor } from './monitor/containers-monitor.ts';
import { LinuxProcReader, type ProcReader } from './monitor/proc-reader.ts';
import { NmContext } from './nm-context.ts';
import { NodeStatusUpdater } from './node-status-updater.ts';
import type { ResourceTracker } from '../rm/protocol/resource-tracker.ts';

export interface NodeManagerDeps {
  readonly config: NmConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly executor: ContainerExecutor;
  readonly rm: ResourceTracker;
  readonly proc?: ProcReader;
  /** The environment whitelisted variables come from; the NM's own by default. */
  readonly nmEnv?: Readonly<Record<string, string | undefined>>;
  /** Called when the RM says SHUTDOWN, after the NM stopped; main exits the process. */
  readonly onShutdown?: (reason: string) => void;
}

function weftVersion(): { version: string; builtOn: string } {
  try {
    const pkg = join(WEFT_HOME, 'package.json');
    const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string };
    return { version: version ?? '0.0.0', builtOn: statSync(pkg).mtime.toISOString() };
  } catch {
    return { version: '0.0.0', builtOn: '' };
  }
}

/**
 * The NodeManager process as one composite service (YARN's NodeManager): the HTTP server first
 * (the node id needs its port), then registration and heartbeats, the memory monitor and the
 * container manager. Stopping runs in reverse: containers are killed and gone before the NM
 * unregisters and the port closes.
 */
export class NodeManager {
  readonly context: NmContext;
  readonly containerManager: ContainerManager;
  /** ContainerManagementProtocol as this NM serves it: the HTTP routes' handlers and the in-process client. */
  readonly containerManagement: ContainerManagementService;
  readonly monitor: ContainersMonitor;
  /** NodeManagerMetrics and per-container figures, served at `/prom`. */
  readonly metrics: NodeManagerMetrics;
  readonly statusUpdater: NodeStatusUpdater;
  readonly logAggregation: LogAggregationService;
  readonly baseDir: string;
  private readonly deps: NodeManagerDeps;
  private readonly http: HttpService;
  private readonly services: CompositeService;
  private readonly logger: Logger;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(deps: NodeManagerDeps) {
    this.deps = deps;
    const { config, clock, logger } = deps;
    this.logger = logger.child({ component: 'nm' });
    const { version, builtOn } = weftVersion();
    this.context = new NmContext(config.hostname, { memory: config.memoryMb, vCores: config.vcores }, clock.now());
    // With --port 0 the port is unknown until bound, so the default dir is per process instead.
    this.baseDir = resolve(config.dir ?? join('.weft', config.port === 0 ? `nm-0-${process.pid}` : `nm-${config.port}`));
    mkdirSync(join(this.baseDir, 'logs'), { recursive: true });
    mkdirSync(join(this.baseDir, 'usercache'), { recursive: true });

    // Read at scrape time: the monitor is built after the container manager these metrics feed.
    this.metrics = new NodeManagerMetrics({ context: this.context, rssBytes: (id) => this.monitor.lastRssBytes.get(id) });
    this.logAggregation = new LogAggregationService({ config, logsRoot: join(this.baseDir, 'logs'), nodeId: () => this.context.nodeId, logger });
    this.containerManager = new ContainerManager({
      context: this.context,
      config,
      clock,
      logger,
      executor: deps.executor,
      baseDir: this.baseDir,
      nmEnv: deps.nmEnv ?? process.env,
      logAggregation: this.logAggregation,
      metrics: this.metrics,
    });
    this.monitor = new ContainersMonitor({
      clock,
      logger,
      config,
      proc: deps.proc ?? new LinuxProcReader(),
      containers: () => this.context.containers.values(),
      kill: (id, exitStatus, diagnostics) => this.containerManager.killContainer(id, exitStatus, diagnostics),
    });
    this.statusUpdater = new NodeStatusUpdater({
      context: this.context,
      config,
      clock,
      logger,
      rm: deps.rm,
      containerManager: this.containerManager,
      logAggregation: this.logAggregation,
      nmVersion: version,
      onShutdown: (reason) => {
        this.logger.warn({ reason }, 'shutting down on the ResourceManager\'s request');
        void this.stop().then(() => deps.onShutdown?.(reason));
      },
    });
    this.containerManagement = new ContainerManagementService(this.context, this.containerManager);
    const app = createNmHttpApp({
      context: this.context,
      config,
      containerManagement: this.containerManagement,
      logs: new ContainerLogFiles(join(this.baseDir, 'logs'), this.logAggregation.enabled ? this.logAggregation.logs : undefined),
      logger,
      nmVersion: version,
      builtOn,
      metrics: this.metrics.registry,
    });
    this.http = new HttpService(app, config.port, config.host);
    const bindPort: Service = {
      name: 'NodeIdentity',
      start: () => {
        this.context.httpPort = this.http.boundPort;
      },
      stop: () => {},
    };
    const containers: Service = { name: 'ContainerManager', start: () => {}, stop: () => this.containerManager.stop() };
    this.services = new CompositeService('NodeManager', [this.http, bindPort, this.statusUpdater, this.monitor, containers]);
  }

  get nodeId(): string {
    return this.context.nodeId;
  }

  get url(): string {
    return `http://${this.context.httpAddress}`;
  }

  /** Resolves once the HTTP port is bound and the RM accepted the registration. */
  start(): Promise<void> {
    this.starting ??= this.services.start().then(async () => {
      // A stop() that arrived while we were still registering: finish it now that all is started.
      if (this.stopping) await this.services.stop();
    });
    return this.starting;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      // Registration may be retrying forever against an unreachable RM; end that first.
      if (!this.statusUpdater.isRegistered) await this.statusUpdater.stop();
      if (this.starting) await this.starting.catch(() => {});
      await this.services.stop();
      this.logger.info('NodeManager stopped');
    })();
    return this.stopping;
  }

  /** For an uncaught exception: SIGKILL every container group at once, without waiting. */
  killContainersNow(): void {
    this.containerManager.killAllNow();
  }
}
