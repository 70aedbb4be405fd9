import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadJob } from '../../../runtime/api/job-loader.ts';
import { CollectRegistry } from '../../../runtime/streaming/collect-output.ts';
import { LocalExecutor } from '../../../runtime/streaming/local/local-executor.ts';
import { MemoryTextOutput } from '../../../runtime/streaming/text-output.ts';
import { startMiniCluster, type MiniCluster } from '../../fixtures/mini-cluster.ts';
import { ProcessRegistry } from '../../fixtures/processes.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { runWeft } from '../../fixtures/weft-cli.ts';
import { FAST_FLINK_CONF, flinkGet, taskManagerProcesses } from './flink-e2e.ts';
import type { JobWatermarksInfo } from '../../../runtime/rest/job-watermarks-info.ts';
import type { WindowResult } from './jobs/event-time-windows.ts';
import type { Reading, WindowIds } from './jobs/silent-source.ts';
import type { SensorWindow } from '../../../examples/sensor-windows.ts';

/**
 * Event time on a real cluster: one YARN mini cluster, one Flink session with two TaskManagers of
 * one slot each, so every job at parallelism 2 runs one subtask of each vertex on each
 * TaskManager. Several jobs run on it one after another; each also runs on the LocalExecutor,
 * which must give the same results. Expected values are worked out by hand from the inputs in
 * the job files (jobs/event-time-windows.ts, jobs/silent-source.ts).
 */

const registry = new ProcessRegistry();
let cluster: MiniCluster;
let appId: string;
let scratch: string;

// One slot per TaskManager: parallelism 2 needs both. They outlive the gaps between the jobs.
const SESSION_FLAGS = [
  '--tm-memory', '256', '--jm-memory', '256', '--slots', '1',
  ...FAST_FLINK_CONF.filter((kv) => !kv.startsWith('resourcemanager.taskmanager-timeout=')).flatMap((kv) => ['-D', kv]),
  '-D', 'resourcemanager.taskmanager-timeout=600000',
];
const JOBS = 'test/e2e/flink/jobs';

const weft = (args: string[]) => runWeft(args, { rmUrl: cluster.rmUrl, registry, timeoutMs: 110_000 });
const rest = <T>(path: string) => flinkGet<T>(cluster.rmUrl, appId, path);

/** Jobs submitted by the running test: a test that fails midway must not leave one holding the slots. */
const submitted = new Set<string>();

async function submit(args: string[]): Promise<string> {
  const res = await weft(['--json', 'run', '--target', 'session', '--app', appId, '--detached', ...args]);
  expect(res.code, res.stderr).toBe(0);
  const { jobId } = JSON.parse(res.stdout) as { jobId: string };
  submitted.add(jobId);
  return jobId;
}

const jobState = async (jobId: string): Promise<string> => (await rest<{ state: string }>(`/jobs/${jobId}`)).state;
const waitForState = (jobId: string, state: string) =>
  waitFor(async () => (await jobState(jobId)) === state, { timeoutMs: 60_000, description: `job ${jobId} ${state}` });
const collected = async <T>(jobId: string, sink: string): Promise<T[]> => (await rest<{ records: T[] }>(`/jobs/${jobId}/collect/${sink}`)).records;

async function cancel(jobId: string): Promise<void> {
  const res = await fetch(`${cluster.rmUrl}/proxy/${appId}/jobs/${jobId}?mode=cancel`, { method: 'PATCH' });
  expect(res.status).toBe(202);
  await waitForState(jobId, 'CANCELED');
}

interface VertexSubtasks {
  name: string;
  subtasks: { subtask: number; 'taskmanager-id': string }[];
}

async function vertices(jobId: string): Promise<VertexSubtasks[]> {
  const job = await rest<{ vertices: { id: string }[] }>(`/jobs/${jobId}`);
  return Promise.all(job.vertices.map((v) => rest<VertexSubtasks>(`/jobs/${jobId}/vertices/${v.id}`)));
}

/** Each vertex at parallelism 2 (the windows, and more) ran its subtasks on two different TaskManagers. */
async function expectSpreadOverTwoTaskManagers(jobId: string): Promise<void> {
  const parallel = (await vertices(jobId)).filter((v) => v.subtasks.length === 2);
  expect(parallel.length).toBeGreaterThan(0);
  for (const v of parallel) expect(new Set(v.subtasks.map((s) => s['taskmanager-id'])).size, v.name).toBe(2);
}

const byKeyAndStart = <T extends { key: string; start: number }>(results: readonly T[]): T[] =>
  [...results].sort((x, y) => x.key.localeCompare(y.key) || x.start - y.start);

/** A job file on the LocalExecutor in this process, at parallelism 2, collecting into `sinks`. */
async function startLocal(file: string, args: string[]) {
  const sinks = new CollectRegistry();
  const job = await loadJob(join(JOBS, file), args, { parallelism: 2 });
  const handle = new LocalExecutor({ services: { collectOutput: sinks, stdout: new MemoryTextOutput() } }).start(job);
  return { sinks, handle };
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'weft-windows-e2e-'));
  cluster = await startMiniCluster({ registry, nodes: 2, nodeMemoryMb: 4096 });
  const res = await weft(['--json', 'session', 'start', '--detached', '--name', 'windows e2e', ...SESSION_FLAGS]);
  expect(res.code, res.stderr).toBe(0);
  appId = (JSON.parse(res.stdout) as { applicationId: string }).applicationId;
});

afterEach(async () => {
  for (const jobId of submitted) {
    if (!['FINISHED', 'FAILED', 'CANCELED'].includes(await jobState(jobId))) await cancel(jobId);
  }
  submitted.clear();
});

afterAll(async () => {
  const dir = cluster?.dir;
  if (appId !== undefined) await weft(['session', 'stop', appId]);
  await cluster?.stop();
  await registry.cleanup();
  await registry.assertNoneLeft(dir ? [dir] : []);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// Worked out from EVENTS in jobs/event-time-windows.ts: [start, end) per key, values ascending.
const TUMBLING_5S: WindowResult[] = [
  { key: 'a', start: 0, end: 5000, values: [1, 3, 4] },
  { key: 'a', start: 5000, end: 10000, values: [7] },
  { key: 'a', start: 10000, end: 15000, values: [9, 11, 13] },
  { key: 'a', start: 15000, end: 20000, values: [16] },
  { key: 'a', start: 20000, end: 25000, values: [14] },
  { key: 'b', start: 0, end: 5000, values: [2, 8] },
  { key: 'b', start: 5000, end: 10000, values: [5, 6] },
  { key: 'b', start: 10000, end: 15000, values: [10] },
  { key: 'b', start: 15000, end: 20000, values: [12, 15] },
];
// 10 s windows every 5 s: each event is in two of them, the first starting at -5 s.
const SLIDING_10S_BY_5S: WindowResult[] = [
  { key: 'a', start: -5000, end: 5000, values: [1, 3, 4] },
  { key: 'a', start: 0, end: 10000, values: [1, 3, 4, 7] },
  { key: 'a', start: 5000, end: 15000, values: [7, 9, 11, 13] },
  { key: 'a', start: 10000, end: 20000, values: [9, 11, 13, 16] },
  { key: 'a', start: 15000, end: 25000, values: [14, 16] },
  { key: 'a', start: 20000, end: 30000, values: [14] },
  { key: 'b', start: -5000, end: 5000, values: [2, 8] },
  { key: 'b', start: 0, end: 10000, values: [2, 5, 6, 8] },
  { key: 'b', start: 5000, end: 15000, values: [5, 6, 10] },
  { key: 'b', start: 10000, end: 20000, values: [10, 12, 15] },
  { key: 'b', start: 15000, end: 25000, values: [12, 15] },
];
// Gap 2 s: a session is [first, last + 2 s). a's 2500 arrives after 4000 and bridges [1000, 3000)
// and [4000, 6000); b's 6000, 5200, 4500 arrive in that order and merge backwards.
const SESSIONS_2S: WindowResult[] = [
  { key: 'a', start: 1000, end: 6000, values: [1, 3, 4] },
  { key: 'a', start: 7000, end: 9000, values: [7] },
  { key: 'a', start: 10000, end: 13000, values: [9, 11] },
  { key: 'a', start: 14000, end: 16000, values: [13] },
  { key: 'a', start: 18500, end: 20500, values: [16] },
  { key: 'a', start: 21000, end: 23000, values: [14] },
  { key: 'b', start: 1500, end: 3500, values: [2] },
  { key: 'b', start: 4500, end: 8000, values: [5, 6, 8] },
  { key: 'b', start: 12500, end: 14500, values: [10] },
  { key: 'b', start: 16000, end: 18000, values: [12] },
  { key: 'b', start: 19000, end: 21000, values: [15] },
];

// jobs/silent-source.ts: 10 s tumbling windows. Held back, the silent subtask's late reading is
// still on time; with idleness the windows fire without it and it is late.
const HELD_BACK: WindowIds[] = [
  { key: 'a', start: 0, end: 10000, ids: ['a-late', 'a1'] },
  { key: 'a', start: 10000, end: 20000, ids: ['a2'] },
  { key: 'b', start: 0, end: 10000, ids: ['b-early', 'b1'] },
  { key: 'b', start: 10000, end: 20000, ids: ['b2'] },
];
const FIRED_WITHOUT_SILENT: WindowIds[] = [
  { key: 'a', start: 0, end: 10000, ids: ['a1'] },
  { key: 'a', start: 10000, end: 20000, ids: ['a2'] },
  { key: 'b', start: 0, end: 10000, ids: ['b-early', 'b1'] },
  { key: 'b', start: 10000, end: 20000, ids: ['b2'] },
];
const LATE_READING: Reading = { key: 'a', ts: 4000, id: 'a-late' };

describe('event-time windows on a session with two TaskManagers, and on the LocalExecutor', () => {
  it('tumbling, sliding and session windows over a fixed out-of-order input give the results worked out by hand', async () => {
    const jobId = await submit(['--parallelism', '2', `${JOBS}/event-time-windows.ts`]);
    await waitForState(jobId, 'FINISHED');
    await expectSpreadOverTwoTaskManagers(jobId);
    expect(taskManagerProcesses(cluster.dir, appId)).toHaveLength(2);
    expect(byKeyAndStart(await collected<WindowResult>(jobId, 'tumbling'))).toEqual(TUMBLING_5S);
    expect(byKeyAndStart(await collected<WindowResult>(jobId, 'sliding'))).toEqual(SLIDING_10S_BY_5S);
    expect(byKeyAndStart(await collected<WindowResult>(jobId, 'sessions'))).toEqual(SESSIONS_2S);

    const local = await startLocal('event-time-windows.ts', []);
    expect((await local.handle.result).status).toBe('FINISHED');
    expect(byKeyAndStart(local.sinks.results<WindowResult>('tumbling'))).toEqual(TUMBLING_5S);
    expect(byKeyAndStart(local.sinks.results<WindowResult>('sliding'))).toEqual(SLIDING_10S_BY_5S);
    expect(byKeyAndStart(local.sinks.results<WindowResult>('sessions'))).toEqual(SESSIONS_2S);
  });

  it('a source subtask gone silent holds every window back, so its late-arriving reading is still on time', async () => {
    const resume = join(scratch, 'resume-held-back');
    const jobId = await submit(['--parallelism', '2', `${JOBS}/silent-source.ts`, '--', '--resume', resume]);
    await waitForState(jobId, 'RUNNING');
    // Subtask 0 has sent all five readings (up to 25 s: watermark 25000 - 1000 - 1), subtask 1 its
    // one (2000 - 1000 - 1); the windows' watermark is the minimum, held back by subtask 1.
    const held = await waitFor(
      async () => {
        const { vertices: all } = await rest<JobWatermarksInfo>(`/jobs/${jobId}/watermarks`);
        const source = all.find((v) => v.source);
        const windows = all.find((v) => v.name.includes('10 s windows'));
        const sourceWatermarks = source?.subtasks.map((t) => t.watermark);
        return sourceWatermarks?.[0] === '23999' && sourceWatermarks[1] === '999' && windows?.['low-watermark'] === '999' ? windows : undefined;
      },
      { timeoutMs: 60_000, description: 'the source subtasks at watermarks 23999 and 999, the windows at 999' },
    );
    expect(held['held-back-by']?.input).toMatchObject({ subtask: 1, watermark: '999', status: 'ACTIVE' });
    await expectSpreadOverTwoTaskManagers(jobId);
    expect(await collected(jobId, 'windows')).toEqual([]);
    writeFileSync(resume, '');
    const windows = await waitFor(async () => {
      const w = await collected<WindowIds>(jobId, 'windows');
      return w.length >= HELD_BACK.length ? w : undefined;
    }, { timeoutMs: 60_000, description: 'the windows after subtask 1 resumed' });
    expect(byKeyAndStart(windows)).toEqual(HELD_BACK);
    expect(await collected(jobId, 'late')).toEqual([]);
    await cancel(jobId);

    const localResume = join(scratch, 'resume-held-back-local');
    const local = await startLocal('silent-source.ts', ['--resume', localResume]);
    writeFileSync(localResume, '');
    await waitFor(() => local.sinks.results('windows').length >= HELD_BACK.length, { description: 'the local windows' });
    expect(byKeyAndStart(local.sinks.results<WindowIds>('windows'))).toEqual(HELD_BACK);
    expect(local.sinks.results('late')).toEqual([]);
    await local.handle.cancel();
  });

  it('withIdleness leaves the silent subtask out: the windows fire without it, and its reading goes to the late side output only', async () => {
    const resume = join(scratch, 'resume-idle');
    const jobId = await submit(['--parallelism', '2', `${JOBS}/silent-source.ts`, '--', '--resume', resume, '--idleness', '1000']);
    // No resume yet: the windows fire while subtask 1 is still silent.
    const windows = await waitFor(async () => {
      const w = await collected<WindowIds>(jobId, 'windows');
      return w.length >= FIRED_WITHOUT_SILENT.length ? w : undefined;
    }, { timeoutMs: 60_000, description: 'the windows while subtask 1 is idle' });
    expect(byKeyAndStart(windows)).toEqual(FIRED_WITHOUT_SILENT);
    await expectSpreadOverTwoTaskManagers(jobId);
    // The windows' inputs from source subtask 1 are IDLE: its 999 no longer counts.
    const idle = await waitFor(async () => {
      const { vertices: all } = await rest<JobWatermarksInfo>(`/jobs/${jobId}/watermarks`);
      const w = all.find((v) => v.name.includes('10 s windows'));
      return w?.['low-watermark'] === '23999' ? w : undefined;
    }, { timeoutMs: 60_000, description: 'the windows at watermark 23999' });
    // (Subtask 0 goes idle too once it has sent everything; then the valve forwards the highest.)
    for (const subtask of idle.subtasks) expect(subtask.channels.find((c) => c.subtask === 1)).toMatchObject({ watermark: '999', status: 'IDLE' });
    writeFileSync(resume, '');
    const late = await waitFor(async () => {
      const l = await collected<Reading>(jobId, 'late');
      return l.length > 0 ? l : undefined;
    }, { timeoutMs: 60_000, description: 'the late reading in the side output' });
    expect(late).toEqual([LATE_READING]);
    expect(byKeyAndStart(await collected<WindowIds>(jobId, 'windows'))).toEqual(FIRED_WITHOUT_SILENT);
    await cancel(jobId);

    const localResume = join(scratch, 'resume-idle-local');
    const local = await startLocal('silent-source.ts', ['--resume', localResume, '--idleness', '1000']);
    await waitFor(() => local.sinks.results('windows').length >= FIRED_WITHOUT_SILENT.length, { description: 'the local windows while subtask 1 is idle' });
    writeFileSync(localResume, '');
    await waitFor(() => local.sinks.results('late').length > 0, { description: 'the local late reading' });
    expect(local.sinks.results('late')).toEqual([LATE_READING]);
    expect(byKeyAndStart(local.sinks.results<WindowIds>('windows'))).toEqual(FIRED_WITHOUT_SILENT);
    await local.handle.cancel();
  });
});

describe('bad input on the session', () => {
  it('an event-time window over records without timestamps fails the job with Flink message in /exceptions', async () => {
    const jobId = await submit(['-D', 'restart-strategy.type=none', `${JOBS}/no-timestamps.ts`]);
    await waitForState(jobId, 'FAILED');
    const exceptions = await rest<{ 'root-exception': string | null }>(`/jobs/${jobId}/exceptions`);
    expect(exceptions['root-exception']).toContain('Record has Long.MIN_VALUE timestamp (= no timestamp marker)');
  });

  it('refuses invalid window parameters while the job is built, naming the assigner or window, and submits nothing', async () => {
    const res = await weft(['run', '--target', 'session', '--app', appId, `${JOBS}/bad-window.ts`, '--', '--case', 'size 0']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('Job file bad-window.ts could not build its job: TumblingEventTimeWindows parameters must satisfy abs(offset) < size and size > 0 (size 0 ms, offset 0 ms)');

    // Every case through Flink's REST API: the JobManager builds the job and answers 400.
    const form = new FormData();
    form.append('jarfile', new Blob([readFileSync(`${JOBS}/bad-window.ts`)]), 'bad-window.ts');
    const upload = (await (await fetch(`${cluster.rmUrl}/proxy/${appId}/jars/upload`, { method: 'POST', body: form })).json()) as { filename: string };
    const jarId = upload.filename.split('/').at(-1)!;
    const refused = async (which: string): Promise<string[]> => {
      const run = await fetch(`${cluster.rmUrl}/proxy/${appId}/jars/${jarId}/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ programArgsList: ['--case', which] }),
      });
      expect(run.status, which).toBe(400);
      return ((await run.json()) as { errors: string[] }).errors;
    };
    const prefix = 'Job file bad-window.ts could not build its job: ';
    expect(await refused('slide 0')).toEqual([`${prefix}SlidingEventTimeWindows parameters must satisfy abs(offset) < slide and size > 0 and slide > 0 (size 10000 ms, slide 0 ms, offset 0 ms)`]);
    expect(await refused('offset = size')).toEqual([`${prefix}TumblingEventTimeWindows parameters must satisfy abs(offset) < size and size > 0 (size 5000 ms, offset 5000 ms)`]);
    expect(await refused('offset = -size')).toEqual([`${prefix}TumblingEventTimeWindows parameters must satisfy abs(offset) < size and size > 0 (size 5000 ms, offset -5000 ms)`]);
    expect(await refused('session gap 0')).toEqual([`${prefix}EventTimeSessionWindows parameters must satisfy 0 < size (session gap 0 ms)`]);
    expect(await refused('negative lateness')).toEqual([`${prefix}window(TumblingEventTimeWindows(5000)).allowedLateness(-1): The allowed lateness cannot be negative.`]);
    const jobs = await rest<{ jobs: { status: string }[] }>('/jobs');
    expect(jobs.jobs.filter((j) => j.status === 'RUNNING')).toEqual([]);
  });

  it('the session keeps running jobs after those failures: the window examples, with no arguments and collected', async () => {
    const attached = await weft(['run', '--target', 'session', '--app', appId, 'examples/session-windows.ts']);
    expect(attached.code, attached.stderr).toBe(0);
    expect(attached.stdout).toMatch(/Job with JobID [0-9a-f]{32} has finished\./);

    const jobId = await submit(['--parallelism', '2', 'examples/sensor-windows.ts', '--', '--collect', 'sensors']);
    await waitForState(jobId, 'FINISHED');
    await expectSpreadOverTwoTaskManagers(jobId);
    const at = (s: number) => Date.UTC(2026, 11, 6, 8, 0, s);
    const sensors = await collected<SensorWindow>(jobId, 'sensors');
    expect([...sensors].sort((x, y) => x.sensor.localeCompare(y.sensor) || x.start - y.start)).toEqual([
      { sensor: 'sensor-1', start: at(0), end: at(10), count: 3, avg: 20.5, max: 20.9 },
      { sensor: 'sensor-1', start: at(10), end: at(20), count: 2, avg: 21.4, max: 21.6 },
      { sensor: 'sensor-1', start: at(20), end: at(30), count: 3, avg: 22.2, max: 22.5 },
      { sensor: 'sensor-1', start: at(30), end: at(40), count: 2, avg: 22.9, max: 23 },
      { sensor: 'sensor-1', start: at(40), end: at(50), count: 1, avg: 23.3, max: 23.3 },
      { sensor: 'sensor-2', start: at(0), end: at(10), count: 3, avg: 22.4, max: 22.8 },
      { sensor: 'sensor-2', start: at(10), end: at(20), count: 1, avg: 23.1, max: 23.1 },
      { sensor: 'sensor-2', start: at(30), end: at(40), count: 2, avg: 24.1, max: 24.2 },
      { sensor: 'sensor-3', start: at(0), end: at(10), count: 2, avg: 19.9, max: 20 },
      { sensor: 'sensor-3', start: at(10), end: at(20), count: 3, avg: 20.3, max: 20.6 },
      { sensor: 'sensor-3', start: at(20), end: at(30), count: 2, avg: 21, max: 21.1 },
      { sensor: 'sensor-3', start: at(30), end: at(40), count: 3, avg: 21.7, max: 22 },
      { sensor: 'sensor-3', start: at(40), end: at(50), count: 1, avg: 22.2, max: 22.2 },
    ]);
    expect(await collected(jobId, 'sensors-late')).toEqual([
      { sensor: 'sensor-2', ts: at(17), celsius: 23.4 },
      { sensor: 'sensor-2', ts: at(19), celsius: 23.6 },
    ]);
    expect((await rest<{ taskmanagers: number }>('/overview')).taskmanagers).toBe(2);
  });
});
