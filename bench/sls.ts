import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../rm/common/logger.ts';
import { loadPlan } from '../rm/sls/sls-plan.ts';
import { runSimulation } from '../rm/sls/sls-runner.ts';
import { option } from './bench-support.ts';

/**
 * `npm run bench -- sls` (issue 13): a SYNTH trace of one simulated hour on 5,000 nodes of
 * 128 GB / 32 vcores with 20,000 jobs (about 200,000 containers) in four capacity queues
 * (40/30/20/10 %), through the real RM in-process on the virtual clock. Prints wall time, the
 * speed-up (simulated seconds per wall second), timer events per wall second and peak RSS.
 *
 * The jobs: 85 % mapreduce (lognormal maps around 8 and reduces around 2, tasks of 2-4 GB running
 * lognormal ~90 s), 10 % stream (8 containers kept up for ~10 min), 5 % Flink per-job (4 slots,
 * ~5 min), submitted uniformly over the hour. `--jobs N` and `--nodes N` scale it down.
 */
const HOUR_S = 3600;

function synthTrace(jobs: number, nodes: number): object {
  const task = (type: string, priority: number, count: number, time: number, memory: number) => ({
    type,
    priority,
    count: { val: count, std: count / 2 },
    time: { val: time, std: time / 2 },
    max_memory: { val: memory },
    max_vcores: { val: 1 },
  });
  const mr = (name: string, user: string) => ({
    class_name: name,
    user_name: user,
    class_weight: 85,
    type: 'mapreduce',
    duration: { val: 300 },
    tasks: [task('map', 20, 8, 90, 2048), task('reduce', 10, 2, 60, 4096)],
  });
  const stream = { class_name: 'stream', user_name: 'streamer', class_weight: 10, type: 'stream', duration: { val: 600, std: 120 }, tasks: [task('stream', 20, 8, 600, 2048)] };
  const flink = { class_name: 'flink', user_name: 'flinker', class_weight: 5, type: 'flink', duration: { val: 300 }, tasks: [{ ...task('taskmanager', 1, 4, 300, 2048), count: { val: 4 } }] };
  const workload = (name: string, queue: string, weight: number) => ({
    workload_name: name,
    workload_weight: weight,
    queue_name: queue,
    job_classes: [mr(`${name}-mr`, `${name}-user`), stream, flink],
    time_distribution: [
      { time: 0, weight: 1 },
      { time: HOUR_S - 600, weight: 0 },
    ],
  });
  return {
    description: 'weft bench: one hour, four queues',
    num_nodes: nodes,
    nodes_per_rack: 50,
    num_jobs: jobs,
    rand_seed: 13,
    workloads: [workload('a', 'a', 40), workload('b', 'b', 30), workload('c', 'c', 20), workload('d', 'd', 10)],
  };
}

export async function run(args: readonly string[]): Promise<void> {
  const jobs = Number(option(args, '--jobs') ?? 20_000);
  const nodes = Number(option(args, '--nodes') ?? 5_000);
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-sls-'));
  try {
    const trace = join(dir, 'synth.json');
    writeFileSync(trace, JSON.stringify(synthTrace(jobs, nodes)));
    const properties = new Map<string, string>([
      ['yarn.sls.nm.memory.mb', '131072'],
      ['yarn.sls.nm.vcores', '32'],
      ['yarn.scheduler.maximum-allocation-mb', '16384'],
      ['yarn.scheduler.capacity.root.queues', 'a,b,c,d'],
      ['yarn.scheduler.capacity.root.a.capacity', '40'],
      ['yarn.scheduler.capacity.root.b.capacity', '30'],
      ['yarn.scheduler.capacity.root.c.capacity', '20'],
      ['yarn.scheduler.capacity.root.d.capacity', '10'],
      ...(option(args, '--skip-idle') === 'false' ? [['yarn.sls.heartbeat.skip-idle', 'false'] as [string, string]] : []),
    ]);
    const plan = loadPlan({ tracetype: 'SYNTH', tracelocation: [trace], properties, outputDir: dir });
    let peakRss = process.memoryUsage().rss;
    const containers = plan.jobs.reduce((s, j) => s + 1 + (j.flink ? Math.ceil(j.flink.slots / plan.sls.flink.slotsPerTaskManager) : j.tasks.length), 0);
    console.log(`sls: ${plan.nodes.length} nodes, ${plan.jobs.length} jobs, ~${containers} containers (AM included) over ${HOUR_S} simulated seconds`);
    const result = await runSimulation(plan, {
      logger: createSilentLogger(),
      progressIntervalMs: 5000,
      onProgress: (p) => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        console.error(`  ${Math.round(p.simulatedMs / 1000)} s simulated after ${(p.wallMs / 1000).toFixed(1)} s, jobs ${p.jobsDone}/${p.jobsTotal}, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`);
      },
    });
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const wallS = result.wallMs / 1000;
    const allocated = result.records.reduce((s, r) => s + r.containers.length, 0);
    const unfinished = result.records.filter((r) => r.finalState !== 'FINISHED').length;
    console.log(`sls_simulated_s: ${(result.simulatedMs / 1000).toFixed(0)} s`);
    console.log(`sls_containers: ${allocated} containers`);
    console.log(`sls_unfinished_jobs: ${unfinished} jobs`);
    console.log(`sls_wall_s: ${wallS.toFixed(1)} s`);
    console.log(`sls_speedup: ${(result.simulatedMs / 1000 / wallS).toFixed(0)} x`);
    console.log(`sls_events_per_s: ${Math.round(result.events / wallS)} events/s`);
    console.log(`sls_rss_mb: ${Math.round(peakRss / 2 ** 20)} MB`);
    const ops = result.operations;
    console.log(`sls_allocate_mean_ms: ${ops.allocate.meanMs.toFixed(3)} ms (${ops.allocate.count} calls)`);
    console.log(`sls_pass_mean_ms: ${ops.pass.meanMs.toFixed(3)} ms (${ops.pass.count} passes)`);
    console.log(`sls_node_update_mean_ms: ${ops.NODE_UPDATE.meanMs.toFixed(3)} ms (${ops.NODE_UPDATE.count} heartbeats)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
