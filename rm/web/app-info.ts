import type { AppAttemptInfo, AppInfo, ContainerInfo } from '../protocol/client-rm.ts';
import type { RmContext } from '../rm-context.ts';
import type { RmApp } from '../app/rm-app.ts';
import type { RmAppAttempt } from '../app/attempt/rm-app-attempt.ts';
import type { RmContainer } from '../container/rm-container.ts';
import { isFinalApplicationState } from '../protocol/records.ts';

/** AppInfo.java: the REST app object (reference/yarn.md §1.7). */
export function appInfo(ctx: RmContext, app: RmApp): AppInfo {
  const now = ctx.clock.now();
  const attempt = app.currentAttempt;
  const state = app.publicState;
  const unassigned = ['NEW', 'NEW_SAVING', 'SUBMITTED', 'ACCEPTED'].includes(state) || !attempt;
  const final = isFinalApplicationState(state);
  const master = attempt?.masterContainer;
  const masterNode = master ? (ctx.nodes.get(master.nodeId) ?? ctx.inactiveNodes.get(master.nodeId)) : undefined;
  const used = attempt && !final ? attempt.used : { memory: 0, vCores: 0 };
  const running = attempt && !final ? [...attempt.containers.values()].filter((c) => !c.isFinal).length : 0;
  const cluster = clusterCapacity(ctx);
  const trackingUI = unassigned ? 'UNASSIGNED' : final ? 'History' : 'ApplicationMaster';
  const usage = memorySeconds(app, now);
  const diagnostics = reportedDiagnostics(state, app);
  return {
    id: app.appId,
    user: app.user,
    name: app.context.applicationName,
    queue: app.queue,
    state,
    finalStatus: app.finalStatus,
    progress: final ? 100 : (attempt?.progress ?? 0) * 100,
    trackingUI,
    ...(trackingUI === 'UNASSIGNED' ? {} : { trackingUrl: `${ctx.rmAddress}/proxy/${app.appId}/` }),
    diagnostics,
    clusterId: ctx.clusterTimestamp,
    applicationType: app.context.applicationType,
    applicationTags: app.context.applicationTags.join(','),
    priority: app.context.priority,
    startedTime: app.startTime,
    launchTime: app.launchTime,
    finishedTime: app.finishTime,
    elapsedTime: (app.finishTime || now) - app.startTime,
    ...(master
      ? {
          amContainerLogs: `http://${master.nodeHttpAddress}/node/containerlogs/${master.id}/${app.user}`,
          amHostHttpAddress: master.nodeHttpAddress,
          amRPCAddress: `${attempt?.host ?? masterNode?.host ?? 'N/A'}:${attempt?.rpcPort ?? -1}`,
        }
      : {}),
    allocatedMB: used.memory,
    allocatedVCores: used.vCores,
    reservedMB: 0,
    reservedVCores: 0,
    runningContainers: running,
    memorySeconds: usage.memorySeconds,
    vcoreSeconds: usage.vcoreSeconds,
    queueUsagePercentage: cluster.memory > 0 ? (used.memory / cluster.memory) * 100 : 0,
    clusterUsagePercentage: cluster.memory > 0 ? (used.memory / cluster.memory) * 100 : 0,
    preemptedResourceMB: 0,
    preemptedResourceVCores: 0,
    numNonAMContainerPreempted: 0,
    numAMContainerPreempted: 0,
    preemptedMemorySeconds: 0,
    preemptedVcoreSeconds: 0,
    resourceRequests:
      attempt && !final
        ? attempt.pendingResourceRequests().map((r) => ({
            capability: { memory: r.capability.memory, memorySize: r.capability.memory, virtualCores: r.capability.vCores },
            nodeLabelExpression: r.nodeLabelExpression ?? '',
            numContainers: r.numContainers,
            priority: { priority: r.priority },
            relaxLocality: r.relaxLocality,
            resourceName: r.resourceName,
          }))
        : [],
    logAggregationStatus: app.logAggregationStatus(),
    unmanagedApplication: app.context.unmanagedAM,
    amNodeLabelExpression: '',
    timeouts: { timeout: [{ type: 'LIFETIME', expiryTime: 'UNLIMITED', remainingTimeInSeconds: -1 }] },
  };
}

/**
 * While ACCEPTED, why the AM is not placed (as YARN reports it). While RUNNING with container
 * requests the last scheduling pass could not place, why they wait, ahead of what the app had
 * already been told: YARN keeps this in its scheduler activities, weft puts it where an AM and
 * its client already look.
 */
function reportedDiagnostics(state: string, app: RmApp): string {
  if (!app.waitingDiagnostics) return app.diagnostics;
  if (state === 'ACCEPTED') return app.waitingDiagnostics;
  if (state === 'RUNNING') return app.diagnostics ? `${app.waitingDiagnostics}\n${app.diagnostics}` : app.waitingDiagnostics;
  return app.diagnostics;
}

/** MB-seconds and vcore-seconds over every container the app ever held (RMAppMetrics). */
function memorySeconds(app: RmApp, now: number): { memorySeconds: number; vcoreSeconds: number } {
  let mem = 0;
  let vc = 0;
  for (const attempt of app.attempts) {
    for (const c of attempt.containers.values()) {
      const seconds = Math.max(0, ((c.finishTime || now) - c.creationTime) / 1000);
      mem += c.resource.memory * seconds;
      vc += c.resource.vCores * seconds;
    }
  }
  return { memorySeconds: Math.round(mem), vcoreSeconds: Math.round(vc) };
}

export function clusterCapacity(ctx: RmContext): { memory: number; vCores: number } {
  let memory = 0;
  let vCores = 0;
  for (const n of ctx.nodes.values()) {
    if (!n.schedulable) continue;
    memory += n.total.memory;
    vCores += n.total.vCores;
  }
  return { memory, vCores };
}

export function attemptInfo(ctx: RmContext, attempt: RmAppAttempt): AppAttemptInfo {
  const master = attempt.masterContainer;
  return {
    id: attempt.attemptNumber,
    appAttemptId: attempt.attemptId,
    startTime: attempt.startTime,
    finishedTime: attempt.finishTime,
    containerId: master?.id ?? '',
    nodeHttpAddress: master?.nodeHttpAddress ?? '',
    nodeId: master?.nodeId ?? '',
    logsLink: master ? `http://${master.nodeHttpAddress}/node/containerlogs/${master.id}/${attempt.app.user}` : '',
    blacklistedNodes: [...attempt.blacklist].join(','),
    appAttemptState: attempt.state,
    diagnosticsInfo: attempt.diagnostics,
  };
}

export function containerInfo(ctx: RmContext, c: RmContainer): ContainerInfo {
  const now = ctx.clock.now();
  const start = c.startTime || c.creationTime;
  return {
    containerId: c.id,
    allocatedMB: c.resource.memory,
    allocatedVCores: c.resource.vCores,
    assignedNodeId: c.nodeId,
    priority: c.priority,
    startedTime: start,
    finishedTime: c.finishTime,
    elapsedTime: (c.finishTime || now) - start,
    logUrl: `http://${c.nodeHttpAddress}/node/containerlogs/${c.id}/${c.attempt.app.user}`,
    containerExitStatus: c.exitStatus,
    containerState: c.isFinal ? 'COMPLETE' : c.state === 'RUNNING' ? 'RUNNING' : 'NEW',
    nodeHttpAddress: `http://${c.nodeHttpAddress}`,
    nodeId: c.nodeId,
    diagnosticsInfo: c.diagnostics,
    exposedPorts: {},
  };
}
