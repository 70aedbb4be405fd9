import type { Resource } from '../protocol/records.ts';
import type { NodePool } from './node-pool.ts';
import type { SchedulerApp, SchedulerAsk } from './scheduler.ts';

/** One locality entry of a scheduler key (a host, a rack or `*`) with what is left of it this pass. */
interface LocalityAsk {
  readonly resourceName: string;
  remaining: number;
}

/**
 * The outstanding asks of one (priority, allocationRequestId, capability), as YARN groups them:
 * when an ANY (`*`) ask exists it carries the total and host/rack asks are preferences;
 * without one, each host/rack ask stands for its own containers.
 */
export class DemandKey {
  readonly priority: number;
  readonly allocationRequestId: number;
  readonly capability: Resource;
  any: LocalityAsk | undefined;
  readonly hosts: LocalityAsk[] = [];
  readonly racks: LocalityAsk[] = [];
  /** An ask with relaxLocality=false pins the key to the named hosts and racks. */
  strict = false;
  /** Nothing can hold it any more this pass (free space only shrinks). */
  dead = false;

  constructor(priority: number, allocationRequestId: number, capability: Resource) {
    this.priority = priority;
    this.allocationRequestId = allocationRequestId;
    this.capability = capability;
  }

  get outstanding(): number {
    if (this.any) return this.any.remaining;
    let n = 0;
    for (const h of this.hosts) n += h.remaining;
    for (const r of this.racks) n += r.remaining;
    return n;
  }

  add(ask: SchedulerAsk): void {
    const entry = { resourceName: ask.resourceName, remaining: ask.numContainers };
    if (!ask.relaxLocality) this.strict = true;
    if (ask.resourceName === '*') this.any = entry;
    else if (ask.resourceName.startsWith('/')) this.racks.push(entry);
    else this.hosts.push(entry);
  }

  /** The ask the last successful {@link place} satisfies (kept here so placing allocates nothing). */
  placedResourceName = '*';

  /**
   * Finds a node for one container of this key: node-local first, then rack-local, then (unless
   * strict) anywhere. Returns the node index, or -1; the ask it satisfies is `placedResourceName`.
   */
  place(pool: NodePool, blacklist: ReadonlySet<string> | undefined): number {
    const { memory, vCores } = this.capability;
    for (const h of this.hosts) {
      if (h.remaining <= 0) continue;
      const node = pool.findOnHost(h.resourceName, memory, vCores, blacklist);
      if (node >= 0) return this.placed(node, h.resourceName);
    }
    for (const r of this.racks) {
      if (r.remaining <= 0) continue;
      const node = pool.findOnRack(r.resourceName, memory, vCores, blacklist);
      if (node >= 0) return this.placed(node, r.resourceName);
    }
    if (this.strict) return -1;
    const node = pool.findAny(memory, vCores, blacklist);
    if (node < 0) return -1;
    if (this.any) return this.placed(node, '*');
    // No ANY ask: a relaxed host/rack ask falls back to any node and is the one lowered.
    const fallback = this.hosts.find((h) => h.remaining > 0) ?? this.racks.find((r) => r.remaining > 0);
    return fallback ? this.placed(node, fallback.resourceName) : -1;
  }

  private placed(node: number, resourceName: string): number {
    this.placedResourceName = resourceName;
    return node;
  }

  /** Lowers the satisfied ask and, as YARN does for a node- or rack-local container, ANY too. */
  allocated(resourceName: string): void {
    if (this.any) this.any.remaining--;
    if (resourceName === '*') return;
    const entry = this.hosts.find((h) => h.resourceName === resourceName) ?? this.racks.find((r) => r.resourceName === resourceName);
    if (entry) entry.remaining--;
  }
}

/** What one application still wants in this pass: its AM container, or its asks by key. */
export class AppDemand {
  readonly app: SchedulerApp;
  amPending: boolean;
  /** By priority (lower value first, as ResourceRequest priorities go), then allocationRequestId. */
  readonly keys: DemandKey[];

  constructor(app: SchedulerApp) {
    this.app = app;
    this.amPending = app.amRequest !== undefined;
    this.keys = groupAsks(app.asks);
  }

  get wantsMore(): boolean {
    return this.amPending || this.keys.some((k) => k.outstanding > 0);
  }

  /** The first key that still has containers and may still be placed this pass. */
  nextKey(): DemandKey | undefined {
    for (const k of this.keys) if (!k.dead && k.outstanding > 0) return k;
    return undefined;
  }

  /** The resource of the next container this app would take (for limit checks and diagnostics). */
  nextRequest(): Resource | undefined {
    if (this.amPending) return this.app.amRequest;
    return (this.nextKey() ?? this.keys.find((k) => k.outstanding > 0))?.capability;
  }
}

function groupAsks(asks: readonly SchedulerAsk[]): DemandKey[] {
  const byKey = new Map<string, DemandKey>();
  // Zero-count asks are kept: an ANY ask at zero caps the host and rack asks of its key.
  for (const ask of asks) {
    const id = `${ask.priority}/${ask.allocationRequestId}/${ask.capability.memory}/${ask.capability.vCores}`;
    let key = byKey.get(id);
    if (!key) {
      key = new DemandKey(ask.priority, ask.allocationRequestId, ask.capability);
      byKey.set(id, key);
    }
    key.add(ask);
  }
  return [...byKey.values()].sort((a, b) => a.priority - b.priority || a.allocationRequestId - b.allocationRequestId);
}

/** Apps in FIFO order: higher application priority first, then earlier submission, then id. */
export function compareAppsFifo(a: SchedulerApp, b: SchedulerApp): number {
  return b.priority - a.priority || a.submitTime - b.submitTime || (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : 0);
}
