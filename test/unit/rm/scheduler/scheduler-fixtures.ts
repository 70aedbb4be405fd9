import type { Resource } from '../../../../rm/protocol/records.ts';
import { CapacityScheduler } from '../../../../rm/scheduler/capacity/capacity-scheduler.ts';
import type { Allocation, Scheduler, SchedulerApp, SchedulerAsk, SchedulerNode, SchedulerState } from '../../../../rm/scheduler/scheduler.ts';

export const MIN: Resource = { memory: 1024, vCores: 1 };
export const MAX: Resource = { memory: 8192, vCores: 32 };
export const res = (memory: number, vCores = 1): Resource => ({ memory, vCores });

export function node(id: string, memory = 8192, vCores = 8, rack = '/default-rack'): SchedulerNode {
  return { nodeId: `${id}:45454`, host: id, rack, total: res(memory, vCores), available: res(memory, vCores) };
}

export function nodes(n: number, memory = 8192, vCores = 8): SchedulerNode[] {
  return Array.from({ length: n }, (_, i) => node(`h${i}`, memory, vCores));
}

export function ask(numContainers: number, memory = 1024, extra: Partial<SchedulerAsk> = {}): SchedulerAsk {
  return { priority: 1, allocationRequestId: 0, resourceName: '*', capability: res(memory), numContainers, relaxLocality: true, ...extra };
}

let seq = 0;
/** A running app (AM already placed) asking for `asks`, or, with `amRequest`, an app waiting for its AM. */
export function app(p: Partial<SchedulerApp> & { queue?: string; user?: string }): SchedulerApp {
  seq++;
  const appId = p.appId ?? `application_1_${String(seq).padStart(4, '0')}`;
  return {
    appId,
    attemptId: p.attemptId ?? `appattempt_${appId.slice('application_'.length)}_000001`,
    queue: p.queue ?? 'default',
    user: p.user ?? 'alice',
    priority: p.priority ?? 0,
    submitTime: p.submitTime ?? seq,
    asks: p.asks ?? [],
    used: p.used ?? res(0, 0),
    amUsed: p.amUsed ?? res(0, 0),
    ...(p.amRequest ? { amRequest: p.amRequest } : {}),
    ...(p.blacklist ? { blacklist: p.blacklist } : {}),
  };
}

export function capacity(conf: Record<string, string | number> = {}, aclEnable = false): CapacityScheduler {
  const map = new Map(Object.entries(conf).map(([k, v]) => [k.startsWith('yarn.') ? k : `yarn.scheduler.capacity.${k}`, String(v)]));
  return new CapacityScheduler({ conf: map, aclEnable, minimumAllocation: MIN, maximumAllocation: MAX });
}

/** Does what the RM does with a decision: charges nodes and apps, places AMs, lowers asks. */
export function apply(state: SchedulerState, allocations: readonly Allocation[], afterAm: ReadonlyMap<string, readonly SchedulerAsk[]> = new Map()): SchedulerState {
  const nodesById = new Map(state.nodes.map((n) => [n.nodeId, { ...n, available: { ...n.available } }]));
  const apps = new Map(state.apps.map((a) => [a.attemptId, { ...a, used: { ...a.used }, amUsed: { ...a.amUsed }, asks: a.asks.map((x) => ({ ...x })) }]));
  for (const al of allocations) {
    const n = nodesById.get(al.nodeId);
    const a = apps.get(al.attemptId);
    if (!n || !a) throw new Error(`allocation to unknown node or attempt: ${JSON.stringify(al)}`);
    n.available.memory -= al.capability.memory;
    n.available.vCores -= al.capability.vCores;
    a.used.memory += al.capability.memory;
    a.used.vCores += al.capability.vCores;
    if (al.isAm) {
      a.amUsed.memory += al.capability.memory;
      a.amUsed.vCores += al.capability.vCores;
      delete (a as { amRequest?: Resource }).amRequest;
      a.asks = (afterAm.get(a.appId) ?? []).map((x) => ({ ...x }));
      continue;
    }
    for (const x of a.asks) {
      if (x.priority === al.priority && x.allocationRequestId === al.allocationRequestId && (x.resourceName === al.resourceName || x.resourceName === '*')) {
        (x as { numContainers: number }).numContainers--;
      }
    }
  }
  return { nodes: [...nodesById.values()], apps: [...apps.values()] };
}

/** Schedules and applies until a pass places nothing; returns the final state and all allocations. */
export function settle(s: Scheduler, state: SchedulerState, afterAm?: ReadonlyMap<string, readonly SchedulerAsk[]>): { state: SchedulerState; allocations: Allocation[]; waiting: ReadonlyMap<string, string> } {
  const all: Allocation[] = [];
  let current = state;
  for (let i = 0; i < 100; i++) {
    const d = s.schedule(current);
    current = apply(current, d.allocations, afterAm);
    all.push(...d.allocations);
    if (d.allocations.length === 0) return { state: current, allocations: all, waiting: d.waiting };
  }
  throw new Error('scheduler did not settle in 100 passes');
}

export function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}
