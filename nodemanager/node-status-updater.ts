import type { Cancel, Clock } from '../rm/common/clock.ts';
import type { Service } from '../rm/common/lifecycle.ts';
import type { Logger } from '../rm/common/logger.ts';
import { ContainerExitStatus } from '../rm/protocol/records.ts';
import type { NodeHeartbeatResponse, RegisterNodeManagerResponse } from '../rm/protocol/resource-tracker.ts';
import type { NmConfig } from './config.ts';
import type { ContainerManager } from './containers/container-manager.ts';
import type { LogAggregationService } from './logaggregation/log-aggregation-service.ts';
import type { NmContext } from './nm-context.ts';
import type { ResourceTracker } from '../rm/protocol/resource-tracker.ts';

export interface NodeStatusUpdaterDeps {
  readonly context: NmContext;
  readonly config: NmConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly rm: ResourceTracker;
  readonly containerManager: ContainerManager;
  /** Its finished aggregations go to the RM with the heartbeats. */
  readonly logAggregation?: LogAggregationService;
  readonly nmVersion: string;
  /** The RM said SHUTDOWN: the owner stops the whole NodeManager. */
  readonly onShutdown: (reason: string) => void;
}

/** Heartbeat interval until the RM names one (yarn.resourcemanager.nodemanagers.heartbeat-interval-ms). */
const DEFAULT_HEARTBEAT_MS = 1000;

/**
 * Registration and the heartbeat loop with the RM (YARN's NodeStatusUpdaterImpl): reports every
 * container's status, obeys RESYNC and SHUTDOWN, kills what the RM asks to clean up, and keeps
 * retrying (never crashing) while the RM cannot be reached.
 */
export class NodeStatusUpdater implements Service {
  readonly name = 'NodeStatusUpdater';
  private readonly deps: NodeStatusUpdaterDeps;
  private readonly logger: Logger;
  private lastResponseId = 0;
  private intervalMs = DEFAULT_HEARTBEAT_MS;
  private cancelTimer: Cancel | undefined;
  private wakeRetry: (() => void) | undefined;
  private stopped = false;
  private registered = false;
  /** The RM told us to shut down, so there is nobody to unregister from. */
  private shutdownByRm = false;
  private heartbeatInFlight = false;

  constructor(deps: NodeStatusUpdaterDeps) {
    this.deps = deps;
    this.logger = deps.logger.child({ component: 'nm.node-status-updater' });
  }

  get isRegistered(): boolean {
    return this.registered;
  }

  /** Resolves once registered (retrying while the RM is unreachable), or when stopped first. */
  async start(): Promise<void> {
    await this.registerUntilDone(false);
    if (this.registered && !this.stopped) this.scheduleHeartbeat();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTimer?.();
    this.wakeRetry?.();
    if (this.registered && !this.shutdownByRm) {
      try {
        await this.deps.rm.unRegisterNodeManager({ body: { nodeId: this.deps.context.nodeId } });
        this.logger.info('unregistered from the ResourceManager');
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'could not unregister from the ResourceManager');
      }
    }
    this.registered = false;
  }

  private async registerUntilDone(resync: boolean): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        this.onRegistered(await this.register(resync));
        return;
      } catch (err) {
        attempt++;
        this.logger.warn({ err: (err as Error).message, attempt }, 'cannot register with the ResourceManager; retrying');
        await this.sleep(this.deps.config.conf['yarn.resourcemanager.connect.retry-interval.ms']);
      }
    }
  }

  private register(resync: boolean): Promise<RegisterNodeManagerResponse> {
    const { context, containerManager } = this.deps;
    const live = [...context.containers.values()];
    const body = {
      nodeId: context.nodeId,
      httpPort: context.httpPort,
      resource: context.resource,
      nmVersion: this.deps.nmVersion,
      // After a RESYNC the RM rebuilds its view of this node from what we still run.
      containerStatuses: live.map((c) => c.toNMContainerStatus()),
      runningApplications: [...context.applications.values()].filter((a) => !a.finishing).map((a) => a.id),
    };
    return this.deps.rm.registerNodeManager({ body }).then((response) => {
      if (resync) this.logger.info({ containers: containerManager.containers.size }, 're-registered after RESYNC');
      return response;
    });
  }

  private onRegistered(response: RegisterNodeManagerResponse): void {
    const { context } = this.deps;
    if (response.nodeAction === 'SHUTDOWN') {
      this.shutdownByRm = true;
      this.logger.error({ diagnostics: response.diagnosticsMessage }, 'the ResourceManager refused the registration; shutting down');
      this.deps.onShutdown(`Received SHUTDOWN signal from Resourcemanager, Registration of NodeManager failed, Message from ResourceManager: ${response.diagnosticsMessage}`);
      return;
    }
    context.keys.containerTokens.set(response.containerTokenMasterKey);
    context.keys.nmTokens.set(response.nmTokenMasterKey);
    this.lastResponseId = 0;
    this.intervalMs = response.nextHeartBeatInterval > 0 ? response.nextHeartBeatInterval : DEFAULT_HEARTBEAT_MS;
    this.registered = true;
    context.lastNodeUpdateTime = this.deps.clock.now();
    this.logger.info({ nodeId: context.nodeId, rmIdentifier: response.rmIdentifier, heartbeatMs: this.intervalMs }, 'registered with the ResourceManager');
  }

  private scheduleHeartbeat(): void {
    if (this.stopped) return;
    this.cancelTimer = this.deps.clock.schedule(this.intervalMs, () => void this.heartbeat());
  }

  /** One heartbeat; public for tests that drive the loop by hand. */
  async heartbeat(): Promise<void> {
    if (this.stopped || !this.registered || this.heartbeatInFlight) return;
    this.heartbeatInFlight = true;
    const { context, containerManager, clock } = this.deps;
    const reports = this.deps.logAggregation?.pendingReports() ?? [];
    try {
      const body = {
        nodeStatus: {
          nodeId: context.nodeId,
          responseId: this.lastResponseId,
          containersStatuses: containerManager.statusesForHeartbeat(),
          nodeHealthStatus: { isNodeHealthy: context.healthy, healthReport: context.healthReport, lastHealthReportTime: clock.now() },
          keepAliveApplications: [],
        },
        lastKnownContainerTokenMasterKeyId: context.keys.containerTokens.currentKeyId,
        logAggregationReportsForApps: reports,
      };
      const response = await this.deps.rm.nodeHeartbeat({ body });
      context.lastNodeUpdateTime = clock.now();
      if (response.nodeAction !== 'RESYNC') this.deps.logAggregation?.delivered(reports);
      await this.onHeartbeatResponse(response);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'heartbeat to the ResourceManager failed; retrying');
    } finally {
      this.heartbeatInFlight = false;
    }
    this.scheduleHeartbeat();
  }

  private async onHeartbeatResponse(response: NodeHeartbeatResponse): Promise<void> {
    if (this.stopped) return;
    const { containerManager, context } = this.deps;
    switch (response.nodeAction) {
      case 'SHUTDOWN':
        this.shutdownByRm = true;
        this.stopped = true;
        this.logger.error({ diagnostics: response.diagnosticsMessage }, 'the ResourceManager sent SHUTDOWN');
        this.deps.onShutdown(`Received SHUTDOWN signal from Resourcemanager as part of heartbeat, hence shutting down. Message from ResourceManager: ${response.diagnosticsMessage}`);
        return;
      case 'RESYNC':
        // Containers keep running (work-preserving): the RM learns about them from the registration.
        this.logger.warn({ diagnostics: response.diagnosticsMessage }, 'the ResourceManager asked to RESYNC; re-registering');
        this.registered = false;
        await this.registerUntilDone(true);
        return;
      case 'NORMAL':
        break;
    }
    this.lastResponseId = response.responseId;
    if (response.nextHeartBeatInterval > 0) this.intervalMs = response.nextHeartBeatInterval;
    if (response.containerTokenMasterKey) context.keys.containerTokens.set(response.containerTokenMasterKey);
    containerManager.removeCompleted(response.containersToBeRemovedFromNm);
    for (const id of response.containersToCleanup) {
      containerManager.killContainer(id, ContainerExitStatus.KILLED_BY_RESOURCEMANAGER, 'Container Killed by ResourceManager');
    }
    for (const appId of response.applicationsToCleanup) containerManager.cleanupApplication(appId);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.deps.clock.schedule(ms, () => {
        this.wakeRetry = undefined;
        resolve();
      });
      this.wakeRetry = () => {
        cancel();
        this.wakeRetry = undefined;
        resolve();
      };
    });
  }
}
