import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { formatQueueReport, type QueueReport, type ResourceFigure } from './format.ts';

type QueueNode = Record<string, unknown> & { queueName?: string; queues?: { queue?: QueueNode[] | QueueNode } | null };

function children(q: QueueNode): QueueNode[] {
  const list = q.queues?.queue;
  return list === undefined ? [] : Array.isArray(list) ? list : [list];
}

/** Every queue of the scheduler info tree with its full path, parents before children. */
export function allQueues(root: QueueNode): { q: QueueNode; path: string }[] {
  const out: { q: QueueNode; path: string }[] = [];
  const walk = (q: QueueNode, path: string): void => {
    out.push({ q, path });
    for (const c of children(q)) walk(c, `${path}.${String(c.queueName)}`);
  };
  walk(root, String(root.queueName ?? 'root'));
  return out;
}

/** Finds a queue by leaf name or full path (`root.a.b`) in the scheduler info tree. */
export function findQueue(root: QueueNode, name: string): QueueNode | undefined {
  return allQueues(root).find(({ q, path }) => q.queueName === name || path === name || q.queuePath === name)?.q;
}

const str = (v: unknown, d: string): string => (typeof v === 'string' ? v : d);
const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const figure = (v: unknown): ResourceFigure | undefined => {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  return { memory: num(r.memory), vCores: num(r.vCores) };
};

/** A CapacityScheduler queue object of `/ws/v1/cluster/scheduler` as `yarn queue -status` reports it. */
export function capacityQueueReport(q: QueueNode): QueueReport {
  const limit = figure(q.AMResourceLimit);
  const used = figure(q.usedAMResource);
  return {
    queueName: String(q.queueName),
    state: str(q.state, 'RUNNING'),
    capacity: num(q.capacity, 100),
    usedCapacity: num(q.usedCapacity),
    maxCapacity: num(q.maxCapacity, 100),
    ...(typeof q.preemptionDisabled === 'boolean' ? { preemptionDisabled: q.preemptionDisabled } : {}),
    ...(limit && used ? { am: { limit, used, configuredPercent: num(q.configuredMaxAMResourceLimit) * 100 } } : {}),
  };
}

/**
 * `weft queue status [queue]` = `yarn queue -status <queue>`; without a queue, every queue
 * (as `yarn queue -list` does), parents before their children.
 */
export async function queueStatus(ctx: CliContext, queueName: string | undefined): Promise<number> {
  const { scheduler } = await ctx.rm.scheduler({ params: undefined, body: undefined });
  const info = scheduler.schedulerInfo as QueueNode & { type: string };
  let found: { raw: unknown; report: QueueReport }[];
  if (info.type === 'fifoScheduler') {
    // FIFO has one queue, `default`, and reports fractions of the whole cluster.
    const report = { queueName: 'default', state: str(info.qstate, 'RUNNING'), capacity: num(info.capacity, 1) * 100, usedCapacity: num(info.usedCapacity) * 100, maxCapacity: 100 };
    found = queueName === undefined || queueName === 'default' ? [{ raw: info, report }] : [];
  } else if (queueName === undefined) {
    found = allQueues(info).map(({ q }) => ({ raw: q, report: capacityQueueReport(q) }));
  } else {
    const q = findQueue(info, queueName);
    found = q ? [{ raw: q, report: capacityQueueReport(q) }] : [];
  }
  if (found.length === 0) throw new CliError(`Cannot get queue from RM by queueName = ${queueName ?? ''}, please check.`);
  if (ctx.json) printJson(ctx, queueName === undefined ? found.map((f) => f.raw) : found[0]!.raw);
  else ctx.out(found.map((f) => formatQueueReport(f.report)).join(''));
  return 0;
}
