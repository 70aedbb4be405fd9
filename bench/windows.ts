import { resolve } from 'node:path';
import { flinkGet, fmt, loadAverage, option, percentile, sleep, stopBenchCluster, stopBenchSession } from './bench-support.ts';
import { taskManagerCpu, type CpuTime } from './task-manager-cpu.ts';
import type { ApplicationClientProtocol } from '../rm/protocol/client-rm.ts';
import { RestClusterClient } from '../runtime/client/rest-cluster-client.ts';
import type { MultipleJobsDetails } from '../runtime/protocol/webmonitor.ts';
import type { JobDetailsInfo } from '../runtime/rest/job-details-info.ts';
import { startMiniCluster, type MiniCluster } from '../test/fixtures/mini-cluster.ts';
import { ProcessRegistry, WEFT_HOME } from '../test/fixtures/processes.ts';
import { rmRest } from '../test/fixtures/rm-rest.ts';
import { runWeft } from '../test/fixtures/weft-cli.ts';

/**
 * `npm run bench -- windows` (issue 10): generator (event time, bounded out-of-orderness 100 ms)
 * -> keyBy (10,000 keys) -> 1 s tumbling event-time window count -> sink, parallelism 2 on a Flink
 * session of a real mini cluster whose two TaskManagers have one slot each, so each keyed subtask
 * runs in its own TaskManager process and about half the records cross processes over TCP.
 * bench/jobs/window-job.ts has the job and what the lag is.
 *
 *  - window_throughput: records / (time from all tasks RUNNING to the job FINISHED), polled on
 *    `/jobs/overview` through the RM's proxy, as `bench throughput` does.
 *  - watermark_lag_p99: over every window result of every key, the processing time from the
 *    moment the source's watermark could first pass the window's end until the result reached
 *    the sink (p50 and max beside it). The goal is under 300 ms with the 200 ms watermark interval.
 *  - records per TaskManager CPU-second, which moves less than wall-clock figures with the load.
 *
 * Options: --records N (10,000,000), --keys K (10,000), --out-of-orderness MS (100).
 */
const JOB_FILE = 'bench/jobs/window-job.ts';
const PARALLELISM = 2;

export async function run(args: readonly string[]): Promise<void> {
  const records = Number(option(args, '--records') ?? 10_000_000);
  const keys = Number(option(args, '--keys') ?? 10_000);
  const bound = Number(option(args, '--out-of-orderness') ?? 100);
  const registry = new ProcessRegistry();
  let cluster: MiniCluster | undefined;
  let appId: string | undefined;
  let rm: ApplicationClientProtocol | undefined;
  console.log(`# load average before: ${loadAverage()}`);
  try {
    cluster = await startMiniCluster({ registry, nodes: 2, nodeMemoryMb: 8192 });
    rm = rmRest(cluster.rmUrl, 'bench');
    const started = await runWeft(['--json', 'session', 'start', '--detached', '--name', 'windows bench session'], { rmUrl: cluster.rmUrl, registry, timeoutMs: 120_000 });
    if (started.code !== 0) throw new Error(`weft session start exited with ${started.code}\n${started.stdout}\n${started.stderr}`);
    appId = (JSON.parse(started.stdout) as { applicationId: string }).applicationId;
    const rest = new RestClusterClient(`${cluster.rmUrl}/proxy/${appId}`, { query: { 'user.name': 'bench' } });
    const jarId = await rest.uploadJobFile(resolve(WEFT_HOME, JOB_FILE));
    const jobArgs = ['--records', String(records), '--keys', String(keys), '--out-of-orderness', String(bound), '--collect', 'lags'];
    const jobId = await rest.runJobFile(jarId, jobArgs, PARALLELISM);

    let runningAt = 0;
    let finishedAt = 0;
    let cpuAtRunning: CpuTime = { userMs: 0, systemMs: 0 };
    let cpuAtFinished: CpuTime = { userMs: 0, systemMs: 0 };
    const deadline = Date.now() + 600_000;
    while (finishedAt === 0) {
      if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish within 600 s`);
      const { jobs } = await flinkGet<MultipleJobsDetails>(cluster.rmUrl, appId, '/jobs/overview');
      const job = jobs.find((j) => j.jid === jobId);
      const now = performance.now();
      if (job?.state === 'FAILED' || job?.state === 'CANCELED') {
        const exceptions = await flinkGet<unknown>(cluster.rmUrl, appId, `/jobs/${jobId}/exceptions`).catch(() => undefined);
        throw new Error(`job ${jobId} ended ${job.state}: ${JSON.stringify(exceptions).slice(0, 1500)}`);
      }
      if (runningAt === 0 && job && job.tasks.total > 0 && job.tasks.running === job.tasks.total) {
        runningAt = now;
        cpuAtRunning = taskManagerCpu(cluster.dir);
      }
      if (job?.state === 'FINISHED') {
        finishedAt = now;
        cpuAtFinished = taskManagerCpu(cluster.dir);
        if (runningAt === 0) throw new Error(`job ${jobId} FINISHED before the poll saw all its tasks RUNNING; raise --records`);
      }
      await sleep(runningAt === 0 ? 20 : 50);
    }

    const details = await flinkGet<JobDetailsInfo>(cluster.rmUrl, appId, `/jobs/${jobId}`);
    for (const v of details.vertices) {
      console.log(`#   vertex '${v.name}' x${v.parallelism}: ${v.duration} ms, read ${v.metrics['read-records']} write ${v.metrics['write-records']} records`);
    }
    const window = details.vertices.at(-1)!;
    if (window.metrics['read-records'] !== records) throw new Error(`the window vertex read ${window.metrics['read-records']} records, expected ${records}`);
    const placement = await flinkGet<{ subtasks: { 'taskmanager-id': string }[] }>(cluster.rmUrl, appId, `/jobs/${jobId}/vertices/${window.id}`);
    const tmsUsed = new Set(placement.subtasks.map((t) => t['taskmanager-id']));
    if (tmsUsed.size !== PARALLELISM) throw new Error(`the ${PARALLELISM} window subtasks ran on ${tmsUsed.size} TaskManager(s), not one each`);

    const { records: lags } = await flinkGet<{ records: number[] }>(cluster.rmUrl, appId, `/jobs/${jobId}/collect/lags`);
    if (lags.length === 0) throw new Error('no window fired before the end of input; raise --records');
    const seconds = (finishedAt - runningAt) / 1000;
    const userMs = cpuAtFinished.userMs - cpuAtRunning.userMs;
    const systemMs = cpuAtFinished.systemMs - cpuAtRunning.systemMs;
    console.log(`# job ${jobId}: ${records} records over ${keys} keys, all RUNNING -> FINISHED ${fmt(finishedAt - runningAt)} ms (poll), job duration ${details.duration} ms incl. deployment`);
    console.log(`# window results timed: ${lags.length} (about ${fmt(lags.length / keys)} windows per key); lag p50 ${fmt(percentile(lags, 50))} ms, max ${fmt(lags.reduce((a, b) => Math.max(a, b), 0))} ms`);
    console.log(`# TaskManager CPU from RUNNING to FINISHED (both processes): user ${fmt(userMs)} ms, system ${fmt(systemMs)} ms; ${fmt(records / ((userMs + systemMs) / 1000))} records per CPU-second`);
    console.log(`window_throughput: ${fmt(records / seconds)} records/s`);
    console.log(`watermark_lag_p99: ${fmt(percentile(lags, 99))} ms`);
    console.log(`# load average after: ${loadAverage()}`);
  } catch (err) {
    console.error(`windows benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  } finally {
    await stopBenchSession(rm, appId, cluster);
    await stopBenchCluster(cluster, registry);
  }
}
