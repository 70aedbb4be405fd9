import { WeftError } from '../common/errors.ts';
import { createInProcessClient } from '../common/in-process-client.ts';
import type { Handlers } from '../common/route.ts';
import { applicationIdOfContainer, attemptIdOfContainer, parseNodeId } from '../protocol/ids.ts';
import { ContainerExitStatus, type ContainerStatus } from '../protocol/records.ts';
import type {
  NMContainerStatus,
  NodeHeartbeatRequest,
  NodeHeartbeatResponse,
  RegisterNodeManagerRequest,
  RegisterNodeManagerResponse,
} from '../protocol/resource-tracker.ts';
import { resourceTrackerRoutes, type ResourceTracker } from '../protocol/resource-tracker.ts';
import type { RmContext } from '../rm-context.ts';
import { RmContainer } from '../container/rm-container.ts';
import { RmNode } from '../node/rm-node.ts';

export const RM_VERSION = '3.3.6-weft';

/**
 * ResourceTrackerService: NodeManagers register and heartbeat here. Heartbeats carry container
 * statuses in and cleanup orders out; the responseId rules make a retried heartbeat harmless.
 */
export class ResourceTrackerService {
  private readonly ctx: RmContext;

  constructor(ctx: RmContext) {
    this.ctx = ctx;
  }

  /** ResourceTracker in this process (the scheduler load simulator's NMs), validated as over HTTP. */
  inProcessClient(): ResourceTracker {
    return createInProcessClient(resourceTrackerRoutes, this.handlers(), { caller: () => undefined, origin: this.ctx.rmAddress });
  }

  handlers(): Handlers<typeof resourceTrackerRoutes, void> {
    return {
      registerNodeManager: ({ body }) => this.register(body),
      nodeHeartbeat: ({ body }) => this.heartbeat(body),
      unRegisterNodeManager: ({ body }) => {
        const node = this.ctx.nodes.get(body.nodeId);
        if (node) this.ctx.events.dispatch(() => node.handle({ type: 'SHUTDOWN' }));
        return {};
      },
    };
  }

  register(req: RegisterNodeManagerRequest): RegisterNodeManagerResponse {
    const { ctx } = this;
    const id = parseNodeId(req.nodeId);
    if (!id) throw new WeftError('BadRequest', `Invalid nodeId '${req.nodeId}': expected host:port`);
    const base = {
      containerTokenMasterKey: ctx.secrets.containerTokenMasterKey(),
      nmTokenMasterKey: ctx.secrets.nmTokenMasterKey(),
      rmIdentifier: ctx.clusterTimestamp,
      rmVersion: RM_VERSION,
      resource: req.resource,
      nextHeartBeatInterval: ctx.config.heartbeatIntervalMs,
    };
    const min = ctx.config.minimumAllocation;
    if (req.resource.memory < min.memory || req.resource.vCores < min.vCores) {
      const message = `NodeManager from ${id.host} doesn't satisfy minimum allocations, Sending SHUTDOWN signal to the NodeManager. Node capabilities are <memory:${req.resource.memory}, vCores:${req.resource.vCores}>; minimums are <memory:${min.memory}, vCores:${min.vCores}>`;
      ctx.logger.warn({ nodeId: req.nodeId }, message);
      return { ...base, nodeAction: 'SHUTDOWN', diagnosticsMessage: message };
    }
    const httpAddress = `${id.host}:${req.httpPort}`;
    let node = ctx.nodes.get(req.nodeId);
    if (node && (node.total.memory !== req.resource.memory || node.total.vCores !== req.resource.vCores || node.httpAddress !== httpAddress)) {
      // Same id, different node: retire the old one as YARN does when capability changes.
      const old = node;
      ctx.events.dispatch(() => old.handle({ type: 'REBOOTING' }));
      node = undefined;
    }
    if (node) {
      const reported = new Set(req.containerStatuses.filter((s) => s.containerState !== 'COMPLETE').map((s) => s.containerId));
      for (const c of [...node.containers.values()]) {
        if (!reported.has(c.id)) {
          ctx.events.dispatch(() => c.handle({ type: 'KILL', exitStatus: ContainerExitStatus.ABORTED, diagnostics: 'Container not reported by its NodeManager after it re-registered' }));
        }
      }
      node.lastResponse = { ...node.lastResponse, responseId: 0 };
      const current = node;
      ctx.events.dispatch(() => current.handle({ type: 'RECONNECTED', healthy: true }));
      ctx.logger.info({ nodeId: req.nodeId }, 'NodeManager reconnected');
    } else {
      const fresh = new RmNode(ctx, { nodeId: req.nodeId, host: id.host, httpAddress, total: req.resource, version: req.nmVersion });
      ctx.inactiveNodes.delete(req.nodeId);
      ctx.nodes.set(req.nodeId, fresh);
      ctx.events.dispatch(() => fresh.handle({ type: 'STARTED' }));
      node = fresh;
      ctx.logger.info({ nodeId: req.nodeId, httpAddress, resource: req.resource }, 'NodeManager registered');
    }
    for (const s of req.containerStatuses) this.recoverContainer(node, s);
    for (const appId of req.runningApplications) {
      const app = ctx.apps.get(appId);
      if (!app || app.isFinal) node.applicationsToCleanup.add(appId);
    }
    ctx.requestScheduling();
    return { ...base, nodeAction: 'NORMAL', diagnosticsMessage: '' };
  }

  /** Adopts a container an NM still runs (work-preserving restart) or orders it stopped. */
  private recoverContainer(node: RmNode, s: NMContainerStatus): void {
    const { ctx } = this;
    if (s.containerState === 'COMPLETE') {
      const live = ctx.containers.get(s.containerId);
      if (live) ctx.events.dispatch(() => live.handle({ type: 'FINISHED', exitStatus: s.containerExitStatus, diagnostics: s.diagnostics }));
      return;
    }
    if (ctx.containers.has(s.containerId)) return;
    const appId = applicationIdOfContainer(s.containerId);
    const attemptId = attemptIdOfContainer(s.containerId);
    const app = appId ? ctx.apps.get(appId) : undefined;
    const attempt = app?.attempts.find((a) => a.attemptId === attemptId) ?? app?.currentAttempt;
    if (!app || app.isFinal || !attempt || attempt.isFinal) {
      node.cleanupContainer(s.containerId);
      return;
    }
    const isAm = attempt.masterContainer?.id === s.containerId || attempt.recoveredMasterId === s.containerId;
    const container = new RmContainer(
      ctx,
      {
        id: s.containerId,
        attempt,
        nodeId: node.nodeId,
        nodeHttpAddress: node.httpAddress,
        resource: s.resource,
        priority: s.priority,
        allocationRequestId: 0,
        isAm,
        resourceName: '*',
      },
      'RUNNING',
    );
    container.recovered(s.creationTime);
    if (isAm) attempt.masterContainer = container;
    ctx.logger.info({ containerId: s.containerId, nodeId: node.nodeId }, 'recovered running container');
  }

  heartbeat(req: NodeHeartbeatRequest): NodeHeartbeatResponse {
    const { ctx } = this;
    const status = req.nodeStatus;
    const node = ctx.nodes.get(status.nodeId);
    const resync = (why: string): NodeHeartbeatResponse => ({
      responseId: 0,
      nodeAction: 'RESYNC',
      containersToCleanup: [],
      applicationsToCleanup: [],
      containersToBeRemovedFromNm: [],
      nextHeartBeatInterval: ctx.config.heartbeatIntervalMs,
      diagnosticsMessage: why,
    });
    if (!node) return resync(`Node not found resyncing ${status.nodeId}`);
    const last = node.lastResponse;
    if (status.responseId + 1 === last.responseId) return last;
    if (status.responseId !== last.responseId) {
      // As YARN: the node is treated as rebooted (its containers end) and must register again.
      ctx.events.dispatch(() => node.handle({ type: 'REBOOTING' }));
      return resync(`Too far behind rm response id:${last.responseId} nm response id:${status.responseId}`);
    }
    ctx.nmLiveness.receivedPing(node.nodeId);
    node.lastHealthUpdate = status.nodeHealthStatus.lastHealthReportTime || ctx.clock.now();
    const acks: string[] = [];
    for (const s of status.containersStatuses) this.containerUpdate(node, s, acks);
    for (const report of req.logAggregationReportsForApps) {
      const app = ctx.apps.get(report.applicationId);
      if (!app) continue;
      app.logAggregation.report(node.nodeId, report);
      // The UI re-reads the app: its logs are now read from the aggregated copy.
      ctx.changes.publish({ kind: 'app', id: app.appId, state: app.publicState });
    }
    const healthy = status.nodeHealthStatus.isNodeHealthy;
    if (healthy !== (node.state === 'RUNNING') || status.nodeHealthStatus.healthReport !== node.healthReport) {
      ctx.events.dispatch(() => node.handle({ type: 'STATUS_UPDATE', healthy, healthReport: status.nodeHealthStatus.healthReport }));
    }
    const response: NodeHeartbeatResponse = {
      responseId: last.responseId + 1,
      nodeAction: 'NORMAL',
      containersToCleanup: [...node.containersToCleanup],
      applicationsToCleanup: [...node.applicationsToCleanup],
      containersToBeRemovedFromNm: acks,
      nextHeartBeatInterval: ctx.config.heartbeatIntervalMs,
      diagnosticsMessage: '',
    };
    node.containersToCleanup.clear();
    node.applicationsToCleanup.clear();
    node.lastResponse = response;
    // No pass for the heartbeat itself: what it changed (a container completed, the node's health)
    // asked for one already, and a pass over unchanged inputs would decide nothing new — it would
    // only walk every waiting application again on every heartbeat of every node.
    return response;
  }

  private containerUpdate(node: RmNode, s: ContainerStatus, acks: string[]): void {
    const c = this.ctx.containers.get(s.containerId);
    if (s.state === 'COMPLETE') {
      acks.push(s.containerId);
      if (c) this.ctx.events.dispatch(() => c.handle({ type: 'FINISHED', exitStatus: s.exitStatus, diagnostics: s.diagnostics }));
      return;
    }
    if (!c) {
      // Running but unknown to the RM (released, or from before a restart): stop it.
      node.cleanupContainer(s.containerId);
      return;
    }
    if (s.state === 'RUNNING' && c.state !== 'RUNNING') this.ctx.events.dispatch(() => c.handle({ type: 'LAUNCHED' }));
  }
}
