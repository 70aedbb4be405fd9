import type { Resource } from '../protocol/records.ts';

/**
 * The scheduler is a pure policy: it reads a snapshot of nodes, applications and their asks and
 * returns a decision; the RM applies it (creates containers, lowers asks, charges nodes and
 * queues). This keeps FIFO and Capacity unit-testable as functions and fast enough to benchmark.
 */
export interface SchedulerNode {
  readonly nodeId: string;
  readonly host: string;
  readonly rack: string;
  readonly total: Resource;
  /** What is free right now (total minus running and allocated containers). */
  readonly available: Resource;
}

/** One outstanding ResourceRequest of an application, already normalised. */
export interface SchedulerAsk {
  readonly priority: number;
  readonly allocationRequestId: number;
  /** `*`, a rack, or a host. */
  readonly resourceName: string;
  readonly capability: Resource;
  readonly numContainers: number;
  readonly relaxLocality: boolean;
}

export interface SchedulerApp {
  readonly appId: string;
  readonly attemptId: string;
  readonly queue: string;
  readonly user: string;
  readonly priority: number;
  readonly submitTime: number;
  /** Set while the attempt waits for its AM container; the scheduler places it under the AM limit. */
  readonly amRequest?: Resource;
  /** Asks of a registered AM (empty while the AM container is pending). */
  readonly asks: readonly SchedulerAsk[];
  /** Everything allocated to the app now, AM container included. */
  readonly used: Resource;
  /** The part of `used` that is AM containers. */
  readonly amUsed: Resource;
  /** Hosts the app blacklisted; nothing is placed on them. */
  readonly blacklist?: ReadonlySet<string>;
  /** Live containers of the app, AM included; only reported (REST `numContainers`). */
  readonly numContainers?: number;
}

export interface SchedulerState {
  /** Only nodes that can take containers (RUNNING). */
  readonly nodes: readonly SchedulerNode[];
  /** In submission order. */
  readonly apps: readonly SchedulerApp[];
}

export interface Allocation {
  readonly attemptId: string;
  readonly nodeId: string;
  readonly capability: Resource;
  readonly priority: number;
  readonly allocationRequestId: number;
  /** The resourceName of the ask this allocation satisfies (the RM lowers that ask). */
  readonly resourceName: string;
  readonly isAm: boolean;
}

export interface SchedulingDecision {
  readonly allocations: readonly Allocation[];
  /**
   * For each app that still wants something after this pass, why it waits, in YARN's words
   * (e.g. "Application is added to the scheduler and is not yet activated. Queue's AM resource
   * limit exceeded. ..."). Keyed by appId. Shown in the app's `diagnostics` while ACCEPTED.
   */
  readonly waiting: ReadonlyMap<string, string>;
}

/** Why a submission is refused; the RM rejects the app with this as its diagnostic. */
export type SubmitCheck = { ok: true; queue: string } | { ok: false; diagnostics: string };

export interface Scheduler {
  /** `capacityScheduler` or `fifoScheduler`, as in REST `schedulerInfo.type`. */
  readonly type: 'capacityScheduler' | 'fifoScheduler';
  /** Checks queue existence, leaf-ness, state and `acl_submit_applications` for `user`. */
  checkSubmit(queue: string | undefined, user: string, runningAppsInQueue: number, appId?: string): SubmitCheck;
  /** Whether `user` may administer (e.g. kill apps in) `queue` (`acl_administer_queue`). */
  canAdminister(queue: string, user: string): boolean;
  schedule(state: SchedulerState): SchedulingDecision;
  /** What `app` may still get (AllocateResponse.limit). */
  headroom(state: SchedulerState, attemptId: string): Resource;
  /** The `{"scheduler":{"schedulerInfo":...}}` payload of `GET /ws/v1/cluster/scheduler`. */
  schedulerInfo(state: SchedulerState): Record<string, unknown>;
  /** Names of all leaf queues (full paths and short names are both accepted elsewhere). */
  leafQueues(): readonly string[];
}
