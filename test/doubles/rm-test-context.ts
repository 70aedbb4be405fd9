import { ManualClock } from '../../rm/common/clock.ts';
import { createMemoryLogger, type Logger } from '../../rm/common/logger.ts';
import { createRmConfig } from '../../rm/config.ts';
import { ResourceManager } from '../../rm/resource-manager.ts';
import { SqliteRmStateStore } from '../../rm/store/rm-state-store.ts';
import { ContainerTokenIdentifier, peekToken } from '../../rm/protocol/tokens.ts';
import { ContainerExitStatus, type ContainerStatus, type Resource, type ResourceRequest } from '../../rm/protocol/records.ts';
import type { AllocateRequest, AllocateResponse, RegisterApplicationMasterResponse } from '../../rm/protocol/am-rm.ts';
import type { LogAggregationReport, NodeHeartbeatResponse, RegisterNodeManagerResponse } from '../../rm/protocol/resource-tracker.ts';
import type { StartContainersResponse } from '../../rm/protocol/nm-container.ts';
import type { ApplicationSubmissionContextInfo } from '../../rm/protocol/client-rm.ts';
import type { RestCaller } from '../../rm/services/client-rm-service.ts';
import type { RmContext } from '../../rm/rm-context.ts';
import type { RmApp } from '../../rm/app/rm-app.ts';
import type { RmAppAttempt } from '../../rm/app/attempt/rm-app-attempt.ts';

/**
 * A ResourceManager built in-process for unit tests: a ManualClock, an in-memory SQLite state
 * store, a memory logger and a fake NM gateway whose startContainers succeeds (or fails, when
 * told to). Services are called directly (no HTTP); `settle()` lets scheduling passes and AM
 * launches, which run on microtasks, complete.
 */
export interface StartContainersCall {
  readonly nodeId: string;
  readonly containerIds: readonly string[];
}

export class FakeNmGateway {
  readonly calls: StartContainersCall[] = [];
  /** When set, every startContainers call answers with this failure for each container. */
  failWith: string | undefined;

  readonly factory: RmContext['nmGateway'] = (nodeId) => ({
    startContainers: async ({ body }): Promise<StartContainersResponse> => {
      const ids = body.startContainerRequest.map((r) => peekToken(r.containerToken, ContainerTokenIdentifier)?.containerId ?? 'unknown');
      this.calls.push({ nodeId, containerIds: ids });
      if (this.failWith !== undefined) {
        const message = this.failWith;
        return { servicesMetaData: {}, succeededRequests: [], failedRequests: ids.map((containerId) => ({ containerId, exception: { message, className: 'java.io.IOException' } })) };
      }
      return { servicesMetaData: {}, succeededRequests: ids, failedRequests: [] };
    },
  });
}

/** Lets queued microtasks and resolved promises (coalesced scheduling, AM launches) run. No time passes. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export interface RmTestContextOptions {
  /** YARN properties, merged over short test defaults. */
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
}

export const CALLER: RestCaller = { user: 'alice', remoteAddress: '127.0.0.1' };

const DEFAULTS: Record<string, string | number | boolean> = {
  'yarn.resourcemanager.recovery.enabled': false,
  'yarn.resourcemanager.nodemanagers.heartbeat-interval-ms': 100,
};

export class RmTestContext {
  readonly clock: ManualClock;
  readonly logger: Logger;
  readonly lines: () => Record<string, unknown>[];
  readonly store: SqliteRmStateStore;
  readonly gateway: FakeNmGateway;
  readonly rm: ResourceManager;
  /** The responseId each test NM will send next. */
  private readonly nmResponseIds = new Map<string, number>();
  /** The responseId each AM will send next (that of the last response it got). */
  private readonly amResponseIds = new Map<string, number>();

  constructor(options: RmTestContextOptions = {}) {
    this.clock = new ManualClock();
    const memory = createMemoryLogger('debug');
    this.logger = memory.logger;
    this.lines = memory.lines;
    this.store = new SqliteRmStateStore(':memory:');
    this.gateway = new FakeNmGateway();
    const config = createRmConfig({ port: 0, host: '127.0.0.1', properties: { ...DEFAULTS, ...options.properties } });
    this.rm = new ResourceManager({ config, clock: this.clock, logger: this.logger, store: this.store, nmGateway: this.gateway.factory });
  }

  get ctx(): RmContext {
    return this.rm.ctx;
  }

  /** Starts the three liveness monitors (what `ResourceManager.start()` does before HTTP). */
  startMonitors(): void {
    this.ctx.nmLiveness.start();
    this.ctx.amLiveness.start();
    this.ctx.allocationExpirer.start();
  }

  stop(): void {
    this.ctx.nmLiveness.stop();
    this.ctx.amLiveness.stop();
    this.ctx.allocationExpirer.stop();
    this.store.close();
  }

  /** Advances the manual clock, then lets the cascades it caused settle. */
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    await settle();
  }

  // --- NodeManagers ---

  async registerNode(nodeId: string, resource: Resource = { memory: 8192, vCores: 8 }): Promise<RegisterNodeManagerResponse> {
    const res = this.rm.resourceTracker.register({ nodeId, httpPort: 8042, resource, nmVersion: 'test', containerStatuses: [], runningApplications: [] });
    this.nmResponseIds.set(nodeId, 0);
    await settle();
    return res;
  }

  /** A heartbeat with the responseId the NM would send; `responseId` overrides it. */
  heartbeatRaw(nodeId: string, responseId: number, containers: ContainerStatus[] = [], logAggregationReportsForApps: LogAggregationReport[] = []): NodeHeartbeatResponse {
    return this.rm.resourceTracker.heartbeat({
      nodeStatus: {
        nodeId,
        responseId,
        containersStatuses: containers,
        nodeHealthStatus: { isNodeHealthy: true, healthReport: '', lastHealthReportTime: this.clock.now() },
        keepAliveApplications: [],
      },
      logAggregationReportsForApps,
    });
  }

  async heartbeat(nodeId: string, containers: ContainerStatus[] = [], logAggregationReports: LogAggregationReport[] = []): Promise<NodeHeartbeatResponse> {
    const res = this.heartbeatRaw(nodeId, this.nmResponseIds.get(nodeId) ?? 0, containers, logAggregationReports);
    this.nmResponseIds.set(nodeId, res.responseId);
    await settle();
    return res;
  }

  // --- applications ---

  async submitApp(extra: Partial<ApplicationSubmissionContextInfo> = {}): Promise<RmApp> {
    const handlers = this.rm.clientRm.handlers();
    const created = await handlers.newApplication({ params: {}, query: {}, body: undefined, caller: CALLER, origin: 'http://rm' });
    if ('status' in created) throw new Error('unexpected reply from newApplication');
    const appId = created['application-id'];
    const body: ApplicationSubmissionContextInfo = {
      'application-id': appId,
      'application-name': 'test-app',
      priority: 0,
      'am-container-spec': { commands: { command: 'run-am' } },
      'unmanaged-AM': false,
      'max-app-attempts': 0,
      resource: { memory: 1024, vCores: 1 },
      'application-type': 'YARN',
      'keep-containers-across-application-attempts': false,
      'attempt-failures-validity-interval': -1,
      'cancel-tokens-when-complete': true,
      ...extra,
    };
    await handlers.submitApplication({ params: {}, query: {}, body, caller: CALLER, origin: 'http://rm' });
    await settle();
    const app = this.ctx.apps.get(appId);
    if (!app) throw new Error(`app ${appId} not found after submission`);
    return app;
  }

  /** Registers the current attempt's AM (its container must have been launched). */
  async registerAm(attempt: RmAppAttempt): Promise<RegisterApplicationMasterResponse> {
    const res = this.rm.appMaster.register(attempt, { host: 'am-host', rpcPort: 1234, trackingUrl: '' });
    this.amResponseIds.set(attempt.attemptId, 0);
    await settle();
    return res;
  }

  /** allocate() with the responseId the AM would send, unless `responseId` is given. */
  allocate(attempt: RmAppAttempt, req: Partial<AllocateRequest> = {}): AllocateResponse {
    const responseId = req.responseId ?? this.amResponseIds.get(attempt.attemptId) ?? 0;
    const res = this.rm.appMaster.allocate(attempt, { ask: [], release: [], progress: 0, ...req, responseId });
    this.amResponseIds.set(attempt.attemptId, res.responseId);
    return res;
  }

  /**
   * Submits an app on a fresh cluster of `nodeId` and brings it to RUNNING: AM container
   * allocated, launched through the fake gateway, reported RUNNING by the NM, AM registered.
   */
  async runningApp(nodeId: string, extra: Partial<ApplicationSubmissionContextInfo> = {}): Promise<{ app: RmApp; attempt: RmAppAttempt }> {
    const app = await this.submitApp(extra);
    const attempt = await this.launchCurrentAttempt(app, nodeId);
    return { app, attempt };
  }

  /** Waits for the current attempt's AM container on `nodeId`, reports it RUNNING, registers the AM. */
  async launchCurrentAttempt(app: RmApp, nodeId: string): Promise<RmAppAttempt> {
    this.rm.scheduling.run();
    await settle();
    const attempt = app.currentAttempt;
    if (!attempt) throw new Error(`${app.appId} has no attempt`);
    const am = attempt.masterContainer;
    if (!am || attempt.state !== 'LAUNCHED') throw new Error(`${attempt.attemptId} not launched (state ${attempt.state})`);
    await this.heartbeat(nodeId, [running(am.id)]);
    await this.registerAm(attempt);
    return attempt;
  }
}

export const running = (containerId: string): ContainerStatus => ({ containerId, state: 'RUNNING', exitStatus: ContainerExitStatus.INVALID, diagnostics: '' });
export const complete = (containerId: string, exitStatus: number, diagnostics = ''): ContainerStatus => ({ containerId, state: 'COMPLETE', exitStatus, diagnostics });

export function anyAsk(numContainers: number, memory = 1024, extra: Partial<ResourceRequest> = {}): ResourceRequest {
  return {
    priority: 1,
    allocationRequestId: 0,
    resourceName: '*',
    capability: { memory, vCores: 1 },
    numContainers,
    relaxLocality: true,
    executionType: 'GUARANTEED',
    ...extra,
  };
}
