import { z } from 'zod';
import { currentExecutions, type ExecutionGraphInfo } from '../executiongraph/archived-execution-graph.ts';
import type { PendingResources, ResourceManagerGateway } from '../protocol/resource-manager-gateway.ts';

/**
 * Why a job's tasks wait for slots, while they do: the `waiting-for-resources` field weft adds to
 * `GET /jobs/:jobid` and `GET /jobs/:jobid/exceptions` (null when nothing waits). Flink itself
 * only tells after `slot.request.timeout` (5 min), with a NoResourceAvailableException; the name
 * follows its adaptive scheduler's WaitingForResources state. Fields are kebab-case as Flink's.
 */
export const JobResourceWaitInfo = z.object({
  /** When the longest-waiting task started to wait (entered SCHEDULED), epoch ms. */
  since: z.number(),
  /** Subtasks in SCHEDULED, waiting for their slot. */
  'waiting-tasks': z.number(),
  'required-slots': z.number(),
  'acquired-slots': z.number(),
  /** Free slots of registered TaskManagers, any job's. */
  'available-slots': z.number(),
  /** TaskManager containers asked of YARN and not allocated yet. */
  'requested-taskmanagers': z.number(),
  /** Since when the oldest of them waits, epoch ms. */
  'requested-since': z.number().optional(),
  /** TaskManagers whose container is allocated and that have not registered yet. */
  'starting-taskmanagers': z.number(),
  /** One TaskManager container. */
  'taskmanager-resource': z.object({ memory: z.number(), vCores: z.number(), slots: z.number() }),
  /** The YARN ResourceManager's diagnostics for the pending container requests. */
  'yarn-diagnostics': z.string().optional(),
  /** The latest TaskManager request or start that failed since the wait began. */
  'last-failure': z.object({ message: z.string(), timestamp: z.number() }).optional(),
  /** Starting TaskManagers is paused until then after too many failures. */
  'paused-until': z.number().optional(),
  /** All of the above in one line, for the dashboard and the CLI (no clock in it: it changes only when the facts do). */
  reason: z.string(),
});
export type JobResourceWaitInfo = z.infer<typeof JobResourceWaitInfo>;

export function jobResourceWait(info: ExecutionGraphInfo, rm: ResourceManagerGateway): JobResourceWaitInfo | null {
  const graph = info.archivedExecutionGraph;
  if (graph.status !== 'RUNNING') return null;
  const waiting = currentExecutions(graph).filter((e) => e.state === 'SCHEDULED');
  if (waiting.length === 0) return null;
  const since = Math.min(...waiting.map((e) => e.stateTimestamps.SCHEDULED ?? Number.MAX_SAFE_INTEGER));
  const available = rm.taskManagers().reduce((n, tm) => n + tm.freeSlots, 0);
  return describeResourceWait({
    since,
    waitingTasks: waiting.length,
    requiredSlots: info.slots.required,
    acquiredSlots: info.slots.acquired,
    availableSlots: available,
    pending: rm.pendingResources(),
  });
}

export interface ResourceWaitFacts {
  readonly since: number;
  readonly waitingTasks: number;
  readonly requiredSlots: number;
  readonly acquiredSlots: number;
  readonly availableSlots: number;
  readonly pending: PendingResources;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The REST object and its one-line reason, from the job's and the Flink RM's facts. */
export function describeResourceWait(f: ResourceWaitFacts): JobResourceWaitInfo {
  const p = f.pending;
  const resource = { memory: p.workerResource.memoryMb, vCores: p.workerResource.cpuCores, slots: p.workerResource.numberOfSlots };
  const failure = p.lastFailure && p.lastFailure.timestamp >= f.since ? p.lastFailure : undefined;
  const parts = [`Waiting for slots: ${f.acquiredSlots} of ${f.requiredSlots} acquired, ${plural(f.availableSlots, 'free slot')} in the cluster.`];
  if (p.requestedWorkers > 0) {
    parts.push(
      `${plural(p.requestedWorkers, 'TaskManager container')} <memory:${resource.memory}, vCores:${resource.vCores}> (${plural(resource.slots, 'slot')} each) ` +
        `requested from YARN, not allocated yet.`,
    );
    if (p.providerDiagnostics) parts.push(`YARN: ${p.providerDiagnostics}`);
  }
  if (p.startingWorkers > 0) parts.push(`${plural(p.startingWorkers, 'TaskManager')} starting (container allocated, not registered yet).`);
  if (p.pausedUntil !== undefined) parts.push('Starting TaskManagers is paused after too many failures (resourcemanager.start-worker.max-failure-rate).');
  if (failure) parts.push(`Last TaskManager failure: ${failure.message}`);
  if (p.requestedWorkers === 0 && p.startingWorkers === 0 && p.pausedUntil === undefined) {
    parts.push(f.availableSlots > 0 ? 'Free slots are being offered to the job.' : 'No TaskManager is being requested.');
  }
  return {
    since: f.since,
    'waiting-tasks': f.waitingTasks,
    'required-slots': f.requiredSlots,
    'acquired-slots': f.acquiredSlots,
    'available-slots': f.availableSlots,
    'requested-taskmanagers': p.requestedWorkers,
    ...(p.requestedSince !== undefined ? { 'requested-since': p.requestedSince } : {}),
    'starting-taskmanagers': p.startingWorkers,
    'taskmanager-resource': resource,
    ...(p.providerDiagnostics && p.requestedWorkers > 0 ? { 'yarn-diagnostics': p.providerDiagnostics } : {}),
    ...(failure ? { 'last-failure': { message: failure.message, timestamp: failure.timestamp } } : {}),
    ...(p.pausedUntil !== undefined ? { 'paused-until': p.pausedUntil } : {}),
    reason: parts.join(' '),
  };
}
