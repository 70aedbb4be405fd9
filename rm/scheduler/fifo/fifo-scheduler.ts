import type { Resource } from '../../protocol/records.ts';
import { AppDemand, compareAppsFifo } from '../app-demand.ts';
import { NodePool } from '../node-pool.ts';
import { defaultResourceCalculator, type ResourceCalculator } from '../resource-calculator.ts';
import type { Allocation, Scheduler, SchedulerState, SchedulingDecision, SubmitCheck } from '../scheduler.ts';
import { AM_WAITING, NOT_ACTIVATED, clusterEmpty, noNodeFits } from '../waiting-reasons.ts';

export interface FifoSchedulerOptions {
  readonly minimumAllocation: Resource;
  readonly maximumAllocation: Resource;
  readonly resourceCalculator?: ResourceCalculator;
}

const QUEUE = 'default';

/**
 * YARN's FifoScheduler: one queue, applications served strictly in order (priority, then
 * submission), each taking all it can before the next gets anything; no AM or user limits.
 */
export class FifoScheduler implements Scheduler {
  readonly type = 'fifoScheduler' as const;
  private readonly opts: FifoSchedulerOptions;
  private readonly calc: ResourceCalculator;
  private cursor = 0;

  constructor(opts: FifoSchedulerOptions) {
    this.opts = opts;
    this.calc = opts.resourceCalculator ?? defaultResourceCalculator;
  }

  leafQueues(): readonly string[] {
    return [QUEUE];
  }

  // FifoScheduler has no queues to check: every submission lands in `default`.
  checkSubmit(_queue: string | undefined, _user: string, _running: number, _appId?: string): SubmitCheck {
    return { ok: true, queue: QUEUE };
  }

  canAdminister(_queue: string, _user: string): boolean {
    return true;
  }

  schedule(state: SchedulerState): SchedulingDecision {
    const pool = new NodePool(state.nodes, this.calc, this.cursor);
    const allocations: Allocation[] = [];
    const waiting = new Map<string, string>();
    for (const app of [...state.apps].sort(compareAppsFifo)) {
      const demand = new AppDemand(app);
      if (!demand.wantsMore) continue;
      if (demand.amPending) {
        const request = app.amRequest as Resource;
        if (pool.count === 0) {
          waiting.set(app.appId, `${NOT_ACTIVATED} ${clusterEmpty()}`);
          continue;
        }
        const node = pool.findAny(request.memory, request.vCores, app.blacklist);
        if (node < 0) {
          waiting.set(app.appId, `${AM_WAITING} ${noNodeFits(request, pool.largestFree(), pool.largestNode(), pool.anyNodeCanHold(request))}`);
          continue;
        }
        pool.take(node, request.memory, request.vCores);
        allocations.push({ attemptId: app.attemptId, nodeId: pool.nodeAt(node).nodeId, capability: request, priority: 0, allocationRequestId: 0, resourceName: '*', isAm: true });
        continue;
      }
      for (const key of demand.keys) {
        while (key.outstanding > 0) {
          const node = key.place(pool, app.blacklist);
          if (node < 0) break;
          const resourceName = key.placedResourceName;
          pool.take(node, key.capability.memory, key.capability.vCores);
          key.allocated(resourceName);
          allocations.push({
            attemptId: app.attemptId,
            nodeId: pool.nodeAt(node).nodeId,
            capability: key.capability,
            priority: key.priority,
            allocationRequestId: key.allocationRequestId,
            resourceName,
            isAm: false,
          });
        }
      }
      const left = demand.keys.find((k) => k.outstanding > 0);
      if (left) waiting.set(app.appId, noNodeFits(left.capability, pool.largestFree(), pool.largestNode(), pool.anyNodeCanHold(left.capability)));
    }
    this.cursor = pool.cursor;
    return { allocations, waiting };
  }

  /** What is free in the cluster: FIFO has no queue or user limits. */
  headroom(state: SchedulerState, _attemptId: string): Resource {
    let memory = 0;
    let vCores = 0;
    for (const n of state.nodes) {
      memory += Math.max(0, n.available.memory);
      vCores += Math.max(0, n.available.vCores);
    }
    return { memory, vCores };
  }

  /** FifoSchedulerInfo (reference/yarn.md §1.6); capacities are fractions, usedCapacity NaN on an empty cluster. */
  schedulerInfo(state: SchedulerState): Record<string, unknown> {
    let total = 0;
    let avail = 0;
    for (const n of state.nodes) {
      total += n.total.memory;
      avail += Math.max(0, n.available.memory);
    }
    const used = total - avail;
    const numContainers = state.apps.reduce((s, a) => s + (a.numContainers ?? 0), 0);
    return {
      scheduler: {
        schedulerInfo: {
          type: 'fifoScheduler',
          capacity: 1,
          usedCapacity: total > 0 ? used / total : 'NaN',
          qstate: 'RUNNING',
          minQueueMemoryCapacity: this.opts.minimumAllocation.memory,
          maxQueueMemoryCapacity: this.opts.maximumAllocation.memory,
          numNodes: state.nodes.length,
          usedNodeCapacity: used,
          availNodeCapacity: avail,
          totalNodeCapacity: total,
          numContainers,
        },
      },
    };
  }
}
