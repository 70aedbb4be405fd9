import type { Resource } from '../../protocol/records.ts';
import { defaultResourceCalculator, type ResourceCalculator } from '../resource-calculator.ts';
import type { Scheduler, SchedulerState, SchedulingDecision, SubmitCheck } from '../scheduler.ts';
import { CapacityPass } from './capacity-pass.ts';
import { allQueues, buildQueueTree, QueueState, type CapacityQueue } from './capacity-queue.ts';
import { capacitySchedulerInfo } from './capacity-scheduler-info.ts';
import { aclAllows } from './queue-acl.ts';
import { ClusterUsage } from './queue-usage.ts';

export interface CapacitySchedulerOptions {
  /** `yarn.scheduler.capacity.*` properties; empty gives one leaf `root.default` at 100%. */
  readonly conf: ReadonlyMap<string, string>;
  /** `yarn.acl.enable`: queue ACLs are only enforced when true. */
  readonly aclEnable: boolean;
  readonly minimumAllocation: Resource;
  readonly maximumAllocation: Resource;
  readonly resourceCalculator?: ResourceCalculator;
  /** Group membership for group entries of ACLs; weft has no group mapping by default. */
  readonly groupsOf?: (user: string) => readonly string[];
  /** Called after every allocation a pass makes (benchmark instrumentation). */
  readonly onAllocation?: () => void;
}

export class CapacityScheduler implements Scheduler {
  readonly type = 'capacityScheduler' as const;
  readonly root: CapacityQueue;
  readonly calc: ResourceCalculator;
  private readonly opts: CapacitySchedulerOptions;
  private readonly byPath = new Map<string, CapacityQueue>();
  private readonly byName = new Map<string, CapacityQueue[]>();
  // The first-fit cursor carries over between passes so that load spreads over nodes even when
  // each pass places only a few containers.
  private cursor = 0;
  // Headroom and schedulerInfo only read usage, and the RM asks for it on every allocate of an
  // unchanged snapshot: keep the last one (a pass charges its own copy, never this one).
  private readUsage: { state: SchedulerState; usage: ClusterUsage } | undefined;

  constructor(opts: CapacitySchedulerOptions) {
    this.opts = opts;
    this.calc = opts.resourceCalculator ?? defaultResourceCalculator;
    this.root = buildQueueTree(opts.conf);
    for (const q of allQueues(this.root)) {
      this.byPath.set(q.path, q);
      const same = this.byName.get(q.name);
      if (same) same.push(q);
      else this.byName.set(q.name, [q]);
    }
  }

  /** A queue by full path or, when unambiguous, by its short name. */
  resolve(name: string): { queue?: CapacityQueue; ambiguous?: readonly CapacityQueue[] } {
    const byPath = this.byPath.get(name);
    if (byPath) return { queue: byPath };
    const named = this.byName.get(name) ?? [];
    if (named.length > 1) return { ambiguous: named };
    return named[0] ? { queue: named[0] } : {};
  }

  leafQueues(): readonly string[] {
    return [...this.byPath.values()].filter((q) => q.isLeaf).map((q) => q.path);
  }

  checkSubmit(queueName: string | undefined, user: string, runningAppsInQueue: number, appId?: string): SubmitCheck {
    const name = queueName?.trim() || 'default';
    const app = appId ? `Application ${appId}` : 'Application';
    const appRef = appId ?? 'application';
    const { queue, ambiguous } = this.resolve(name);
    if (ambiguous) {
      return {
        ok: false,
        diagnostics: `${app} submitted to a queue name (${name}) which is ambiguous; use the full queue path: ${ambiguous.map((q) => q.path).join(', ')}`,
      };
    }
    if (!queue) {
      return { ok: false, diagnostics: `${app} submitted by user ${user} to unknown queue: ${name} (leaf queues: ${this.leafQueues().join(', ')})` };
    }
    if (!queue.isLeaf) {
      return { ok: false, diagnostics: `${app} submitted by user ${user} to non-leaf queue: ${name} (submit to one of its leaves: ${leavesUnder(queue).join(', ')})` };
    }
    if (queue.state === QueueState.STOPPED) {
      return { ok: false, diagnostics: `Queue ${queue.path} is STOPPED. Cannot accept submission of application: ${appRef}` };
    }
    if (this.opts.aclEnable && !this.hasAccess(queue, user, 'submit')) {
      return { ok: false, diagnostics: `User ${user} does not have permission to submit ${appRef} to queue ${queue.path}` };
    }
    if (runningAppsInQueue >= queue.maxApplications) {
      return {
        ok: false,
        diagnostics: `Queue ${queue.path} already has ${runningAppsInQueue} applications, cannot accept submission of application: ${appRef}`,
      };
    }
    return { ok: true, queue: this.displayName(queue) };
  }

  canAdminister(queueName: string, user: string): boolean {
    if (!this.opts.aclEnable) return true;
    const { queue } = this.resolve(queueName);
    return queue !== undefined && this.hasAccess(queue, user, 'administer');
  }

  schedule(state: SchedulerState): SchedulingDecision {
    const pass = new CapacityPass(this.usage(state), state, {
      calc: this.calc,
      minimumAllocation: this.opts.minimumAllocation,
      cursor: this.cursor,
      ...(this.opts.onAllocation ? { onAllocation: this.opts.onAllocation } : {}),
    });
    const decision = pass.run();
    this.cursor = pass.cursor;
    return decision;
  }

  /** min(queue room under maximum capacity (and its parents'), user limit − user used, cluster free), ≥ 0. */
  headroom(state: SchedulerState, attemptId: string): Resource {
    const usage = this.usageOf(state);
    const entry = usage.byAttempt.get(attemptId);
    if (!entry) return { memory: 0, vCores: 0 };
    let memory = usage.available.memory;
    let vCores = usage.available.vCores;
    for (let q: typeof entry.leaf | undefined = entry.leaf; q; q = q.parent) {
      memory = Math.min(memory, q.max.memory - q.used.memory);
      vCores = Math.min(vCores, q.max.vCores - q.used.vCores);
    }
    const limit = entry.leaf.userLimit(this.calc, { memory: 0, vCores: 0 }, this.opts.minimumAllocation);
    memory = Math.min(memory, limit.memory - entry.user.used.memory);
    vCores = Math.min(vCores, limit.vCores - entry.user.used.vCores);
    return { memory: Math.max(0, Math.floor(memory)), vCores: Math.max(0, Math.floor(vCores)) };
  }

  schedulerInfo(state: SchedulerState): Record<string, unknown> {
    return capacitySchedulerInfo(this.usageOf(state), this.calc, this.opts.minimumAllocation);
  }

  private usageOf(state: SchedulerState): ClusterUsage {
    if (this.readUsage?.state !== state) this.readUsage = { state, usage: this.usage(state) };
    return this.readUsage.usage;
  }

  private usage(state: SchedulerState): ClusterUsage {
    return new ClusterUsage(this.root, state, (name) => {
      const q = this.resolve(name).queue;
      return q?.isLeaf ? q : undefined;
    });
  }

  /** AbstractCSQueue.hasAccess: allowed on the queue or any ancestor; administer implies submit. */
  private hasAccess(queue: CapacityQueue, user: string, what: 'submit' | 'administer'): boolean {
    const groups = this.opts.groupsOf?.(user) ?? [];
    for (let q: CapacityQueue | undefined = queue; q; q = q.parent) {
      if (aclAllows(q.adminAcl, user, groups)) return true;
      if (what === 'submit' && aclAllows(q.submitAcl, user, groups)) return true;
    }
    return false;
  }

  /** The short name, unless another queue shares it. */
  private displayName(queue: CapacityQueue): string {
    return (this.byName.get(queue.name)?.length ?? 0) > 1 ? queue.path : queue.name;
  }
}

function leavesUnder(queue: CapacityQueue): string[] {
  return queue.isLeaf ? [queue.path] : queue.children.flatMap(leavesUnder);
}
