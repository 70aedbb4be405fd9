import { performance } from 'node:perf_hooks';
import type { Resource } from '../rm/protocol/records.ts';
import { CapacityScheduler } from '../rm/scheduler/capacity/capacity-scheduler.ts';
import type { SchedulerApp, SchedulerNode, SchedulerState } from '../rm/scheduler/scheduler.ts';
import { loadAverage } from './bench-support.ts';
import { simulateRmPath, type RmPathResult } from './scheduler-rm.ts';

/**
 * CapacityScheduler throughput in one process: 1,000 nodes of 8192 MB / 8 vcores, 100 apps in
 * four queues (40/30/20/10), 20,000 containers of 1024 MB in total (each app: its AM, then 199
 * tasks). The cluster holds 8,000 such containers, so, as on a busy cluster, running tasks finish
 * between passes: after each pass the oldest half of the running task containers completes.
 * Each pass is what the RM does: build the snapshot, call schedule(), apply the decision.
 *
 * policy_allocations_per_s: allocations / total time spent inside schedule() — the pure policy
 * only, on this benchmark's own snapshot and apply loops (their times are reported separately).
 * policy_gap_between_allocations_p*: for every allocation, the time since the previous allocation
 * of the same pass (the first counts from the start of schedule(), so it carries the pass's setup);
 * not a decision's latency, which is the pass's.
 *
 * Then the same workload through the whole RM (bench/scheduler-rm.ts): rm_allocations_per_s and
 * scheduling_pass_p50/p99/max, the latency of the RM's scheduling passes.
 */
const NODES = 1000;
const NODE: Resource = { memory: 8192, vCores: 8 };
const CONTAINER: Resource = { memory: 1024, vCores: 1 };
const QUEUES = [
  { name: 'a', capacity: 40, apps: 40 },
  { name: 'b', capacity: 30, apps: 30 },
  { name: 'c', capacity: 20, apps: 20 },
  { name: 'd', capacity: 10, apps: 10 },
] as const;
const TASKS_PER_APP = 199;

interface SimApp {
  readonly appId: string;
  readonly attemptId: string;
  readonly queue: string;
  readonly user: string;
  readonly submitTime: number;
  amPlaced: boolean;
  pendingTasks: number;
  readonly used: Resource;
  readonly amUsed: Resource;
  containers: number;
}

interface Running {
  readonly node: number;
  readonly app: SimApp;
}

interface Result {
  allocations: number;
  passes: number;
  scheduleMs: number;
  snapshotMs: number;
  applyMs: number;
  latenciesUs: Float64Array;
  maxPassMs: number;
}

function simulate(): Result {
  const conf = new Map<string, string>([['yarn.scheduler.capacity.root.queues', QUEUES.map((q) => q.name).join(',')]]);
  for (const q of QUEUES) conf.set(`yarn.scheduler.capacity.root.${q.name}.capacity`, String(q.capacity));

  const latencies = new Float64Array(QUEUES.reduce((s, q) => s + q.apps, 0) * (TASKS_PER_APP + 1));
  let count = 0;
  let last = 0;
  const scheduler = new CapacityScheduler({
    conf,
    aclEnable: false,
    minimumAllocation: { memory: 1024, vCores: 1 },
    maximumAllocation: { memory: 8192, vCores: 8 },
    onAllocation: () => {
      const now = performance.now();
      latencies[count++] = (now - last) * 1000;
      last = now;
    },
  });

  const free = Array.from({ length: NODES }, () => ({ ...NODE }));
  const ids = Array.from({ length: NODES }, (_, i) => `node${String(i).padStart(4, '0')}.example.com`);
  const nodeIndex = new Map(ids.map((id, i) => [`${id}:45454`, i]));
  const apps: SimApp[] = [];
  let n = 0;
  for (const q of QUEUES) {
    for (let i = 0; i < q.apps; i++) {
      n++;
      const appId = `application_1700000000000_${String(n).padStart(4, '0')}`;
      apps.push({
        appId,
        attemptId: `appattempt_1700000000000_${String(n).padStart(4, '0')}_000001`,
        queue: q.name,
        user: `user${i % 2}`,
        submitTime: n,
        amPlaced: false,
        pendingTasks: TASKS_PER_APP,
        used: { memory: 0, vCores: 0 },
        amUsed: { memory: 0, vCores: 0 },
        containers: 0,
      });
    }
  }
  const byAttempt = new Map(apps.map((a) => [a.attemptId, a]));
  let running: Running[] = [];
  const r: Result = { allocations: 0, passes: 0, scheduleMs: 0, snapshotMs: 0, applyMs: 0, latenciesUs: latencies, maxPassMs: 0 };
  const total = latencies.length;

  while (r.allocations < total) {
    const s0 = performance.now();
    const state: SchedulerState = {
      nodes: ids.map((id, i): SchedulerNode => ({ nodeId: `${id}:45454`, host: id, rack: '/default-rack', total: NODE, available: { ...(free[i] as Resource) } })),
      apps: apps.map(
        (a): SchedulerApp => ({
          appId: a.appId,
          attemptId: a.attemptId,
          queue: a.queue,
          user: a.user,
          priority: 0,
          submitTime: a.submitTime,
          ...(a.amPlaced ? {} : { amRequest: CONTAINER }),
          asks: a.amPlaced ? [{ priority: 1, allocationRequestId: 0, resourceName: '*', capability: CONTAINER, numContainers: a.pendingTasks, relaxLocality: true }] : [],
          used: { ...a.used },
          amUsed: { ...a.amUsed },
          numContainers: a.containers,
        }),
      ),
    };
    const t0 = performance.now();
    last = t0;
    const decision = scheduler.schedule(state);
    const t1 = performance.now();
    r.snapshotMs += t0 - s0;
    r.scheduleMs += t1 - t0;
    r.maxPassMs = Math.max(r.maxPassMs, t1 - t0);
    r.passes++;

    for (const al of decision.allocations) {
      const node = nodeIndex.get(al.nodeId) as number;
      const app = byAttempt.get(al.attemptId) as SimApp;
      const f = free[node] as Resource;
      f.memory -= al.capability.memory;
      f.vCores -= al.capability.vCores;
      app.used.memory += al.capability.memory;
      app.used.vCores += al.capability.vCores;
      app.containers++;
      if (al.isAm) {
        app.amPlaced = true;
        app.amUsed.memory += al.capability.memory;
        app.amUsed.vCores += al.capability.vCores;
      } else {
        app.pendingTasks--;
        running.push({ node, app });
      }
    }
    r.allocations += decision.allocations.length;
    // The oldest half of the running tasks finish before the next pass.
    const done = running.slice(0, Math.ceil(running.length / 2));
    running = running.slice(done.length);
    for (const c of done) {
      const f = free[c.node] as Resource;
      f.memory += CONTAINER.memory;
      f.vCores += CONTAINER.vCores;
      c.app.used.memory -= CONTAINER.memory;
      c.app.used.vCores -= CONTAINER.vCores;
      c.app.containers--;
    }
    r.applyMs += performance.now() - t1;
    if (decision.allocations.length === 0 && done.length === 0) break;
  }
  r.latenciesUs = latencies.subarray(0, count);
  return r;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const RUNS = 5;

export async function run(args: readonly string[]): Promise<void> {
  const runsArg = args.find((a) => a.startsWith('--runs='));
  const runs = runsArg ? Math.max(1, Number(runsArg.slice('--runs='.length)) || RUNS) : RUNS;
  simulate(); // warm-up: lets the JIT compile the hot paths before the measured runs
  const results = Array.from({ length: runs }, () => simulate());
  const rate = (x: Result): number => x.allocations / (x.scheduleMs / 1000);
  // The machine may be shared: report the median run, and the spread across runs.
  results.sort((a, b) => rate(a) - rate(b));
  const r = results[Math.floor(results.length / 2)] as Result;
  const sorted = Float64Array.from(r.latenciesUs).sort();
  const fmt = (v: number, digits = 1): string => v.toFixed(digits);
  console.log(`policy_allocations_per_s: ${Math.round(rate(r))} /s`);
  console.log(`policy_gap_between_allocations_p99: ${fmt(percentile(sorted, 99))} µs`);
  console.log(`policy_gap_between_allocations_p50: ${fmt(percentile(sorted, 50), 2)} µs`);
  console.log(`allocations_total: ${r.allocations} containers`);
  console.log(`passes: ${r.passes} passes`);
  console.log(`schedule_time_total: ${fmt(r.scheduleMs)} ms`);
  console.log(`pass_time_max: ${fmt(r.maxPassMs)} ms`);
  console.log(`snapshot_build_time_total: ${fmt(r.snapshotMs)} ms`);
  console.log(`apply_time_total: ${fmt(r.applyMs)} ms`);
  console.log(`runs: ${runs} runs (median shown)`);
  console.log(`policy_allocations_per_s_min: ${Math.round(rate(results[0] as Result))} /s`);
  console.log(`policy_allocations_per_s_max: ${Math.round(rate(results[results.length - 1] as Result))} /s`);

  const workload = { nodes: NODES, node: NODE, container: CONTAINER, queues: QUEUES, tasksPerApp: TASKS_PER_APP };
  await simulateRmPath(workload); // warm-up
  const rmRuns: RmPathResult[] = [];
  for (let i = 0; i < runs; i++) rmRuns.push(await simulateRmPath(workload));
  const rmRate = (x: RmPathResult): number => x.allocations / (x.rmMs / 1000);
  rmRuns.sort((a, b) => rmRate(a) - rmRate(b));
  const m = rmRuns[Math.floor(rmRuns.length / 2)] as RmPathResult;
  const passes = Float64Array.from(m.passesMs).sort();
  console.log(`rm_allocations_per_s: ${Math.round(rmRate(m))} /s`);
  console.log(`rm_allocations_per_s_min: ${Math.round(rmRate(rmRuns[0] as RmPathResult))} /s`);
  console.log(`rm_allocations_per_s_max: ${Math.round(rmRate(rmRuns[rmRuns.length - 1] as RmPathResult))} /s`);
  console.log(`rm_allocations_total: ${m.allocations} containers`);
  console.log(`rm_time_total: ${fmt(m.rmMs)} ms`);
  console.log(`scheduling_passes: ${passes.length} passes`);
  console.log(`scheduling_pass_p50: ${fmt(percentile(passes, 50), 2)} ms`);
  console.log(`scheduling_pass_p99: ${fmt(percentile(passes, 99), 2)} ms`);
  console.log(`scheduling_pass_max: ${fmt(passes[passes.length - 1] ?? 0, 2)} ms`);
  console.log(`load_average: ${loadAverage()}`);
}
