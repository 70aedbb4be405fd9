import type { Resource } from '../../protocol/records.ts';
import { formatResource, wireResource, type ResourceCalculator } from '../resource-calculator.ts';
import type { ClusterUsage, QueueUsage } from './queue-usage.ts';

const pct = (fraction: number): number => (Number.isFinite(fraction) ? Math.round(fraction * 100_000) / 1000 : 0);

/**
 * `GET /ws/v1/cluster/scheduler` for the CapacityScheduler (reference/yarn.md §1.6): root fields,
 * then parent and leaf queue objects (CapacitySchedulerQueueInfo / CapacitySchedulerLeafQueueInfo).
 */
export function capacitySchedulerInfo(usage: ClusterUsage, calc: ResourceCalculator, minimumAllocation: Resource): Record<string, unknown> {
  const root = usage.root;
  return {
    scheduler: {
      schedulerInfo: {
        type: 'capacityScheduler',
        capacity: 100,
        usedCapacity: pct(calc.ratio(root.used, usage.total)),
        maxCapacity: 100,
        queueName: 'root',
        queues: { queue: root.children.map((q) => queueInfo(q, usage, calc, minimumAllocation)) },
      },
    },
  };
}

function queueInfo(q: QueueUsage, usage: ClusterUsage, calc: ResourceCalculator, minimumAllocation: Resource): Record<string, unknown> {
  const c = q.queue;
  const used = wireResource(q.used);
  const common: Record<string, unknown> = {
    capacity: pct(c.capacity),
    usedCapacity: pct(calc.ratio(q.used, q.guaranteed)),
    maxCapacity: pct(c.maxCapacity),
    absoluteCapacity: pct(c.absoluteCapacity),
    absoluteMaxCapacity: pct(c.absoluteMaxCapacity),
    absoluteUsedCapacity: pct(calc.ratio(q.used, usage.total)),
    numApplications: q.numApplications,
    usedResources: formatResource(used),
    queueName: c.name,
    queuePath: c.path,
    state: c.state,
    resourcesUsed: used,
  };
  if (!c.isLeaf) return { ...common, queues: { queue: q.children.map((child) => queueInfo(child, usage, calc, minimumAllocation)) } };

  const factor = c.userLimitFactor;
  const perUser = (n: number): number => (factor === -1 ? n : Math.floor(n * (c.userLimit / 100) * factor));
  // The pre-2.6 LeafQueue figures the REST object still carries.
  const maxActive = Math.max(
    1,
    Math.ceil((minimumAllocation.memory > 0 ? usage.total.memory / minimumAllocation.memory : 0) * c.maxAmResourcePercent * c.absoluteMaxCapacity),
  );
  const users = [...q.users.values()].map((u) => ({
    username: u.name,
    resourcesUsed: wireResource(u.used),
    numActiveApplications: u.activeApps,
    numPendingApplications: u.pendingApps,
    AMResourceUsed: wireResource(u.amUsed),
  }));
  // CapacitySchedulerLeafQueueInfo's AM figures: the limit AMs of this queue may take together
  // (what keeps further apps ACCEPTED), what they hold, and one user's share of the limit.
  const amLimit = usage.amLimit(q, minimumAllocation);
  return {
    type: 'capacitySchedulerLeafQueueInfo',
    ...common,
    numActiveApplications: q.activeApps,
    numPendingApplications: q.pendingApps,
    numContainers: q.numContainers,
    maxApplications: c.maxApplications,
    maxApplicationsPerUser: perUser(c.maxApplications),
    maxActiveApplications: maxActive,
    maxActiveApplicationsPerUser: Math.max(1, factor === -1 ? maxActive : Math.ceil(maxActive * (c.userLimit / 100) * factor)),
    userLimit: c.userLimit,
    userLimitFactor: factor,
    configuredMaxAMResourceLimit: c.maxAmResourcePercent,
    AMResourceLimit: wireResource(amLimit),
    usedAMResource: wireResource(q.amUsed),
    userAMResourceLimit: wireResource(usage.userAmLimit(q, minimumAllocation)),
    users: users.length > 0 ? { user: users } : null,
  };
}
