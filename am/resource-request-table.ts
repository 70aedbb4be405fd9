import type { Container, ResourceRequest } from '../rm/protocol/records.ts';
import { ANY, type ContainerRequest } from './container-request.ts';

interface Entry {
  request: ResourceRequest;
  /** The count the RM last heard about; undefined when it has never heard of this entry. */
  sent: number | undefined;
}

/**
 * The AM's side of YARN's ask table. Entries are keyed like the RM keys them (priority,
 * allocationRequestId, resourceName, executionType, capability) and carry the ABSOLUTE
 * outstanding count: an ask replaces the RM's count, it does not add to it. Counts must be
 * lowered as containers arrive, or the RM keeps allocating (FLINK-5856, FLINK-8613, FLINK-10848).
 */
export class ResourceRequestTable {
  private readonly entries = new Map<string, Entry>();
  /** Outstanding requests, oldest first, so arrivals are matched in ask order. */
  private outstanding: ContainerRequest[] = [];

  add(request: ContainerRequest): void {
    this.outstanding.push(request);
    this.adjust(request, +1);
  }

  /** Removes one outstanding request equal to `request`; false when there is none. */
  remove(request: ContainerRequest): boolean {
    const i = this.outstanding.indexOf(request);
    const index = i >= 0 ? i : this.outstanding.findIndex((r) => sameRequest(r, request));
    if (index < 0) return false;
    const [removed] = this.outstanding.splice(index, 1);
    this.adjust(removed!, -1);
    return true;
  }

  /**
   * Lowers the outstanding count for an allocated container and returns the request it
   * satisfied. The RM may round a capability up (minimum allocation), so an exact match is
   * preferred and a request the container's resource covers is accepted.
   */
  matchAllocated(container: Container): ContainerRequest | undefined {
    const candidates = this.outstanding.filter(
      (r) =>
        r.priority === container.priority &&
        (r.allocationRequestId ?? 0) === container.allocationRequestId &&
        (r.executionType ?? 'GUARANTEED') === container.executionType,
    );
    const host = container.nodeId.split(':')[0] ?? '';
    const exact = (r: ContainerRequest): boolean =>
      r.capability.memory === container.resource.memory && r.capability.vCores === container.resource.vCores;
    const fits = (r: ContainerRequest): boolean =>
      r.capability.memory <= container.resource.memory && r.capability.vCores <= container.resource.vCores;
    const onHost = (r: ContainerRequest): boolean => (r.nodes ?? []).includes(host);
    const match =
      candidates.find((r) => exact(r) && onHost(r)) ??
      candidates.find(exact) ??
      candidates.find((r) => fits(r) && onHost(r)) ??
      candidates.find(fits);
    if (match) this.remove(match);
    return match;
  }

  /** Entries whose count differs from what the RM last heard, marked as sent. */
  takeChanged(): ResourceRequest[] {
    const changed: ResourceRequest[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.request.numContainers !== entry.sent) {
        changed.push({ ...entry.request, capability: { ...entry.request.capability } });
        entry.sent = entry.request.numContainers;
      }
      // A zero the RM has heard about needs no further bookkeeping.
      if (entry.request.numContainers === 0 && entry.sent === 0) this.entries.delete(key);
    }
    return changed;
  }

  /** After an RM restart (resync) the RM knows nothing: every live entry is sent again. */
  markAllUnsent(): void {
    for (const entry of this.entries.values()) entry.sent = undefined;
  }

  /** The outstanding count for one entry (0 when absent). */
  count(priority: number, capability: ContainerRequest['capability'], resourceName = ANY, allocationRequestId = 0): number {
    const key = entryKey({ priority, allocationRequestId, resourceName, executionType: 'GUARANTEED', capability });
    return this.entries.get(key)?.request.numContainers ?? 0;
  }

  outstandingRequests(): readonly ContainerRequest[] {
    return this.outstanding;
  }

  private adjust(request: ContainerRequest, delta: number): void {
    const names = [...new Set(request.nodes ?? [])];
    for (const name of names) this.bump(request, name, true, delta);
    this.bump(request, ANY, request.relaxLocality ?? true, delta);
  }

  private bump(request: ContainerRequest, resourceName: string, relaxLocality: boolean, delta: number): void {
    const base = {
      priority: request.priority,
      allocationRequestId: request.allocationRequestId ?? 0,
      resourceName,
      executionType: request.executionType ?? 'GUARANTEED',
      capability: request.capability,
    } as const;
    const key = entryKey(base);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { request: { ...base, capability: { ...base.capability }, numContainers: 0, relaxLocality }, sent: undefined };
      this.entries.set(key, entry);
    }
    entry.request.numContainers = Math.max(0, entry.request.numContainers + delta);
    if (delta > 0) entry.request.relaxLocality = relaxLocality;
  }
}

function entryKey(r: Pick<ResourceRequest, 'priority' | 'allocationRequestId' | 'resourceName' | 'executionType' | 'capability'>): string {
  return `${r.priority}|${r.allocationRequestId}|${r.resourceName}|${r.executionType}|${r.capability.memory}|${r.capability.vCores}`;
}

function sameRequest(a: ContainerRequest, b: ContainerRequest): boolean {
  return (
    a.priority === b.priority &&
    (a.allocationRequestId ?? 0) === (b.allocationRequestId ?? 0) &&
    (a.executionType ?? 'GUARANTEED') === (b.executionType ?? 'GUARANTEED') &&
    a.capability.memory === b.capability.memory &&
    a.capability.vCores === b.capability.vCores &&
    (a.relaxLocality ?? true) === (b.relaxLocality ?? true) &&
    JSON.stringify([...(a.nodes ?? [])].sort()) === JSON.stringify([...(b.nodes ?? [])].sort())
  );
}
