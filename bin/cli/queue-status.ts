import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { formatQueueReport, type QueueReport } from './format.ts';

type QueueNode = Record<string, unknown> & { queueName?: string; queues?: { queue?: QueueNode[] | QueueNode } | null };

function children(q: QueueNode): QueueNode[] {
  const list = q.queues?.queue;
  return list === undefined ? [] : Array.isArray(list) ? list : [list];
}

/** Finds a queue by leaf name or full path (`root.a.b`) in the scheduler info tree. */
export function findQueue(root: QueueNode, name: string): QueueNode | undefined {
  const stack: { q: QueueNode; path: string }[] = [{ q: root, path: String(root.queueName ?? 'root') }];
  while (stack.length > 0) {
    const { q, path } = stack.pop()!;
    if (q.queueName === name || path === name || q.queuePath === name) return q;
    for (const c of children(q)) stack.push({ q: c, path: `${path}.${String(c.queueName)}` });
  }
  return undefined;
}

const str = (v: unknown, d: string): string => (typeof v === 'string' ? v : d);
const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);

/** `weft queue status <queue>` = `yarn queue -status`. */
export async function queueStatus(ctx: CliContext, queueName: string): Promise<number> {
  const { scheduler } = await ctx.rm.scheduler({ params: undefined, body: undefined });
  const info = scheduler.schedulerInfo as QueueNode & { type: string };
  let report: QueueReport | undefined;
  let raw: unknown;
  if (info.type === 'fifoScheduler') {
    if (queueName === 'default') {
      raw = info;
      // FIFO reports fractions of the whole cluster.
      report = { queueName, state: str(info.qstate, 'RUNNING'), capacity: num(info.capacity, 1) * 100, usedCapacity: num(info.usedCapacity) * 100, maxCapacity: 100 };
    }
  } else {
    const q = findQueue(info, queueName);
    if (q) {
      raw = q;
      report = {
        queueName: String(q.queueName),
        state: str(q.state, 'RUNNING'),
        capacity: num(q.capacity),
        usedCapacity: num(q.usedCapacity),
        maxCapacity: num(q.maxCapacity, 100),
        ...(typeof q.preemptionDisabled === 'boolean' ? { preemptionDisabled: q.preemptionDisabled } : {}),
      };
    }
  }
  if (!report) throw new CliError(`Cannot get queue from RM by queueName = ${queueName}, please check.`);
  if (ctx.json) printJson(ctx, raw);
  else ctx.out(formatQueueReport(report));
  return 0;
}
