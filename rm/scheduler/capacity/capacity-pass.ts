import type { Resource } from '../../protocol/records.ts';
import { AppDemand, compareAppsFifo, type DemandKey } from '../app-demand.ts';
import { NodePool } from '../node-pool.ts';
import { LazyWaiting } from '../lazy-waiting.ts';
import type { ResourceCalculator } from '../resource-calculator.ts';
import type { Allocation, SchedulerState, SchedulingDecision } from '../scheduler.ts';
import { AM_WAITING, NOT_ACTIVATED, NO_RUNNING_NODES, clusterEmpty, noNodeFits, unknownQueueOfApp } from '../waiting-reasons.ts';
import { amDetails, amLimitExceeded, queueAtMaxCapacity, userLimitReached } from './capacity-diagnostics.ts';
import type { AppUsage, ClusterUsage, QueueUsage } from './queue-usage.ts';

export interface CapacityPassOptions {
  readonly calc: ResourceCalculator;
  readonly minimumAllocation: Resource;
  /** Node index the first-fit search starts from. */
  readonly cursor: number;
  /** Called after each allocation (benchmark instrumentation). */
  readonly onAllocation?: () => void;
}

/** Why an app waits, formatted only if it is still waiting when the pass ends. */
interface Reason {
  /** AM-limit and empty-cluster reasons describe the app itself; others give way to a full queue. */
  readonly sticky: boolean;
  readonly text: () => string;
}

/**
 * One application in a pass. Its demand (asks grouped by key) is built only when the pass first
 * needs it: most applications of a busy queue wait for their AM container and never get that far.
 */
class PassApp {
  readonly usage: AppUsage;
  done = false;
  reason: Reason | undefined;
  private built: AppDemand | undefined;

  constructor(usage: AppUsage) {
    this.usage = usage;
  }

  get demand(): AppDemand {
    this.built ??= new AppDemand(this.usage.app);
    return this.built;
  }

  get amPending(): boolean {
    return this.built ? this.built.amPending : this.usage.app.amRequest !== undefined;
  }

  get wantsMore(): boolean {
    if (this.built) return this.built.wantsMore;
    const app = this.usage.app;
    if (app.amRequest !== undefined) return true;
    if (app.asks.length === 0) return false;
    return this.demand.wantsMore;
  }

  nextRequest(): Resource | undefined {
    if (!this.built && this.usage.app.amRequest !== undefined) return this.usage.app.amRequest;
    return this.demand.nextRequest();
  }
}

interface PassLeaf {
  readonly apps: PassApp[];
  /** Index of the first app that is not done, so finished heads are not rescanned. */
  first: number;
  readonly amLimit: Resource;
  readonly userAmLimit: Resource;
  /**
   * The last AM-limit reason given in this leaf: applications held for the same request and limit
   * share one reason (and so one text), as most waiting applications of a queue do.
   */
  amReason: { readonly memory: number; readonly vCores: number; readonly userLevel: boolean; readonly reason: Reason } | undefined;
}

interface PassQueue {
  readonly usage: QueueUsage;
  readonly parent: PassQueue | undefined;
  readonly children: PassQueue[];
  readonly leaf: PassLeaf | undefined;
  /** Leaves below (or this leaf) that may still place something this pass. */
  live: number;
}

const PLACED = 0;
const LIMITED = 1;
const NO_FIT = 2;
type TryResult = typeof PLACED | typeof LIMITED | typeof NO_FIT;

/**
 * One CapacityScheduler pass: repeatedly walks down from root, at each level trying children in
 * order of used/guaranteed capacity (least served first, larger guarantee on ties), and places
 * one container for the first app in FIFO order that can take one, until nothing fits. Everything
 * that constrains a queue only tightens during a pass (free space, queue usage against maximum
 * capacity, the AM limit), so a leaf that cannot place anything is dropped for the rest of it.
 */
export class CapacityPass {
  private readonly cluster: ClusterUsage;
  private readonly opts: CapacityPassOptions;
  private readonly calc: ResourceCalculator;
  private readonly pool: NodePool;
  private readonly root: PassQueue;
  private readonly leaves: PassQueue[] = [];
  private readonly allocations: Allocation[] = [];
  /** Reused for the user limit computed on every placement attempt. */
  private readonly scratch: Resource = { memory: 0, vCores: 0 };

  constructor(cluster: ClusterUsage, state: SchedulerState, opts: CapacityPassOptions) {
    this.cluster = cluster;
    this.opts = opts;
    this.calc = opts.calc;
    this.pool = new NodePool(state.nodes, opts.calc, opts.cursor);
    this.root = this.wrap(cluster.root, undefined);
  }

  get cursor(): number {
    return this.pool.cursor;
  }

  run(): SchedulingDecision {
    if (this.pool.count === 0) return { allocations: [], waiting: new LazyWaiting(() => this.waitingForNodes()) };
    while (this.root.live > 0 && this.assign(this.root)) {
      // one container per walk, so queue order is re-evaluated after every placement
    }
    // Formatted when read: nothing the reasons are made from changes once the pass is over.
    return { allocations: this.allocations, waiting: new LazyWaiting(() => this.waiting()) };
  }

  private wrap(usage: QueueUsage, parent: PassQueue | undefined): PassQueue {
    let leaf: PassLeaf | undefined;
    if (usage.queue.isLeaf) {
      const apps = fifoOrder(usage.active, usage.pending).map((u) => new PassApp(u));
      for (const a of apps) a.done = !a.wantsMore;
      leaf = {
        apps,
        first: 0,
        amLimit: this.cluster.amLimit(usage, this.opts.minimumAllocation),
        userAmLimit: this.cluster.userAmLimit(usage, this.opts.minimumAllocation),
        amReason: undefined,
      };
    }
    const pq: PassQueue = { usage, parent, children: [], leaf, live: 0 };
    if (leaf) {
      pq.live = leaf.apps.some((a) => !a.done) ? 1 : 0;
      this.leaves.push(pq);
    }
    for (const c of usage.children) {
      const child = this.wrap(c, pq);
      pq.children.push(child);
      pq.live += child.live;
    }
    return pq;
  }

  private assign(q: PassQueue): boolean {
    if (q.leaf) {
      if (this.assignInLeaf(q, q.leaf)) return true;
      this.retire(q);
      return false;
    }
    if (q.children.length > 1) q.children.sort(this.byUsedCapacity);
    const min = this.opts.minimumAllocation;
    for (const child of q.children) {
      if (child.live === 0) continue;
      const u = child.usage;
      if (!this.calc.fits(u.used.memory + min.memory, u.used.vCores + min.vCores, u.max.memory, u.max.vCores)) continue;
      if (this.assign(child)) return true;
    }
    return false;
  }

  private readonly byUsedCapacity = (a: PassQueue, b: PassQueue): number => {
    const ua = this.calc.ratio(a.usage.used, a.usage.guaranteed);
    const ub = this.calc.ratio(b.usage.used, b.usage.guaranteed);
    if (ua !== ub) return ua < ub ? -1 : 1;
    return b.usage.queue.absoluteCapacity - a.usage.queue.absoluteCapacity || (a.usage.queue.path < b.usage.queue.path ? -1 : 1);
  };

  /** Takes a leaf out of this pass: nothing that blocked it can loosen before the pass ends. */
  private retire(q: PassQueue): void {
    if (q.live === 0) return;
    for (let p: PassQueue | undefined = q; p; p = p.parent) p.live--;
  }

  private assignInLeaf(q: PassQueue, leaf: PassLeaf): boolean {
    const apps = leaf.apps;
    for (let i = leaf.first; i < apps.length; i++) {
      const app = apps[i] as PassApp;
      if (app.done) {
        if (i === leaf.first) leaf.first++;
        continue;
      }
      if (this.tryApp(q.usage, leaf, app)) return true;
    }
    return false;
  }

  private tryApp(leaf: QueueUsage, passLeaf: PassLeaf, app: PassApp): boolean {
    if (app.amPending) return this.tryAm(leaf, passLeaf, app);
    const d = app.demand;
    for (const key of d.keys) {
      if (key.dead || key.outstanding <= 0) continue;
      const r = this.tryPlace(leaf, app, key.capability, key);
      if (r === PLACED) return true;
      if (r === NO_FIT) key.dead = true;
    }
    if (d.nextKey() === undefined) app.done = true;
    return false;
  }

  private tryAm(leaf: QueueUsage, passLeaf: PassLeaf, app: PassApp): boolean {
    const request = app.usage.app.amRequest as Resource;
    const user = app.usage.user;
    // LeafQueue.activateApplications: the AM limit is not enforced while the queue has no active
    // application, so a limit set too low still lets one application start.
    const enforce = leaf.activeApps > 0 && (leaf.amUsed.memory > 0 || leaf.amUsed.vCores > 0);
    if (enforce) {
      const queueOver = !this.calc.fits(leaf.amUsed.memory + request.memory, leaf.amUsed.vCores + request.vCores, passLeaf.amLimit.memory, passLeaf.amLimit.vCores);
      const userOver =
        !queueOver &&
        !this.calc.fits(user.amUsed.memory + request.memory, user.amUsed.vCores + request.vCores, passLeaf.userAmLimit.memory, passLeaf.userAmLimit.vCores);
      if (queueOver || userOver) {
        app.reason = this.amLimitReason(leaf, passLeaf, request, userOver);
        app.done = true;
        return false;
      }
    }
    const r = this.tryPlace(leaf, app, request, undefined);
    if (r === NO_FIT) app.done = true;
    return r === PLACED;
  }

  /** Held by the AM limit; the text is made once the pass is over (amUsed as the pass left it), once per distinct reason. */
  private amLimitReason(leaf: QueueUsage, passLeaf: PassLeaf, request: Resource, userLevel: boolean): Reason {
    const last = passLeaf.amReason;
    if (last && last.memory === request.memory && last.vCores === request.vCores && last.userLevel === userLevel) return last.reason;
    const text = `${NOT_ACTIVATED} ${amLimitExceeded(leaf.queue.path, leaf.queue.maxAmResourcePercent, userLevel)}`;
    const reason: Reason = {
      sticky: true,
      text: () => `${text}${amDetails({ request, amLimit: passLeaf.amLimit, userAmLimit: passLeaf.userAmLimit, amUsed: { ...leaf.amUsed } })}`,
    };
    passLeaf.amReason = { memory: request.memory, vCores: request.vCores, userLevel, reason };
    return reason;
  }

  private tryPlace(leaf: QueueUsage, app: PassApp, request: Resource, key: DemandKey | undefined): TryResult {
    const isAm = key === undefined;
    const prefix = isAm ? `${AM_WAITING} ` : '';
    const blocker = leaf.blockingAncestor(this.calc, request);
    if (blocker) {
      app.reason = { sticky: false, text: () => prefix + queueAtMaxCapacity(blocker.queue.path, blocker.used, blocker.max, blocker.queue.absoluteMaxCapacity) };
      return LIMITED;
    }
    const user = app.usage.user;
    const limit = leaf.userLimit(this.calc, request, this.opts.minimumAllocation, this.scratch);
    if (!this.calc.fits(user.used.memory + request.memory, user.used.vCores + request.vCores, limit.memory, limit.vCores)) {
      const used = { ...user.used };
      const limitNow = { ...limit };
      app.reason = { sticky: false, text: () => prefix + userLimitReached(user.name, leaf.queue.path, used, limitNow) };
      return LIMITED;
    }
    const blacklist = app.usage.app.blacklist;
    let node: number;
    let resourceName = '*';
    if (key) {
      node = key.place(this.pool, blacklist);
      resourceName = key.placedResourceName;
    } else {
      node = this.pool.findAny(request.memory, request.vCores, blacklist);
    }
    if (node < 0) {
      const pool = this.pool;
      app.reason = { sticky: false, text: () => prefix + noNodeFits(request, pool.largestFree(), pool.largestNode(), pool.anyNodeCanHold(request)) };
      return NO_FIT;
    }
    this.commit(leaf, app, request, key, node, resourceName);
    return PLACED;
  }

  private commit(leaf: QueueUsage, app: PassApp, request: Resource, key: DemandKey | undefined, node: number, resourceName: string): void {
    const isAm = key === undefined;
    this.pool.take(node, request.memory, request.vCores);
    leaf.charge(request, isAm);
    const user = app.usage.user;
    user.used.memory += request.memory;
    user.used.vCores += request.vCores;
    if (isAm) {
      user.amUsed.memory += request.memory;
      user.amUsed.vCores += request.vCores;
      leaf.activeApps++;
      leaf.pendingApps--;
      app.demand.amPending = false;
    } else {
      key.allocated(resourceName);
    }
    app.reason = undefined;
    if (!app.demand.wantsMore) app.done = true;
    this.allocations.push({
      attemptId: app.usage.app.attemptId,
      nodeId: this.pool.nodeAt(node).nodeId,
      capability: request,
      priority: key ? key.priority : 0,
      allocationRequestId: key ? key.allocationRequestId : 0,
      resourceName,
      isAm,
    });
    this.opts.onAllocation?.();
  }

  private waitingOrphans(): Map<string, string> {
    const waiting = new Map<string, string>();
    for (const app of this.cluster.orphans) {
      if (app.amRequest !== undefined || app.asks.some((a) => a.numContainers > 0)) waiting.set(app.appId, unknownQueueOfApp(app.queue));
    }
    return waiting;
  }

  private waitingForNodes(): Map<string, string> {
    const waiting = this.waitingOrphans();
    for (const q of this.leaves) {
      const passLeaf = q.leaf as PassLeaf;
      for (const app of passLeaf.apps) {
        if (!app.wantsMore) continue;
        const request = app.usage.app.amRequest;
        const text = request
          ? `${NOT_ACTIVATED} ${clusterEmpty()}${amDetails({ request, amLimit: passLeaf.amLimit, userAmLimit: passLeaf.userAmLimit, amUsed: q.usage.amUsed })}`
          : `Waiting for resources: ${NO_RUNNING_NODES}`;
        waiting.set(app.usage.app.appId, text);
      }
    }
    return waiting;
  }

  private waiting(): Map<string, string> {
    const waiting = this.waitingOrphans();
    const texts = new Map<Reason, string>();
    const textOf = (r: Reason): string => {
      let t = texts.get(r);
      if (t === undefined) {
        t = r.text();
        texts.set(r, t);
      }
      return t;
    };
    for (const q of this.leaves) {
      for (const app of (q.leaf as PassLeaf).apps) {
        if (!app.wantsMore) continue;
        let text = app.reason?.sticky ? textOf(app.reason) : undefined;
        if (text === undefined) {
          const request = app.nextRequest();
          const blocker = request ? q.usage.blockingAncestor(this.calc, request) : undefined;
          if (blocker) {
            text = (app.amPending ? `${AM_WAITING} ` : '') + queueAtMaxCapacity(blocker.queue.path, blocker.used, blocker.max, blocker.queue.absoluteMaxCapacity);
          }
        }
        text ??= app.reason ? textOf(app.reason) : 'Waiting for the next scheduling pass.';
        waiting.set(app.usage.app.appId, text);
      }
    }
    return waiting;
  }
}

/** Whether apps are already in FIFO order (they usually are: the RM lists them in submission order). */
function isFifoOrdered(apps: readonly AppUsage[]): boolean {
  for (let i = 1; i < apps.length; i++) if (compareAppsFifo((apps[i - 1] as AppUsage).app, (apps[i] as AppUsage).app) > 0) return false;
  return true;
}

/**
 * A leaf's applications, active and pending, in FIFO order (priority, then submission): a merge
 * of the two lists, which arrive each in order, so no sort in the usual case.
 */
function fifoOrder(active: readonly AppUsage[], pending: readonly AppUsage[]): AppUsage[] {
  if (pending.length === 0 && isFifoOrdered(active)) return [...active];
  if (active.length === 0 && isFifoOrdered(pending)) return [...pending];
  if (!isFifoOrdered(active) || !isFifoOrdered(pending)) return [...active, ...pending].sort((a, b) => compareAppsFifo(a.app, b.app));
  const out: AppUsage[] = [];
  let i = 0;
  let j = 0;
  while (i < active.length && j < pending.length) {
    const a = active[i] as AppUsage;
    const p = pending[j] as AppUsage;
    if (compareAppsFifo(a.app, p.app) <= 0) {
      out.push(a);
      i++;
    } else {
      out.push(p);
      j++;
    }
  }
  for (; i < active.length; i++) out.push(active[i] as AppUsage);
  for (; j < pending.length; j++) out.push(pending[j] as AppUsage);
  return out;
}
