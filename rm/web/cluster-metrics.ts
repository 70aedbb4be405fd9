import type { ClusterMetrics } from '../protocol/client-rm.ts';
import type { RmContext } from '../rm-context.ts';
import { clusterCapacity } from './app-info.ts';

/** ClusterMetricsInfo (reference/yarn.md §1.5), computed from live state rather than counters. */
export function clusterMetrics(ctx: RmContext, counters: { appsSubmitted: number; appsCompleted: number; appsFailed: number; appsKilled: number }): ClusterMetrics {
  const total = clusterCapacity(ctx);
  let allocatedMB = 0;
  let allocatedVCores = 0;
  let containersAllocated = 0;
  for (const c of ctx.containers.values()) {
    if (!c.isFinal) {
      allocatedMB += c.resource.memory;
      allocatedVCores += c.resource.vCores;
      containersAllocated++;
    }
  }
  let appsPending = 0;
  let appsRunning = 0;
  let containersPending = 0;
  for (const app of ctx.apps.values()) {
    const s = app.publicState;
    if (s === 'ACCEPTED' || s === 'SUBMITTED' || s === 'NEW' || s === 'NEW_SAVING') appsPending++;
    if (s === 'RUNNING') appsRunning++;
    for (const r of app.currentAttempt?.pendingResourceRequests() ?? []) if (r.resourceName === '*') containersPending += r.numContainers;
  }
  const count = (state: string) => [...ctx.nodes.values(), ...ctx.inactiveNodes.values()].filter((n) => n.state === state).length;
  return {
    appsSubmitted: counters.appsSubmitted,
    appsCompleted: counters.appsCompleted,
    appsPending,
    appsRunning,
    appsFailed: counters.appsFailed,
    appsKilled: counters.appsKilled,
    reservedMB: 0,
    availableMB: Math.max(0, total.memory - allocatedMB),
    allocatedMB,
    totalMB: total.memory,
    reservedVirtualCores: 0,
    availableVirtualCores: Math.max(0, total.vCores - allocatedVCores),
    allocatedVirtualCores: allocatedVCores,
    totalVirtualCores: total.vCores,
    containersAllocated,
    containersReserved: 0,
    containersPending,
    totalNodes: ctx.nodes.size,
    activeNodes: count('RUNNING'),
    lostNodes: count('LOST'),
    unhealthyNodes: count('UNHEALTHY'),
    decommissioningNodes: count('DECOMMISSIONING'),
    decommissionedNodes: count('DECOMMISSIONED'),
    rebootedNodes: count('REBOOTED'),
    shutdownNodes: count('SHUTDOWN'),
  };
}
