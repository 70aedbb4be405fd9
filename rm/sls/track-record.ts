import { getHeapStatistics } from 'node:v8';
import type { Resource } from '../protocol/records.ts';
import type { ClusterTracker } from './cluster-tracker.ts';
import type { OperationTimes } from './scheduler-metrics.ts';

/**
 * One line of realtimetrack.json: SLSWebApp.generateRealTimeTrackingMetrics's keys and units
 * (memory in GB, operation costs in ms, throughputs per second), plus weft's
 * `simulated.time` (seconds since the simulation start), `queue.<q>.pending.memory|vcores` and
 * `scheduler.pass.timecost`. `time` is the RM's clock, which in the simulator is virtual.
 */
export type TrackRecord = Record<string, number>;

const GB = 1024;
const BYTES_PER_GB = 1024 ** 3;

export interface TrackInput {
  readonly now: number;
  readonly simulatedMs: number;
  readonly tracker: ClusterTracker;
  readonly total: Resource;
  readonly pending: ReadonlyMap<string, Resource>;
  readonly times: ReturnType<OperationTimes['drain']>;
  /** Seconds the sample covers, for throughputs. */
  readonly intervalS?: number;
}

export function trackRecord(input: TrackInput): TrackRecord {
  const { tracker, times } = input;
  const heap = getHeapStatistics();
  const available = tracker.available(input.total);
  const interval = input.intervalS ?? 1;
  const r: TrackRecord = {
    time: input.now,
    'simulated.time': input.simulatedMs / 1000,
    'jvm.free.memory': (heap.total_heap_size - heap.used_heap_size) / BYTES_PER_GB,
    'jvm.max.memory': heap.heap_size_limit / BYTES_PER_GB,
    'jvm.total.memory': heap.total_heap_size / BYTES_PER_GB,
    'running.applications': tracker.runningApps.size,
    'running.containers': tracker.runningContainers,
    'cluster.allocated.memory': tracker.allocated.memory / GB,
    'cluster.allocated.vcores': tracker.allocated.vCores,
    'cluster.available.memory': available.memory / GB,
    'cluster.available.vcores': available.vCores,
  };
  for (const [name, q] of tracker.byQueue) {
    r[`queue.${name}.allocated.memory`] = q.memory / GB;
    r[`queue.${name}.allocated.vcores`] = q.vCores;
    const p = input.pending.get(name);
    r[`queue.${name}.pending.memory`] = (p?.memory ?? 0) / GB;
    r[`queue.${name}.pending.vcores`] = p?.vCores ?? 0;
  }
  const m = times.means;
  r['scheduler.allocate.timecost'] = m.allocate;
  r['scheduler.commit.success.timecost'] = times.commitSuccessMs;
  r['scheduler.commit.failure.timecost'] = times.commitFailureMs;
  r['scheduler.commit.success.throughput'] = times.allocations / interval;
  r['scheduler.commit.failure.throughput'] = times.emptyPasses / interval;
  const handled = (['NODE_ADDED', 'NODE_UPDATE', 'APP_ADDED'] as const).map((op) => ({ op, n: times.counts[op], mean: m[op] }));
  const n = handled.reduce((s, h) => s + h.n, 0);
  r['scheduler.handle.timecost'] = n === 0 ? 0 : handled.reduce((s, h) => s + h.n * h.mean, 0) / n;
  for (const h of handled) r[`scheduler.handle-${h.op}.timecost`] = h.mean;
  r['scheduler.pass.timecost'] = m.pass;
  return r;
}
