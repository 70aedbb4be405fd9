import { resolve } from 'node:path';
import { flinkGet, fmt, loadAverage, option, sleep, stopBenchCluster, stopBenchSession } from './bench-support.ts';
import { RestClusterClient } from '../runtime/client/rest-cluster-client.ts';
import type { MultipleJobsDetails } from '../runtime/protocol/webmonitor.ts';
import type { JobDetailsInfo } from '../runtime/rest/job-details-info.ts';
import { startMiniCluster, type MiniCluster } from '../test/fixtures/mini-cluster.ts';
import { ProcessRegistry, WEFT_HOME } from '../test/fixtures/processes.ts';
import { rmRest } from '../test/fixtures/rm-rest.ts';
import { taskManagerCpu, type CpuTime } from './task-manager-cpu.ts';
import { runWeft } from '../test/fixtures/weft-cli.ts';
import type { ApplicationClientProtocol } from '../rm/protocol/client-rm.ts';

/**
 * `npm run bench -- throughput` (issue 4): generator -> map -> keyBy -> running count (sum),
 * parallelism 2, on a Flink session of a real mini cluster (RM + 2 NMs as processes) whose
 * TaskManagers have one slot each, so each parallel pipeline runs in its own TaskManager process
 * and the keyBy exchange crosses processes (about half the records go over TCP).
 *
 * The source is bounded to --records N (24,000,000: over 5 s at the 2.5-4M records/s measured
 * here) at an unlimited rate, over 16 keys; the sink keeps only each key's final count (a filter
 * in front of a collect sink), so it is never the bottleneck, and the bench checks those final
 * counts (N/16 per key).
 *
 *  - throughput: N / (time from all tasks RUNNING to the job FINISHED), both as seen by polling
 *    `/jobs/overview` through the RM's proxy (every 20 ms, then every 50 ms while it runs).
 *  - throughput_sink_metrics: the sink vertex's read-records over that vertex's duration in
 *    `/jobs/:id` (from its first task's start to its last task's end, as the JobManager saw them).
 *  - per vertex: busy / idle / back-pressured time, summed over subtasks, to see where time goes.
 *
 * Flink defaults (1 slot per TM, execution.buffer-timeout 100 ms, ...), except
 * `resourcemanager.taskmanager-timeout=10 min` so the TaskManagers stay between --runs.
 * Options: --records N, --keys K (16), --runs R (1; prints each run and the median).
 */
const JOB_FILE = 'bench/jobs/count-job.ts';
const PARALLELISM = 2;

interface RunResult {
  endToEnd: number;
  fromSinkMetrics: number;
  /** Records per second of TaskManager CPU (both processes, user + system) from all RUNNING to FINISHED. */
  perTmCpuSecond: number;
  /** The same over user CPU only. */
  perTmUserCpuSecond: number;
}

async function runJob(clusterDir: string, rmUrl: string, appId: string, rest: RestClusterClient, jarId: string, records: number, keys: number): Promise<RunResult> {
  const jobId = await rest.runJobFile(jarId, ['--records', String(records), '--keys', String(keys), '--collect', 'final', '--name', 'ThroughputBench'], PARALLELISM);
  let runningAt = 0;
  let finishedAt = 0;
  let cpuAtRunning: CpuTime = { userMs: 0, systemMs: 0 };
  let cpuAtFinished: CpuTime = { userMs: 0, systemMs: 0 };
  const deadline = Date.now() + 600_000;
  while (finishedAt === 0) {
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish within 600 s`);
    const { jobs } = await flinkGet<MultipleJobsDetails>(rmUrl, appId, '/jobs/overview');
    const job = jobs.find((j) => j.jid === jobId);
    const now = performance.now();
    if (job?.state === 'FAILED' || job?.state === 'CANCELED') {
      const exceptions = await flinkGet<unknown>(rmUrl, appId, `/jobs/${jobId}/exceptions`).catch(() => undefined);
      throw new Error(`job ${jobId} ended ${job.state}: ${JSON.stringify(exceptions).slice(0, 1500)}`);
    }
    if (runningAt === 0 && job && job.tasks.total > 0 && job.tasks.running === job.tasks.total) {
      runningAt = now;
      cpuAtRunning = taskManagerCpu(clusterDir);
    }
    if (job?.state === 'FINISHED') {
      finishedAt = now;
      cpuAtFinished = taskManagerCpu(clusterDir);
      if (runningAt === 0) throw new Error(`job ${jobId} FINISHED before the poll saw all its tasks RUNNING; raise --records`);
    }
    await sleep(runningAt === 0 ? 20 : 50);
  }
  const details = await flinkGet<JobDetailsInfo>(rmUrl, appId, `/jobs/${jobId}`);
  const sink = details.vertices.at(-1)!;
  const source = details.vertices[0]!;
  // The final count of every key, as the sink collected it: records / keys each.
  const collected = await flinkGet<{ records: { key: number; count: number }[] }>(rmUrl, appId, `/jobs/${jobId}/collect/final`);
  const expected = records / keys;
  const wrong = collected.records.filter((r) => r.count !== expected);
  if (collected.records.length !== keys || wrong.length > 0) {
    throw new Error(`wrong final counts: expected ${keys} keys at ${expected}, got ${JSON.stringify(collected.records.slice(0, 20))}`);
  }
  if (sink.metrics['read-records'] !== records) throw new Error(`the sink vertex read ${sink.metrics['read-records']} records, expected ${records}`);
  const seconds = (finishedAt - runningAt) / 1000;
  const userMs = cpuAtFinished.userMs - cpuAtRunning.userMs;
  const systemMs = cpuAtFinished.systemMs - cpuAtRunning.systemMs;
  const result = {
    endToEnd: records / seconds,
    fromSinkMetrics: sink.metrics['read-records'] / (sink.duration / 1000),
    perTmCpuSecond: records / ((userMs + systemMs) / 1000),
    perTmUserCpuSecond: records / (userMs / 1000),
  };
  console.log(
    `# TaskManager CPU from RUNNING to FINISHED (both processes): user ${fmt(userMs)} ms, system ${fmt(systemMs)} ms; ` +
      `${fmt(result.perTmCpuSecond)} records per CPU-second, ${fmt(result.perTmUserCpuSecond)} per user CPU-second`,
  );
  console.log(`# job ${jobId}: ${records} records, all RUNNING -> FINISHED ${fmt(finishedAt - runningAt)} ms (poll), job duration ${details.duration} ms incl. deployment`);
  for (const v of details.vertices) {
    const m = v.metrics;
    console.log(
      `#   vertex '${v.name}' x${v.parallelism}: ${v.duration} ms, read ${m['read-records']} (${fmt(m['read-bytes'] / 1e6)} MB) write ${m['write-records']} records; ` +
        `summed over subtasks busy ${m['accumulated-busy-time']} ms, idle ${m['accumulated-idle-time']} ms, back-pressured ${m['accumulated-backpressured-time']} ms`,
    );
  }
  const placement = await flinkGet<{ subtasks: { subtask: number; 'taskmanager-id': string }[] }>(rmUrl, appId, `/jobs/${jobId}/vertices/${sink.id}`);
  const tmsUsed = new Set(placement.subtasks.map((t) => t['taskmanager-id']));
  console.log(`#   keyed subtasks on TaskManagers: ${placement.subtasks.map((t) => `${t.subtask}@${t['taskmanager-id']}`).join(', ')}`);
  if (tmsUsed.size !== PARALLELISM) throw new Error(`the ${PARALLELISM} keyed subtasks ran on ${tmsUsed.size} TaskManager(s), not one each`);
  console.log(`#   source write-records / source duration: ${fmt(source.metrics['write-records'] / (source.duration / 1000))} records/s`);
  console.log(`#   end to end ${fmt(result.endToEnd)} records/s, sink read-records / sink duration ${fmt(result.fromSinkMetrics)} records/s`);
  return result;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function run(args: readonly string[]): Promise<void> {
  const records = Number(option(args, '--records') ?? 24_000_000);
  const keys = Number(option(args, '--keys') ?? 16);
  const runs = Number(option(args, '--runs') ?? 1);
  if (!Number.isInteger(records) || !Number.isInteger(keys) || records % keys !== 0) throw new Error('--records must be a multiple of --keys');
  const registry = new ProcessRegistry();
  let cluster: MiniCluster | undefined;
  let appId: string | undefined;
  let rm: ApplicationClientProtocol | undefined;
  console.log(`# load average before: ${loadAverage()}`);
  try {
    cluster = await startMiniCluster({ registry, nodes: 2, nodeMemoryMb: 8192 });
    rm = rmRest(cluster.rmUrl, 'bench');
    const started = await runWeft(['--json', 'session', 'start', '--detached', '--name', 'throughput bench session', '-D', 'resourcemanager.taskmanager-timeout=600000'], {
      rmUrl: cluster.rmUrl,
      registry,
      timeoutMs: 120_000,
    });
    if (started.code !== 0) throw new Error(`weft session start exited with ${started.code}\n${started.stdout}\n${started.stderr}`);
    appId = (JSON.parse(started.stdout) as { applicationId: string }).applicationId;
    const rest = new RestClusterClient(`${cluster.rmUrl}/proxy/${appId}`, { query: { 'user.name': 'bench' } });
    const jarId = await rest.uploadJobFile(resolve(WEFT_HOME, JOB_FILE));
    const results: RunResult[] = [];
    for (let i = 0; i < runs; i++) results.push(await runJob(cluster.dir, cluster.rmUrl, appId, rest, jarId, records, keys));
    const tms = await flinkGet<{ taskmanagers: { id: string }[] }>(cluster.rmUrl, appId, '/taskmanagers');
    console.log(`# TaskManager processes: ${tms.taskmanagers.length} (${tms.taskmanagers.map((t) => t.id).join(', ')})`);
    console.log(`throughput: ${fmt(median(results.map((r) => r.endToEnd)))} records/s`);
    console.log(`throughput_sink_metrics: ${fmt(median(results.map((r) => r.fromSinkMetrics)))} records/s`);
    console.log(`throughput_per_tm_cpu: ${fmt(median(results.map((r) => r.perTmCpuSecond)))} records per TaskManager CPU-second`);
    console.log(`throughput_per_tm_user_cpu: ${fmt(median(results.map((r) => r.perTmUserCpuSecond)))} records per TaskManager user CPU-second`);
    console.log(`# load average after: ${loadAverage()}`);
  } catch (err) {
    console.error(`throughput benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  } finally {
    await stopBenchSession(rm, appId, cluster);
    await stopBenchCluster(cluster, registry);
  }
}
