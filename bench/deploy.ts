import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { flinkGet, killApp, loadAverage, option, percentile, sleep, stopBenchCluster } from './bench-support.ts';
import { RestClusterClient } from '../runtime/client/rest-cluster-client.ts';
import type { MultipleJobsDetails } from '../runtime/protocol/webmonitor.ts';
import type { ClusterOverviewWithVersion } from '../runtime/rest/flink-rest-routes.ts';
import { startMiniCluster, type MiniCluster } from '../test/fixtures/mini-cluster.ts';
import { listProcesses, ProcessRegistry, WEFT_HOME, type ProcInfo } from '../test/fixtures/processes.ts';
import { appContainers, rmRest } from '../test/fixtures/rm-rest.ts';
import { waitFor } from '../test/fixtures/wait.ts';
import { runWeft, type CliResult } from '../test/fixtures/weft-cli.ts';
import { isFinalApplicationState } from '../rm/protocol/records.ts';
import type { ApplicationClientProtocol } from '../rm/protocol/client-rm.ts';

/**
 * `npm run bench -- deploy` (issue 4): on a real RM + 2 NMs started as processes,
 *
 *  - per_job_deploy: `weft run --target per-job --detached` of a small unbounded job
 *    (generator at 1,000 records/s -> map -> keyBy -> sum -> discarding sink, parallelism 2, so a
 *    JobManager and two TaskManagers of one slot each), timed from the spawn of the CLI process to
 *    all tasks RUNNING in `/jobs/overview` (polled through the RM's proxy every --poll-ms, 20 ms).
 *    `per_job_from_submit` is the same end point timed from the RM's submit time of the app
 *    (its `startedTime`), i.e. without the CLI's own start-up and JobGraph building. After each run
 *    the app is killed and the bench waits until its container processes are gone.
 *  - session_submit: one session (`weft session start --detached`), warmed by one job run until
 *    RUNNING and cancelled, so both TaskManagers are up; then per run the job file is uploaded
 *    (`POST /jars/upload`) and run (`POST /jars/:id/run`, parallelism 2) through the proxy, timed
 *    from the run request to all tasks RUNNING (`session_upload_submit` also counts the upload);
 *    then cancelled (PATCH /jobs/:id?mode=cancel) and the bench waits until every slot is free
 *    (`/overview` slots-available = slots-total): `session_cancel_to_slots_free`. TaskManagers
 *    tell the Flink RM of each freed slot at once (notifySlotAvailable); submitting before the
 *    slots are free would make the job ask for new TaskManagers.
 *
 * Flink settings: Flink's defaults (JM 1600 MB, TM 1728 MB, 1 slot per TM, heartbeat.interval
 * 10 s, yarn.heartbeat.container-request-interval 500 ms, yarn.heartbeat.interval 5 s) except
 * `resourcemanager.taskmanager-timeout=10 min` for the session, so that its two TaskManagers,
 * idle between runs, are not released during the runs (the 30 s default could expire between
 * runs on a loaded machine and the next run would then time a TaskManager start). The cluster
 * uses the mini cluster's fast YARN intervals (NM heartbeat 200 ms) and 8 GB per NM, enough for
 * a JM and two TMs at Flink's default sizes.
 *
 * Per run it also prints a breakdown of the per-job time by phase, from the RM's submit time,
 * process start times read from /proc (10 ms resolution), the JobManager's log (its own clock,
 * the same machine's) and what the poll loop saw.
 *
 *  - cli_start: `weft app list` against the cluster, from the CLI process's spawn to its exit.
 *
 * Options: --runs N (10), --poll-ms MS (20), --rate R (1000), --only per-job|session|cli.
 */
const JOB_FILE = 'bench/jobs/count-job.ts';
const PARALLELISM = 2;

/** Epoch ms of the machine's boot, from /proc/uptime: process start times in /proc are since boot. */
function bootEpochMs(): number {
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Date.now() - uptime * 1000;
}

/** Epoch ms at which a process started (10 ms resolution). */
function processStartMs(pid: number, boot: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return boot + Number(fields[19]) * 10;
  } catch {
    return undefined;
  }
}

/** Per container of the app: the earliest start of a live process whose command line names `entry`. */
function containerStarts(procs: readonly ProcInfo[], appId: string, entry: string, boot: number): Map<string, number> {
  const byContainer = new Map<string, number>();
  for (const p of procs) {
    if (!p.cwd.includes(appId) || !p.cmdline.includes(entry)) continue;
    const container = /container_\w+/.exec(p.cwd)?.[0];
    const t = processStartMs(p.pid, boot);
    if (container === undefined || t === undefined) continue;
    byContainer.set(container, Math.min(byContainer.get(container) ?? Infinity, t));
  }
  return byContainer;
}

interface LogLine {
  time: number;
  msg: string;
}

/** The pino JSON lines of `file` in every container log dir of an app, by container id. */
function containerLogs(cluster: MiniCluster, appId: string, file: string): Map<string, LogLine[]> {
  const result = new Map<string, LogLine[]>();
  for (const node of cluster.nodes) {
    const appLogs = join(node.dir, 'logs', appId);
    if (!existsSync(appLogs)) continue;
    for (const container of readdirSync(appLogs)) {
      const path = join(appLogs, container, file);
      if (!existsSync(path)) continue;
      const lines = readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line) => {
          try {
            const l = JSON.parse(line) as { time?: unknown; msg?: unknown };
            return typeof l.time === 'number' && typeof l.msg === 'string' ? [{ time: l.time, msg: l.msg }] : [];
          } catch {
            return [];
          }
        });
      result.set(container, lines);
    }
  }
  return result;
}

const logTime = (lines: readonly LogLine[] | undefined, msg: string, which: 'first' | 'last' = 'first'): number => {
  const times = (lines ?? []).filter((l) => l.msg === msg).map((l) => l.time);
  return (which === 'first' ? times[0] : times.at(-1)) ?? Number.NaN;
};

const containerProcesses = (cluster: MiniCluster, appId?: string): ProcInfo[] =>
  listProcesses().filter((p) => p.cwd.startsWith(`${cluster.dir}/`) && (appId === undefined || p.cwd.includes(appId)));

async function waitContainersGone(cluster: MiniCluster, rm: ApplicationClientProtocol, appId: string): Promise<void> {
  await waitFor(() => containerProcesses(cluster, appId).length === 0, { timeoutMs: 30_000, intervalMs: 50, description: `the container processes of ${appId} to exit` });
  await waitFor(async () => (await appContainers(rm, appId)).every((c) => c.containerState === 'COMPLETE'), {
    timeoutMs: 30_000,
    intervalMs: 50,
    description: `every container of ${appId} COMPLETE at the RM`,
  });
}

/** The tail of every jobmanager.err of the app the CLI output names, for failure messages. */
function jobManagerErrors(cluster: MiniCluster, text: string): string {
  const appId = /application_\d+_\d+/.exec(text)?.[0];
  if (appId === undefined) return '';
  const out: string[] = [];
  for (const node of cluster.nodes) {
    const appLogs = join(node.dir, 'logs', appId);
    if (!existsSync(appLogs)) continue;
    for (const container of readdirSync(appLogs)) {
      const path = join(appLogs, container, 'jobmanager.err');
      if (existsSync(path)) out.push(`${container}/jobmanager.err:\n${readFileSync(path, 'utf8').slice(-3000)}`);
    }
  }
  return out.join('\n');
}

function checkCli(cluster: MiniCluster, res: CliResult, what: string): void {
  if (res.code !== 0) {
    throw new Error(`${what} exited with ${res.code}\nstdout:\n${res.stdout}\nstderr:\n${res.stderr}\n${jobManagerErrors(cluster, res.stdout + res.stderr)}`);
  }
}

interface PerJobSample {
  fromCli: number;
  fromSubmit: number;
  phases: Record<string, number>;
}

async function perJobRun(cluster: MiniCluster, rm: ApplicationClientProtocol, registry: ProcessRegistry, pollMs: number, rate: number, known: Set<string>, cleanup: { ms: number }): Promise<PerJobSample> {
  const rmUrl = cluster.rmUrl;
  const t0 = Date.now();
  let cliDoneAt = 0;
  const cli = runWeft(
    ['--json', 'run', '--target', 'per-job', '--detached', '--parallelism', String(PARALLELISM), JOB_FILE, '--', '--rate', String(rate), '--name', 'DeployBench'],
    { rmUrl, registry, timeoutMs: 120_000 },
  ).then((r) => {
    cliDoneAt = Date.now();
    return r;
  });
  let cliFailure: CliResult | undefined;
  void cli.then((r) => {
    if (r.code !== 0) cliFailure = r;
  });
  let appId: string | undefined;
  let appRunningAt = 0;
  let runningAt = 0;
  const deadline = t0 + 120_000;
  try {
    while (runningAt === 0) {
      if (Date.now() > deadline) throw new Error(`per-job run: tasks not all RUNNING within 120 s (app ${appId ?? 'not submitted'})`);
      if (cliFailure) checkCli(cluster, cliFailure, 'weft run --target per-job');
      if (appId === undefined) {
        const { apps } = await rm.apps({ query: {}, body: undefined });
        appId = (apps?.app ?? []).map((a) => a.id).find((id) => !known.has(id));
        if (appId !== undefined) known.add(appId);
      } else if (appRunningAt === 0) {
        const { app } = await rm.app({ params: { appid: appId }, body: undefined });
        if (app.state === 'RUNNING') appRunningAt = Date.now();
        else if (isFinalApplicationState(app.state)) throw new Error(`per-job app ${appId} ended ${app.state}: ${app.diagnostics}`);
      } else {
        // The JobManager's REST endpoint answers 503 through the proxy until it is up.
        const overview = await flinkGet<MultipleJobsDetails>(rmUrl, appId, '/jobs/overview').catch(() => undefined);
        const job = overview?.jobs[0];
        if (job && job.tasks.total > 0 && job.tasks.running === job.tasks.total) runningAt = Date.now();
        if (job && (job.state === 'FAILED' || job.state === 'CANCELED')) throw new Error(`per-job job ${job.jid} ended ${job.state}`);
      }
      if (runningAt === 0) await sleep(pollMs);
    }
    // Process start times, read while the processes still live.
    const boot = bootEpochMs();
    const procs = containerProcesses(cluster, appId);
    const jmStart = Math.min(...containerStarts(procs, appId!, 'am/flink/job-manager-main.ts', boot).values());
    const tmStarts = containerStarts(procs, appId!, 'runtime/taskexecutor/main.ts', boot);
    const { app } = await rm.app({ params: { appid: appId! }, body: undefined });
    const res = await cli;
    checkCli(cluster, res, 'weft run --target per-job');
    const submittedAt = app.startedTime;
    const jmLog = [...containerLogs(cluster, appId!, 'jobmanager.log').values()][0];
    const tmLogs = containerLogs(cluster, appId!, 'taskmanager.log');
    const at = (msg: string, which: 'first' | 'last' = 'first'): number => logTime(jmLog, msg, which);
    // The TaskManager that registered last decides when the job deploys.
    const tms = [...tmStarts].map(([container, start]) => ({
      start,
      firstLog: logTime(tmLogs.get(container), 'TaskExecutor starting'),
      registered: logTime(tmLogs.get(container), 'registered at the ResourceManager'),
    }));
    const lastTm = tms.sort((x, y) => x.registered - y.registered).at(-1);
    const requested = at('requesting a TaskManager container');
    const allocated = at('TaskManager container allocated', 'last');
    const jmRegistered = at('registered with the ResourceManager');
    const deploying = at('Deploying job');
    const phases: Record<string, number> = {
      cli_start_to_submit: submittedAt - t0,
      submit_to_jm_process: jmStart - submittedAt,
      jm_process_to_registered_at_rm: jmRegistered - jmStart,
      jm_registered_to_tm_requested: requested - jmRegistered,
      tm_requested_to_allocated: allocated - requested,
      allocated_to_tm_process: (lastTm?.start ?? Number.NaN) - allocated,
      tm_process_to_first_log: (lastTm?.firstLog ?? Number.NaN) - (lastTm?.start ?? Number.NaN),
      tm_first_log_to_registered: (lastTm?.registered ?? Number.NaN) - (lastTm?.firstLog ?? Number.NaN),
      tm_registered_to_deploying: deploying - (lastTm?.registered ?? Number.NaN),
      deploying_to_all_running_seen: runningAt - deploying,
      cli_exit: cliDoneAt - t0,
    };
    return { fromCli: runningAt - t0, fromSubmit: runningAt - submittedAt, phases };
  } finally {
    await cli.catch(() => undefined);
    if (appId !== undefined) {
      const tKill = Date.now();
      await killApp(rm, appId);
      await waitContainersGone(cluster, rm, appId);
      cleanup.ms = Date.now() - tKill;
      rmSync(resolve(WEFT_HOME, '.weft/staging', appId), { recursive: true, force: true });
    }
  }
}

async function perJob(cluster: MiniCluster, rm: ApplicationClientProtocol, registry: ProcessRegistry, runs: number, pollMs: number, rate: number): Promise<void> {
  const known = new Set(((await rm.apps({ query: {}, body: undefined })).apps?.app ?? []).map((a) => a.id));
  const samples: PerJobSample[] = [];
  for (let i = 0; i < runs; i++) {
    const cleanup = { ms: Number.NaN };
    const s = await perJobRun(cluster, rm, registry, pollMs, rate, known, cleanup);
    samples.push(s);
    const phases = Object.entries(s.phases)
      .map(([k, v]) => `${k}=${v.toFixed(0)}`)
      .join(' ');
    console.log(`# per-job run ${i + 1}: ${s.fromCli.toFixed(0)} ms from the CLI, ${s.fromSubmit.toFixed(0)} ms from submit; ${phases}; kill to containers gone ${cleanup.ms} ms`);
  }
  console.log(`per_job_deploy_p50: ${percentile(samples.map((s) => s.fromCli), 50).toFixed(0)} ms`);
  console.log(`per_job_deploy_p95: ${percentile(samples.map((s) => s.fromCli), 95).toFixed(0)} ms`);
  console.log(`per_job_from_submit_p50: ${percentile(samples.map((s) => s.fromSubmit), 50).toFixed(0)} ms`);
  console.log(`per_job_from_submit_p95: ${percentile(samples.map((s) => s.fromSubmit), 95).toFixed(0)} ms`);
  for (const phase of Object.keys(samples[0]?.phases ?? {})) {
    console.log(`per_job_phase_${phase}_p50: ${percentile(samples.map((s) => s.phases[phase]!), 50).toFixed(0)} ms`);
  }
}

async function session(cluster: MiniCluster, rm: ApplicationClientProtocol, registry: ProcessRegistry, runs: number, pollMs: number, rate: number): Promise<void> {
  const rmUrl = cluster.rmUrl;
  const started = await runWeft(['--json', 'session', 'start', '--detached', '--name', 'deploy bench session', '-D', 'resourcemanager.taskmanager-timeout=600000'], {
    rmUrl,
    registry,
    timeoutMs: 120_000,
  });
  checkCli(cluster, started, 'weft session start');
  const appId = (JSON.parse(started.stdout) as { applicationId: string }).applicationId;
  try {
    const rest = new RestClusterClient(`${rmUrl}/proxy/${appId}`, { query: { 'user.name': 'bench' } });
    const jobFile = resolve(WEFT_HOME, JOB_FILE);
    const jobArgs = ['--rate', String(rate), '--name', 'SessionBench'];
    const slotsFree = async (): Promise<void> => {
      await waitFor(
        async () => {
          const o = await flinkGet<ClusterOverviewWithVersion>(rmUrl, appId, '/overview');
          return o.taskmanagers === PARALLELISM && o['jobs-running'] === 0 && o['slots-available'] === o['slots-total'];
        },
        { timeoutMs: 60_000, intervalMs: 20, description: `every slot of session ${appId} free` },
      );
    };
    const cancelPhases: string[] = [];
    const runOnce = async (upload: boolean, jarId: string): Promise<{ fromRun: number; fromUpload: number; cancelToFree: number }> => {
      const tUpload = performance.now();
      const jar = upload ? await rest.uploadJobFile(jobFile) : jarId;
      const tRun = performance.now();
      const jobId = await rest.runJobFile(jar, jobArgs, PARALLELISM);
      const tRunning = await waitFor(
        async () => {
          const { jobs } = await flinkGet<MultipleJobsDetails>(rmUrl, appId, '/jobs/overview');
          const job = jobs.find((j) => j.jid === jobId);
          if (job && (job.state === 'FAILED' || job.state === 'CANCELED')) throw new Error(`session job ${jobId} ended ${job.state}`);
          return job && job.tasks.total > 0 && job.tasks.running === job.tasks.total ? performance.now() : undefined;
        },
        { timeoutMs: 120_000, intervalMs: pollMs, description: `all tasks of session job ${jobId} RUNNING` },
      );
      const tCancel = performance.now();
      await rest.cancel(jobId);
      await waitFor(async () => (await flinkGet<{ state: string }>(rmUrl, appId, `/jobs/${jobId}`)).state === 'CANCELED', {
        timeoutMs: 30_000,
        intervalMs: 20,
        description: `session job ${jobId} CANCELED`,
      });
      const tCanceled = performance.now();
      await slotsFree();
      cancelPhases.push(`cancel->CANCELED ${(tCanceled - tCancel).toFixed(0)} ms, CANCELED->slots free ${(performance.now() - tCanceled).toFixed(0)} ms`);
      return { fromRun: tRunning - tRun, fromUpload: tRunning - tUpload, cancelToFree: performance.now() - tCancel };
    };
    // Warm-up: the first job brings up both TaskManagers.
    const jarId = await rest.uploadJobFile(jobFile);
    const warm = await runOnce(false, jarId);
    console.log(`# session warm-up (TaskManagers started): ${warm.fromRun.toFixed(0)} ms from the run request to all tasks RUNNING`);
    const fromRun: number[] = [];
    const fromUpload: number[] = [];
    const cancelToFree: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = await runOnce(true, jarId);
      fromRun.push(s.fromRun);
      fromUpload.push(s.fromUpload);
      cancelToFree.push(s.cancelToFree);
      console.log(`# session run ${i + 1}: ${s.fromRun.toFixed(0)} ms from the run request, ${s.fromUpload.toFixed(0)} ms from the upload; cancel to every slot free ${s.cancelToFree.toFixed(0)} ms (${cancelPhases.at(-1) ?? ''})`);
    }
    console.log(`session_submit_p50: ${percentile(fromRun, 50).toFixed(0)} ms`);
    console.log(`session_submit_p95: ${percentile(fromRun, 95).toFixed(0)} ms`);
    console.log(`session_upload_submit_p50: ${percentile(fromUpload, 50).toFixed(0)} ms`);
    console.log(`session_upload_submit_p95: ${percentile(fromUpload, 95).toFixed(0)} ms`);
    console.log(`session_cancel_to_slots_free_p50: ${percentile(cancelToFree, 50).toFixed(0)} ms`);
    console.log(`session_cancel_to_slots_free_p95: ${percentile(cancelToFree, 95).toFixed(0)} ms`);
  } finally {
    await killApp(rm, appId).catch((err: unknown) => console.error(`could not kill session ${appId}: ${(err as Error).message}`));
    await waitContainersGone(cluster, rm, appId).catch((err: unknown) => console.error((err as Error).message));
  }
}

/**
 * `weft app list` against the running cluster, timed from the spawn of the CLI process to its exit:
 * the `weft` executable itself (`cli_start`), and through `npx weft` as the README writes it
 * (`cli_start_npx`, which adds npm's own start-up).
 */
async function cliStart(cluster: MiniCluster, registry: ProcessRegistry, runs: number): Promise<void> {
  const timeIt = async (command: string, argv: readonly string[]): Promise<number> => {
    const t0 = performance.now();
    await new Promise<void>((res, rej) => {
      const child = spawn(command, argv, { cwd: WEFT_HOME, stdio: 'ignore', detached: true });
      if (child.pid !== undefined) registry.groups.add(child.pid);
      child.on('error', rej);
      child.on('exit', (code) => (code === 0 ? res() : rej(new Error(`${command} ${argv.join(' ')} exited ${code}`))));
    });
    return performance.now() - t0;
  };
  const args = ['--rm', cluster.rmUrl, 'app', 'list'];
  const direct: number[] = [];
  const viaNpx: number[] = [];
  for (let i = 0; i < runs; i++) {
    direct.push(await timeIt(process.execPath, [resolve(WEFT_HOME, 'bin/weft.js'), ...args]));
    viaNpx.push(await timeIt('npx', ['--no-install', 'weft', ...args]));
  }
  console.log(`cli_start_p50: ${percentile(direct, 50).toFixed(0)} ms`);
  console.log(`cli_start_p95: ${percentile(direct, 95).toFixed(0)} ms`);
  console.log(`cli_start_npx_p50: ${percentile(viaNpx, 50).toFixed(0)} ms`);
}

export async function run(args: readonly string[]): Promise<void> {
  const runs = Number(option(args, '--runs') ?? 10);
  const pollMs = Number(option(args, '--poll-ms') ?? 20);
  const rate = Number(option(args, '--rate') ?? 1000);
  const only = option(args, '--only');
  const registry = new ProcessRegistry();
  let cluster: MiniCluster | undefined;
  console.log(`# load average before: ${loadAverage()}`);
  try {
    cluster = await startMiniCluster({ registry, nodes: 2, nodeMemoryMb: 8192 });
    const rm = rmRest(cluster.rmUrl, 'bench');
    if (only === undefined || only === 'per-job') await perJob(cluster, rm, registry, runs, pollMs, rate);
    if (only === undefined || only === 'session') await session(cluster, rm, registry, runs, pollMs, rate);
    if (only === undefined || only === 'cli') await cliStart(cluster, registry, runs);
    console.log(`# load average after: ${loadAverage()}`);
  } catch (err) {
    console.error(`deploy benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  } finally {
    await stopBenchCluster(cluster, registry);
  }
}
