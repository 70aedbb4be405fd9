import type { Resource, ResourceRequest } from '../protocol/records.ts';
import type { TaskSpec } from './sls-job.ts';

/**
 * AMSimulator.packageRequests: one ask per preferred host, one per rack (`/<rack>`) and one ANY
 * (`*`) carrying the total, for tasks of one priority and size, counted as YARN's asks are
 * (each replaces the outstanding ask of its key). Tasks without a host only count toward ANY.
 */
export function packageRequests(tasks: readonly TaskSpec[], priority: number): ResourceRequest[] {
  const bySize = new Map<string, TaskSpec[]>();
  for (const t of tasks) {
    const key = `${t.resource.memory}/${t.resource.vCores}/${t.allocationRequestId}/${t.executionType}`;
    const list = bySize.get(key);
    if (list) list.push(t);
    else bySize.set(key, [t]);
  }
  const out: ResourceRequest[] = [];
  for (const group of bySize.values()) {
    const first = group[0] as TaskSpec;
    const hosts = new Map<string, number>();
    const racks = new Map<string, number>();
    for (const t of group) {
      if (t.host === undefined) continue;
      hosts.set(t.host, (hosts.get(t.host) ?? 0) + 1);
      const rack = `/${t.rack ?? 'default-rack'}`;
      racks.set(rack, (racks.get(rack) ?? 0) + 1);
    }
    const base = {
      priority,
      allocationRequestId: first.allocationRequestId,
      capability: first.resource,
      relaxLocality: true,
      executionType: first.executionType,
    };
    for (const [resourceName, numContainers] of hosts) out.push({ ...base, resourceName, numContainers });
    for (const [resourceName, numContainers] of racks) out.push({ ...base, resourceName, numContainers });
    out.push({ ...base, resourceName: '*', numContainers: group.length });
  }
  return out;
}

export function sumResources(tasks: readonly TaskSpec[]): Resource {
  let memory = 0;
  let vCores = 0;
  for (const t of tasks) {
    memory += t.resource.memory;
    vCores += t.resource.vCores;
  }
  return { memory, vCores };
}
