import type http from 'node:http';
import type { Express } from 'express';
import type { Clock } from './common/clock.ts';
import type { Logger } from './common/logger.ts';
import type { RmConfig } from './config.ts';
import { EventQueue } from './events/event-queue.ts';
import { LivelinessMonitor } from './monitor/liveliness-monitor.ts';
import { httpContainerManagementProtocol } from './protocol/nm-container.ts';
import { createScheduler } from './scheduler/create-scheduler.ts';
import type { Scheduler } from './scheduler/scheduler.ts';
import { RmSecretManager } from './security/secret-manager.ts';
import type { RmStateStore, StoredAttempt } from './store/rm-state-store.ts';
import type { RmContext } from './rm-context.ts';
import { RmChanges, type RmChangeStream } from './rm-changes.ts';
import { RmApp } from './app/rm-app.ts';
import { RmAppAttempt } from './app/attempt/rm-app-attempt.ts';
import { launchAm } from './app/am-launcher.ts';
import { SchedulingService } from './services/scheduling-service.ts';
import { ClientRmService } from './services/client-rm-service.ts';
import { ApplicationMasterService } from './services/application-master-service.ts';
import { ResourceTrackerService } from './services/resource-tracker-service.ts';
import { createRmHttpApp } from './http/app.ts';
import { webProxyUpgrades, type WebProxyUpgrades } from './http/web-proxy.ts';
import { CompositeService, type Service } from './common/lifecycle.ts';
import { HttpService } from './common/http-service.ts';
import { AggregatedLogDeletionService } from './logaggregation/aggregated-log-deletion.ts';
import { mountPrometheus } from './common/prometheus.ts';
import { PROMETHEUS_PATH, RmMetrics } from './metrics/rm-metrics.ts';
import { SchedulerPassTimer } from './metrics/scheduler-pass-timer.ts';

export interface ResourceManagerDeps {
  readonly config: RmConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly store: RmStateStore;
  /** Defaults to HTTP clients on `http://<nodeId>`; tests pass in-process fakes. */
  readonly nmGateway?: RmContext['nmGateway'];
  /** Extra routes on the RM's port (the web UI). */
  readonly extraRoutes?: readonly ((app: Express, rm: ResourceManager) => void)[];
  /** Wraps the configured scheduler, as SLS's SchedulerWrapper does to time every decision. */
  readonly wrapScheduler?: (scheduler: Scheduler) => Scheduler;
  /** Called once listening (e.g. to attach a ws hub for upgrades); the returned function runs at stop. */
  readonly attachToServer?: (server: http.Server, rm: ResourceManager) => () => Promise<void> | void;
}

/**
 * The ResourceManager: builds the RMContext and its services from injected deps, recovers state
 * from the store, and serves everything on one HTTP port. Its services start in order (recovery,
 * the monitors, then HTTP) and stop in reverse, as YARN's CompositeService; the state store,
 * which its main opened, is closed after them.
 */
export class ResourceManager implements Service {
  readonly name = 'ResourceManager';
  readonly ctx: RmContext;
  readonly scheduling: SchedulingService;
  readonly clientRm: ClientRmService;
  readonly appMaster: ApplicationMasterService;
  readonly resourceTracker: ResourceTrackerService;
  /** Expires aggregated logs (yarn.log-aggregation.retain-seconds). */
  readonly logDeletion: AggregatedLogDeletionService;
  /** ClusterMetrics, QueueMetrics and the scheduling pass time, served at `/prom`. */
  readonly metrics: RmMetrics;
  readonly app: Express;
  /** Recovery and the monitors: what an RM driven in-process (the scheduler load simulator) runs. */
  private readonly core: CompositeService;
  /** The core, then the HTTP port and what hangs on its server. */
  private readonly services: CompositeService;
  private readonly deps: ResourceManagerDeps;
  private address = '';
  private readonly completed: string[] = [];
  private completedHead = 0;

  constructor(deps: ResourceManagerDeps) {
    this.deps = deps;
    const { config, clock, logger, store } = deps;
    const startedOn = clock.now();
    const previousEpoch = Number(store.getMeta('epoch') ?? '-1');
    const epoch = config.recoveryEnabled ? previousEpoch + 1 : 0;
    store.setMeta('epoch', String(epoch));
    const rmLogger = logger.child({ component: 'rm' });
    const created = createScheduler({
      type: config.schedulerType,
      conf: config.schedulerConf,
      aclEnable: config.aclEnable,
      minimumAllocation: config.minimumAllocation,
      maximumAllocation: config.maximumAllocation,
      resourceCalculator: config.resourceCalculator,
    });
    const passTimer = new SchedulerPassTimer();
    const scheduler = passTimer.wrap(deps.wrapScheduler?.(created) ?? created);
    const events = new EventQueue((err) => rmLogger.error({ err }, 'event handling failed'));
    // The context is built in two steps because monitors call back into the entities it holds.
    const ctx: RmContext = {
      clock,
      logger: rmLogger,
      config,
      store,
      scheduler,
      secrets: new RmSecretManager(store),
      events,
      nmGateway: deps.nmGateway ?? ((nodeId) => httpContainerManagementProtocol(nodeId, { retries: 1 })),
      clusterTimestamp: startedOn,
      epoch,
      rmAddress: `http://${config.hostname}:${config.port}`,
      apps: new Map(),
      nodes: new Map(),
      inactiveNodes: new Map(),
      containers: new Map(),
      nmLiveness: new LivelinessMonitor({
        clock,
        expiryMs: config.nmExpiryMs,
        intervalMs: config.nmMonitorIntervalMs,
        onExpire: (nodeId) => {
          const node = ctx.nodes.get(nodeId);
          rmLogger.warn({ nodeId, expiryMs: config.nmExpiryMs }, 'NodeManager expired: no heartbeat');
          if (node) events.dispatch(() => node.handle({ type: 'EXPIRE' }));
        },
      }),
      amLiveness: new LivelinessMonitor({
        clock,
        expiryMs: config.amExpiryMs,
        intervalMs: config.amMonitorIntervalMs,
        onExpire: (attemptId) => {
          const attempt = this.findAttempt(attemptId);
          rmLogger.warn({ attemptId, expiryMs: config.amExpiryMs }, 'ApplicationMaster expired: no allocate call');
          if (attempt) events.dispatch(() => attempt.handle({ type: 'EXPIRE' }));
        },
      }),
      allocationExpirer: new LivelinessMonitor({
        clock,
        expiryMs: config.allocationExpiryMs,
        intervalMs: Math.max(1, Math.floor(config.allocationExpiryMs / 3)),
        onExpire: (containerId) => {
          const c = ctx.containers.get(containerId);
          if (c) events.dispatch(() => c.handle({ type: 'EXPIRE' }));
        },
      }),
      changes: new RmChanges(),
      appLauncher: (attempt) => launchAm(ctx, attempt),
      nodeUpdated: (node) => {
        for (const app of ctx.apps.values()) {
          const attempt = app.currentAttempt;
          if (attempt?.state === 'RUNNING') attempt.nodeUpdates.set(node.nodeId, node);
        }
      },
      requestScheduling: () => this.scheduling.request(),
      appsInQueue: (queue, except) => this.scheduling.appsInQueue(queue, except),
      appFinished: (app, state) => this.appFinished(app, state),
    };
    this.ctx = ctx;
    this.scheduling = new SchedulingService(ctx);
    this.clientRm = new ClientRmService(ctx, this.scheduling, startedOn);
    this.appMaster = new ApplicationMasterService(ctx, this.scheduling);
    this.resourceTracker = new ResourceTrackerService(ctx);
    const la = config.logAggregation;
    this.logDeletion = new AggregatedLogDeletionService({
      remoteRoot: la.remoteRoot,
      suffix: la.suffix,
      retainSeconds: la.enabled ? la.retainSeconds : -1,
      checkIntervalSeconds: la.retainCheckIntervalSeconds,
      clock,
      logger: rmLogger.child({ component: 'aggregated-log-deletion' }),
      isRunning: (appId) => ctx.apps.get(appId)?.isFinal === false,
    });
    this.metrics = new RmMetrics({
      ctx,
      counters: () => this.clientRm.counters,
      schedulerInfo: () => ctx.scheduler.schedulerInfo(this.scheduling.snapshot().state),
      passTimer,
    });
    const extra = [(app: Express) => mountPrometheus(app, PROMETHEUS_PATH, this.metrics.registry), ...(deps.extraRoutes ?? []).map((mount) => (app: Express) => mount(app, this))];
    this.app = createRmHttpApp({ ctx, logger: rmLogger, clientRm: this.clientRm, appMaster: this.appMaster, resourceTracker: this.resourceTracker, extra });

    const monitor = (name: string, m: { start(): void; stop(): void }): Service => ({ name, start: () => m.start(), stop: () => m.stop() });
    this.core = new CompositeService('ResourceManager core', [
      { name: 'RMStateStore recovery', start: () => (config.recoveryEnabled ? this.recover() : undefined), stop: () => {} },
      monitor('NMLivelinessMonitor', ctx.nmLiveness),
      monitor('AMLivelinessMonitor', ctx.amLiveness),
      monitor('ContainerAllocationExpirer', ctx.allocationExpirer),
      this.logDeletion,
      monitor('RMMetrics', this.metrics),
    ]);
    this.services = new CompositeService('ResourceManager', [this.core, ...this.httpServices()]);
  }

  /** The HTTP port, the RM's address once bound, the web proxy's websocket tunnels, and attachToServer. */
  private httpServices(): Service[] {
    const { ctx, deps } = this;
    const http = new HttpService(this.app, deps.config.port, deps.config.host);
    const address: Service = {
      name: 'RMAddress',
      start: () => {
        this.address = `http://${deps.config.hostname}:${http.boundPort}`;
        (ctx as { rmAddress: string }).rmAddress = this.address;
      },
      stop: () => {},
    };
    let proxyUpgrades: WebProxyUpgrades | undefined;
    const webProxy: Service = {
      name: 'WebAppProxy upgrades',
      start: () => {
        proxyUpgrades = webProxyUpgrades(ctx);
        http.server?.on('upgrade', proxyUpgrades.onUpgrade);
      },
      stop: () => {
        if (proxyUpgrades) http.server?.off('upgrade', proxyUpgrades.onUpgrade);
        proxyUpgrades?.close();
        proxyUpgrades = undefined;
      },
    };
    let detach: (() => Promise<void> | void) | undefined;
    const attached: Service = {
      name: 'attachToServer',
      start: () => {
        detach = http.server ? deps.attachToServer?.(http.server, this) : undefined;
      },
      stop: async () => {
        await detach?.();
        detach = undefined;
      },
    };
    return [http, address, webProxy, attached];
  }

  /** The RM's published change stream (what the web UI's live hub forwards). */
  get changes(): RmChangeStream {
    return this.ctx.changes;
  }

  /** Identifies this RM's run (YARN's cluster timestamp, the prefix of its application ids). */
  get clusterTimestamp(): number {
    return this.ctx.clusterTimestamp;
  }

  get clock(): Clock {
    return this.ctx.clock;
  }

  get logger(): Logger {
    return this.ctx.logger;
  }

  /** The RM's base URL once listening. */
  get url(): string {
    return this.address;
  }

  private findAttempt(attemptId: string): RmAppAttempt | undefined {
    for (const app of this.ctx.apps.values()) {
      const a = app.attempts.find((x) => x.attemptId === attemptId);
      if (a) return a;
    }
    return undefined;
  }

  /** Re-reads the state store: finished apps come back as they ended, running ones wait for their NMs. */
  recover(): void {
    const { ctx } = this;
    const state = ctx.store.loadState();
    const attemptsByApp = new Map<string, StoredAttempt[]>();
    for (const a of state.attempts) attemptsByApp.set(a.appId, [...(attemptsByApp.get(a.appId) ?? []), a]);
    for (const stored of state.apps) {
      const app = new RmApp(ctx, { context: stored.context, user: stored.user, submitTime: stored.submitTime, queue: stored.context.queue ?? 'default', amResource: stored.context.resource });
      const check = ctx.scheduler.checkSubmit(stored.context.queue, stored.user, 0);
      if (check.ok) app.queue = check.queue;
      app.startTime = stored.startTime ?? stored.submitTime;
      app.restoreFrom(stored);
      for (const sa of (attemptsByApp.get(stored.appId) ?? []).sort((x, y) => x.attemptId.localeCompare(y.attemptId))) {
        const attempt = new RmAppAttempt(ctx, app, sa.attemptId, app.attempts.length + 1, sa.startTime);
        attempt.diagnostics = sa.diagnostics ?? '';
        attempt.trackingUrl = sa.trackingUrl ?? '';
        attempt.finalTrackingUrl = sa.finalTrackingUrl ?? '';
        attempt.finishTime = sa.finishTime ?? 0;
        if (sa.finalStatus) attempt.finalStatus = sa.finalStatus as typeof attempt.finalStatus;
        app.attempts.push(attempt);
        if (sa.finalState || stored.finalState) attempt.restoreFinal(sa.finalState ?? stored.finalState ?? 'FAILED');
        else attempt.recover(undefined, sa.masterContainer?.id);
      }
      ctx.apps.set(app.appId, app);
      this.clientRm.noteRecoveredApp(app.appId);
      ctx.events.dispatch(() => app.handle({ type: 'RECOVER' }));
      if (app.isFinal) this.retain(app.appId);
    }
    if (state.apps.length > 0) ctx.logger.info({ apps: state.apps.length, attempts: state.attempts.length }, 'recovered state from the state store');
  }

  /**
   * Recovery and the monitors, without the HTTP server: what `start()` runs before it listens,
   * and all that an RM driven in-process (the scheduler load simulator) needs.
   */
  startServices(): Promise<void> {
    return this.core.start();
  }

  stopServices(): Promise<void> {
    return this.core.stop();
  }

  start(): Promise<void> {
    return this.services.start();
  }

  async stop(): Promise<void> {
    try {
      await this.services.stop();
    } finally {
      this.ctx.store.close();
    }
  }

  private appFinished(app: RmApp, state: 'FINISHED' | 'FAILED' | 'KILLED'): void {
    const c = this.clientRm.counters;
    c.appsCompleted++;
    if (state === 'FAILED') c.appsFailed++;
    if (state === 'KILLED') c.appsKilled++;
    this.retain(app.appId);
  }

  /**
   * Retention, as RMAppManager's completedApps queue: finished applications in the order they
   * finished; beyond max-completed-applications the oldest is forgotten, in memory and in the store.
   */
  private retain(appId: string): void {
    this.completed.push(appId);
    while (this.completed.length - this.completedHead > this.deps.config.maxCompletedApps) {
      const old = this.completed[this.completedHead++] as string;
      this.ctx.apps.delete(old);
      this.ctx.store.removeApp(old);
    }
    if (this.completedHead > 1024 && this.completedHead * 2 > this.completed.length) {
      this.completed.splice(0, this.completedHead);
      this.completedHead = 0;
    }
  }
}
