import type { Resource } from '../protocol/records.ts';
import type { RmContext } from '../rm-context.ts';

/** What QueueMetrics reports for one queue at one moment. */
export interface QueueFigures {
  appsRunning: number;
  appsPending: number;
  allocatedMB: number;
  allocatedVCores: number;
  allocatedContainers: number;
  pendingMB: number;
  pendingVCores: number;
  pendingContainers: number;
  availableMB: number;
  availableVCores: number;
}

interface QueueNode {
  readonly path: string;
  /** Fraction of the cluster this queue may use at most (1 for root). */
  readonly absoluteMaxCapacity: number;
}

const PENDING = new Set(['NEW', 'NEW_SAVING', 'SUBMITTED', 'ACCEPTED']);

/**
 * The queue paths the scheduler reports in `GET /ws/v1/cluster/scheduler` (root, parents and
 * leaves for the CapacityScheduler; `root.default` for the FifoScheduler), read from that REST
 * record so this module needs nothing of the schedulers' internals.
 */
export function queueTree(info: Record<string, unknown>): QueueNode[] {
  const si = (info as { scheduler?: { schedulerInfo?: SchedulerInfoQueue & { type?: string } } }).scheduler?.schedulerInfo;
  const out: QueueNode[] = [{ path: 'root', absoluteMaxCapacity: 1 }];
  if (si?.type !== 'capacityScheduler') {
    out.push({ path: 'root.default', absoluteMaxCapacity: 1 });
    return out;
  }
  const walk = (queues: SchedulerInfoQueue['queues']): void => {
    for (const q of queues?.queue ?? []) {
      if (typeof q.queuePath === 'string') out.push({ path: q.queuePath, absoluteMaxCapacity: (q.absoluteMaxCapacity ?? 100) / 100 });
      walk(q.queues);
    }
  };
  walk(si.queues);
  return out;
}

interface SchedulerInfoQueue {
  readonly queuePath?: string;
  readonly absoluteMaxCapacity?: number;
  readonly queues?: { readonly queue?: readonly SchedulerInfoQueue[] };
}

/** The full path of the leaf an application runs in (`RmApp.queue` may be a short name). */
export function leafPath(queue: string, leaves: readonly string[]): string {
  if (queue === 'root' || queue.startsWith('root.')) return queue;
  const full = leaves.find((l) => l === queue) ?? leaves.find((l) => l.endsWith(`.${queue}`));
  return full && full.startsWith('root') ? full : `root.${queue}`;
}

const within = (leaf: string, queue: string): boolean => leaf === queue || leaf.startsWith(`${queue}.`);

/**
 * QueueMetrics of every queue from the RM's live state: a parent's figures are the sum of its
 * leaves', as in YARN where each leaf's QueueMetrics passes its changes to its parent.
 */
export function queueFigures(ctx: RmContext, queues: readonly QueueNode[], total: Resource): Map<string, QueueFigures> {
  const leaves = ctx.scheduler.leafQueues();
  const byQueue = new Map<string, QueueFigures>();
  for (const q of queues) {
    byQueue.set(q.path, { appsRunning: 0, appsPending: 0, allocatedMB: 0, allocatedVCores: 0, allocatedContainers: 0, pendingMB: 0, pendingVCores: 0, pendingContainers: 0, availableMB: 0, availableVCores: 0 });
  }
  const add = (leaf: string, f: (fig: QueueFigures) => void): void => {
    for (const q of queues) if (within(leaf, q.path)) f(byQueue.get(q.path) as QueueFigures);
  };
  for (const app of ctx.apps.values()) {
    const leaf = leafPath(app.queue, leaves);
    const state = app.publicState;
    if (state === 'RUNNING') add(leaf, (f) => f.appsRunning++);
    else if (PENDING.has(state)) add(leaf, (f) => f.appsPending++);
    if (app.isFinal) continue;
    for (const r of app.currentAttempt?.pendingResourceRequests() ?? []) {
      if (r.resourceName !== '*' || r.numContainers <= 0) continue;
      add(leaf, (f) => {
        f.pendingContainers += r.numContainers;
        f.pendingMB += r.capability.memory * r.numContainers;
        f.pendingVCores += r.capability.vCores * r.numContainers;
      });
    }
  }
  for (const c of ctx.containers.values()) {
    if (c.isFinal) continue;
    add(leafPath(c.attempt.app.queue, leaves), (f) => {
      f.allocatedContainers++;
      f.allocatedMB += c.resource.memory;
      f.allocatedVCores += c.resource.vCores;
    });
  }
  // What the queue could still take: its maximum share of the cluster less what it holds, and
  // never more than the cluster has free.
  const root = byQueue.get('root') as QueueFigures;
  const freeMB = Math.max(0, total.memory - root.allocatedMB);
  const freeVCores = Math.max(0, total.vCores - root.allocatedVCores);
  for (const q of queues) {
    const f = byQueue.get(q.path) as QueueFigures;
    f.availableMB = Math.min(freeMB, Math.max(0, Math.floor(total.memory * q.absoluteMaxCapacity) - f.allocatedMB));
    f.availableVCores = Math.min(freeVCores, Math.max(0, Math.floor(total.vCores * q.absoluteMaxCapacity) - f.allocatedVCores));
  }
  return byQueue;
}
