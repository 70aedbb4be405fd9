import type { RmChange } from '../rm-changes.ts';
import type { RmContext } from '../rm-context.ts';
import { RmContainer } from '../container/rm-container.ts';
import type { RmApp, WaitingSource } from '../app/rm-app.ts';
import type { RmAppAttempt } from '../app/attempt/rm-app-attempt.ts';
import type { RmNode } from '../node/rm-node.ts';
import { applicationIdOfAttempt, applicationIdOfContainer } from '../protocol/ids.ts';
import type { SchedulerApp, SchedulerNode, SchedulerState } from '../scheduler/scheduler.ts';

interface Snapshot {
  readonly state: SchedulerState;
}

interface AppEntry {
  readonly rmApp: RmApp;
  readonly attempt: RmAppAttempt;
  readonly app: SchedulerApp;
  /** Position in submission order (the order the application was first seen). */
  readonly seq: number;
}

interface NodeEntry {
  readonly version: number;
  readonly node: SchedulerNode;
}

/**
 * The impure half of scheduling: builds a snapshot for the pure scheduler, then applies its
 * decision (new RMContainers, lowered asks, waiting diagnostics). Runs when an AM calls allocate,
 * and coalesced after anything else that frees or adds capacity (YARN's async scheduling).
 *
 * Touches only what changed: a pass runs only when something it decides on changed since the
 * last one (new asks, freed or added capacity, a new attempt), since the pass places everything
 * that fits and the same inputs would give the same (empty) answer; the snapshot keeps one entry
 * per node and per application and rebuilds only those an event touched (a node's entry by its
 * version, an application's when it, its attempt, one of its containers or its asks changed); and
 * it reads only the applications that are not finished. The snapshot's application list is kept
 * in submission order and edited in place for the applications an event touched, so a pass over
 * 10,000 waiting applications does not first walk all of them to find the one that changed.
 */
export class SchedulingService {
  private readonly ctx: RmContext;
  private pending = false;
  /** Something the scheduler decides on changed since the last pass. */
  private dirty = true;
  private cached: Snapshot | undefined;
  /** Applications not in a final state, in the order they first changed (submission order). */
  private readonly live = new Map<string, RmApp>();
  private readonly appEntries = new Map<string, AppEntry>();
  /** The entries of `appEntries` in submission order, and their scheduler views (the snapshot's list). */
  private readonly ordered: AppEntry[] = [];
  private readonly orderedApps: SchedulerApp[] = [];
  private readonly seqOf = new Map<string, number>();
  private nextSeq = 0;
  private readonly staleApps = new Set<string>();
  /** What every app in the list reads its waiting reason from: no per-app work per pass. */
  private readonly waitingSource: { -readonly [K in keyof WaitingSource]: WaitingSource[K] } = { passes: 0, waiting: undefined };
  private readonly nodeEntries = new Map<string, NodeEntry>();
  /** Live applications per queue (the queue they were counted under), for admission. */
  private readonly queueOf = new Map<string, string>();
  private readonly perQueue = new Map<string, number>();

  constructor(ctx: RmContext) {
    this.ctx = ctx;
    ctx.changes.subscribe((c) => this.onChange(c));
  }

  /** Coalesces many requests from one cascade into one pass, after the current call stack. */
  request(): void {
    this.invalidate();
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.run();
    });
  }

  /** The scheduler's inputs changed (asks, blacklist, capacity): the next pass must decide again. */
  changed(attempt?: RmAppAttempt): void {
    this.invalidate();
    if (attempt) this.staleApps.add(attempt.app.appId);
  }

  private invalidate(): void {
    this.dirty = true;
    this.cached = undefined;
  }

  /** Applications of `queue` that are not finished, not counting `except`. */
  appsInQueue(queue: string, except?: string): number {
    const n = this.perQueue.get(queue) ?? 0;
    return except !== undefined && this.queueOf.get(except) === queue ? n - 1 : n;
  }

  private onChange(c: RmChange): void {
    switch (c.kind) {
      case 'container': {
        // Acquiring or launching a container changes nothing the scheduler reads.
        if (c.state === 'ACQUIRED' || c.state === 'RUNNING') return;
        const appId = this.ctx.containers.get(c.id)?.attempt.app.appId ?? applicationIdOfContainer(c.id);
        if (appId) this.staleApps.add(appId);
        break;
      }
      case 'attempt': {
        const appId = applicationIdOfAttempt(c.id);
        if (appId) this.staleApps.add(appId);
        break;
      }
      case 'app':
        this.staleApps.add(c.id);
        this.track(c.id);
        break;
      case 'node':
        break;
    }
    this.cached = undefined;
  }

  private track(appId: string): void {
    const app = this.ctx.apps.get(appId) ?? this.live.get(appId);
    const counted = this.queueOf.get(appId);
    if (counted !== undefined && (!app || app.isFinal || app.queue !== counted)) {
      this.queueOf.delete(appId);
      this.perQueue.set(counted, (this.perQueue.get(counted) ?? 1) - 1);
    }
    if (!app || app.isFinal) {
      this.live.delete(appId);
      this.seqOf.delete(appId);
      // Stays stale so that the next snapshot drops its entry.
      if (this.appEntries.has(appId)) this.staleApps.add(appId);
      else this.staleApps.delete(appId);
      return;
    }
    this.live.set(appId, app);
    if (!this.seqOf.has(appId)) this.seqOf.set(appId, this.nextSeq++);
    if (!this.queueOf.has(appId)) {
      this.queueOf.set(appId, app.queue);
      this.perQueue.set(app.queue, (this.perQueue.get(app.queue) ?? 0) + 1);
    }
  }

  private nodeEntry(n: RmNode): SchedulerNode {
    const known = this.nodeEntries.get(n.nodeId);
    if (known && known.version === n.schedulerVersion) return known.node;
    const node: SchedulerNode = { nodeId: n.nodeId, host: n.host, rack: n.rack, total: n.total, available: n.available };
    this.nodeEntries.set(n.nodeId, { version: n.schedulerVersion, node });
    return node;
  }

  private schedulerApp(app: RmApp, attempt: RmAppAttempt): SchedulerApp {
    return {
      appId: app.appId,
      attemptId: attempt.attemptId,
      queue: app.queue,
      user: app.user,
      priority: app.context.priority,
      submitTime: app.submitTime,
      ...(attempt.wantsAmContainer ? { amRequest: app.amResource } : {}),
      asks: attempt.state === 'RUNNING' ? attempt.schedulerAsks() : [],
      used: attempt.used,
      numContainers: attempt.liveContainers,
      amUsed: attempt.amUsed,
      blacklist: attempt.blacklist,
    };
  }

  /** Where the entry with `seq` is, or would go, in `ordered`. */
  private position(seq: number): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ordered[mid] as AppEntry).seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Brings one application's entry up to date: rebuilt, added in submission order, or dropped. */
  private refresh(appId: string): void {
    const known = this.appEntries.get(appId);
    const app = this.live.get(appId);
    const attempt = app?.currentAttempt;
    const seq = this.seqOf.get(appId);
    const wanted = app !== undefined && seq !== undefined && !app.isFinal && attempt !== undefined && !attempt.isFinal;
    if (known) {
      const at = this.position(known.seq);
      if (wanted && known.seq === seq) {
        const entry: AppEntry = { rmApp: app, attempt, app: this.schedulerApp(app, attempt), seq };
        this.appEntries.set(appId, entry);
        this.ordered[at] = entry;
        this.orderedApps[at] = entry.app;
        app.followWaiting(this.waitingSource);
        return;
      }
      known.rmApp.unfollowWaiting();
      this.appEntries.delete(appId);
      this.ordered.splice(at, 1);
      this.orderedApps.splice(at, 1);
    }
    if (!wanted) return;
    const entry: AppEntry = { rmApp: app, attempt, app: this.schedulerApp(app, attempt), seq };
    const at = this.position(seq);
    this.appEntries.set(appId, entry);
    this.ordered.splice(at, 0, entry);
    this.orderedApps.splice(at, 0, entry.app);
    app.followWaiting(this.waitingSource);
  }

  snapshot(): Snapshot {
    if (this.cached) return this.cached;
    const nodes: SchedulerNode[] = [];
    for (const n of this.ctx.nodes.values()) if (n.schedulable) nodes.push(this.nodeEntry(n));
    if (this.nodeEntries.size > this.ctx.nodes.size + this.ctx.inactiveNodes.size) {
      for (const id of this.nodeEntries.keys()) if (!this.ctx.nodes.has(id)) this.nodeEntries.delete(id);
    }
    for (const appId of this.staleApps) this.refresh(appId);
    this.staleApps.clear();
    this.cached = { state: { nodes, apps: this.orderedApps.slice() } };
    return this.cached;
  }

  /** One scheduling pass, if anything changed since the last; returns the snapshot it decided on (for headroom). */
  run(): SchedulerState {
    const { state } = this.snapshot();
    if (!this.dirty) return state;
    this.dirty = false;
    if (state.apps.length === 0) return state;
    const decision = this.ctx.scheduler.schedule(state);
    for (const a of decision.allocations) {
      const entry = this.appEntries.get(applicationIdOfAttempt(a.attemptId) ?? '');
      const attempt = entry?.attempt.attemptId === a.attemptId ? entry.attempt : undefined;
      const node = this.ctx.nodes.get(a.nodeId);
      if (!attempt || !node || attempt.isFinal) continue;
      const container = new RmContainer(this.ctx, {
        id: attempt.newContainerId(),
        attempt,
        nodeId: node.nodeId,
        nodeHttpAddress: node.httpAddress,
        resource: a.capability,
        priority: a.priority,
        allocationRequestId: a.allocationRequestId,
        isAm: a.isAm,
        resourceName: a.resourceName,
      });
      this.ctx.events.dispatch(() => container.handle({ type: 'START' }));
      if (a.isAm) this.ctx.events.dispatch(() => attempt.handle({ type: 'CONTAINER_ALLOCATED', container }));
      else attempt.allocationMade({ ...a });
      this.staleApps.add(attempt.app.appId);
    }
    if (decision.allocations.length > 0) this.cached = undefined;
    this.waitingSource.waiting = decision.waiting;
    this.waitingSource.passes++;
    return state;
  }
}
