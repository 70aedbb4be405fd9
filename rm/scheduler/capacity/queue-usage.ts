import type { Resource } from '../../protocol/records.ts';
import { normalizeUp, scaleResource, type ResourceCalculator } from '../resource-calculator.ts';
import type { SchedulerApp, SchedulerState } from '../scheduler.ts';
import type { CapacityQueue } from './capacity-queue.ts';
import { computeUserLimit } from './user-limit.ts';

/** What one user holds in one leaf queue. */
export class UserUsage {
  readonly name: string;
  readonly used: Resource = { memory: 0, vCores: 0 };
  readonly amUsed: Resource = { memory: 0, vCores: 0 };
  activeApps = 0;
  pendingApps = 0;
  /** Has an app that still asks for something: counts toward the user-limit share. */
  demanding = false;

  constructor(name: string) {
    this.name = name;
  }
}

export interface AppUsage {
  readonly app: SchedulerApp;
  readonly leaf: QueueUsage;
  readonly user: UserUsage;
}

/**
 * A queue's usage derived from a snapshot, and the limits that follow from it. Built fresh for
 * every pass, headroom and REST call; the scheduling pass then charges it as it places containers.
 */
export class QueueUsage {
  readonly queue: CapacityQueue;
  readonly parent: QueueUsage | undefined;
  readonly children: QueueUsage[] = [];
  readonly used: Resource = { memory: 0, vCores: 0 };
  readonly amUsed: Resource = { memory: 0, vCores: 0 };
  /** absoluteCapacity × cluster. */
  readonly guaranteed: Resource;
  /** absoluteMaxCapacity × cluster. */
  readonly max: Resource;
  numApplications = 0;
  activeApps = 0;
  pendingApps = 0;
  numContainers = 0;
  /** Applications whose AM container is placed, in snapshot (submission) order. */
  readonly active: AppUsage[] = [];
  /** Applications waiting for their AM container, in snapshot order. */
  readonly pending: AppUsage[] = [];
  readonly users = new Map<string, UserUsage>();
  /** This queue, its parent, ... up to root. */
  readonly lineage: readonly QueueUsage[];

  constructor(queue: CapacityQueue, parent: QueueUsage | undefined, cluster: Resource) {
    this.queue = queue;
    this.parent = parent;
    this.guaranteed = scaleResource(cluster, queue.absoluteCapacity);
    this.max = scaleResource(cluster, queue.absoluteMaxCapacity);
    this.lineage = [this, ...(parent?.lineage ?? [])];
  }

  /** Users with demand (set once the snapshot is read; demand does not appear mid-pass). */
  activeUsers = 0;

  user(name: string): UserUsage {
    let u = this.users.get(name);
    if (!u) {
      u = new UserUsage(name);
      this.users.set(name, u);
    }
    return u;
  }

  /** Adds to this queue and every ancestor. */
  charge(r: Resource, isAm: boolean): void {
    for (const q of this.lineage) {
      q.used.memory += r.memory;
      q.used.vCores += r.vCores;
      q.numContainers++;
      if (isAm) {
        q.amUsed.memory += r.memory;
        q.amUsed.vCores += r.vCores;
      }
    }
  }

  /**
   * The outermost queue on the way to root that `r` more would push past its maximum capacity:
   * the one whose maximum-capacity must change (a child's maximum is a share of its parent's).
   */
  blockingAncestor(calc: ResourceCalculator, r: Resource): QueueUsage | undefined {
    let blocker: QueueUsage | undefined;
    for (const q of this.lineage) {
      if (!calc.fits(q.used.memory + r.memory, q.used.vCores + r.vCores, q.max.memory, q.max.vCores)) blocker = q;
    }
    return blocker;
  }

  /** The per-user limit if `required` were placed now; pass `out` to avoid allocating. */
  userLimit(calc: ResourceCalculator, required: Resource, minimumAllocation: Resource, out?: Resource): Resource {
    return computeUserLimit(
      {
        calc,
        queueCapacity: this.guaranteed,
        queueMax: this.max,
        queueUsed: this.used,
        required,
        activeUsers: this.activeUsers,
        userLimitPercent: this.queue.userLimit,
        userLimitFactor: this.queue.userLimitFactor,
        minimumAllocation,
      },
      out,
    );
  }
}

/** The queues' usage over one snapshot, plus the cluster totals the limits are computed from. */
export class ClusterUsage {
  readonly total: Resource = { memory: 0, vCores: 0 };
  readonly available: Resource = { memory: 0, vCores: 0 };
  readonly root: QueueUsage;
  readonly byPath = new Map<string, QueueUsage>();
  /** Applications with their AM placed (the ones that call allocate and ask for headroom). */
  readonly byAttempt = new Map<string, AppUsage>();
  /** Apps whose queue is not a leaf of the current configuration. */
  readonly orphans: SchedulerApp[] = [];

  constructor(root: CapacityQueue, state: SchedulerState, resolveLeaf: (name: string) => CapacityQueue | undefined) {
    for (const n of state.nodes) {
      this.total.memory += n.total.memory;
      this.total.vCores += n.total.vCores;
      this.available.memory += Math.max(0, n.available.memory);
      this.available.vCores += Math.max(0, n.available.vCores);
    }
    const build = (q: CapacityQueue, parent: QueueUsage | undefined): QueueUsage => {
      const usage = new QueueUsage(q, parent, this.total);
      this.byPath.set(q.path, usage);
      for (const c of q.children) usage.children.push(build(c, usage));
      return usage;
    };
    this.root = build(root, undefined);
    // Consecutive applications mostly share a queue and a user: resolve each once per run of them.
    let lastQueue: string | undefined;
    let lastLeaf: QueueUsage | undefined;
    let lastUserName: string | undefined;
    let lastUser: UserUsage | undefined;
    for (const app of state.apps) {
      if (app.queue !== lastQueue || lastQueue === undefined) {
        lastQueue = app.queue;
        const queue = resolveLeaf(app.queue);
        lastLeaf = queue && this.byPath.get(queue.path);
        lastUserName = undefined;
      }
      const leaf = lastLeaf;
      if (!leaf) {
        this.orphans.push(app);
        continue;
      }
      if (app.user !== lastUserName || !lastUser) {
        lastUserName = app.user;
        lastUser = leaf.user(app.user);
      }
      const user = lastUser;
      const entry: AppUsage = { app, leaf, user };
      if (app.amRequest === undefined) {
        leaf.active.push(entry);
        this.byAttempt.set(app.attemptId, entry);
        user.activeApps++;
        if (!user.demanding && app.asks.some((a) => a.numContainers > 0)) user.demanding = true;
        addTo(user.used, app.used);
        addTo(user.amUsed, app.amUsed);
        for (let q: QueueUsage | undefined = leaf; q; q = q.parent) {
          addTo(q.used, app.used);
          addTo(q.amUsed, app.amUsed);
          q.numApplications++;
          q.numContainers += app.numContainers ?? 0;
          q.activeApps++;
        }
        continue;
      }
      // Waiting for its AM: usually holds nothing (unless it kept containers of an earlier attempt).
      leaf.pending.push(entry);
      user.pendingApps++;
      user.demanding = true;
      const holds = app.used.memory !== 0 || app.used.vCores !== 0;
      if (holds) addTo(user.used, app.used);
      for (let q: QueueUsage | undefined = leaf; q; q = q.parent) {
        q.numApplications++;
        q.pendingApps++;
        if (holds) {
          addTo(q.used, app.used);
          q.numContainers += app.numContainers ?? 0;
        }
      }
    }
    for (const q of this.byPath.values()) {
      for (const u of q.users.values()) if (u.demanding) q.activeUsers++;
    }
  }

  /**
   * LeafQueue.getAMResourceLimit: maximum-am-resource-percent of what the queue can use now
   * (its guarantee, or more while it can grow into idle capacity up to its maximum), rounded up
   * to the minimum allocation.
   */
  amLimit(leaf: QueueUsage, minimumAllocation: Resource): Resource {
    const usable = {
      memory: Math.max(leaf.guaranteed.memory, Math.min(leaf.max.memory, leaf.used.memory + this.available.memory)),
      vCores: Math.max(leaf.guaranteed.vCores, Math.min(leaf.max.vCores, leaf.used.vCores + this.available.vCores)),
    };
    return normalizeUp(scaleResource(usable, leaf.queue.maxAmResourcePercent), minimumAllocation);
  }

  /** The share of the AM limit one user may take: the user-limit share × user-limit-factor. */
  userAmLimit(leaf: QueueUsage, minimumAllocation: Resource): Resource {
    const amLimit = this.amLimit(leaf, minimumAllocation);
    const share = Math.max(1 / Math.max(1, leaf.activeUsers), leaf.queue.userLimit / 100);
    const factor = leaf.queue.userLimitFactor === -1 ? Number.POSITIVE_INFINITY : leaf.queue.userLimitFactor;
    const scaled = normalizeUp(scaleResource(amLimit, share), minimumAllocation);
    return {
      memory: Math.min(amLimit.memory, scaled.memory * factor),
      vCores: Math.min(amLimit.vCores, scaled.vCores * factor),
    };
  }
}

function addTo(target: Resource, r: Resource): void {
  target.memory += r.memory;
  target.vCores += r.vCores;
}
