import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadJob } from '../../../runtime/api/job-loader.ts';
import { CollectRegistry } from '../../../runtime/streaming/collect-output.ts';
import { LocalExecutor } from '../../../runtime/streaming/local/local-executor.ts';
import { MemoryTextOutput } from '../../../runtime/streaming/text-output.ts';
import type { Attribution } from '../../../examples/ad-click-join.ts';
import { startMiniCluster, type MiniCluster } from '../../fixtures/mini-cluster.ts';
import { ProcessRegistry } from '../../fixtures/processes.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { runLocal, runWeft } from '../../fixtures/weft-cli.ts';
import { FAST_FLINK_CONF, flinkGet, taskManagerProcesses } from './flink-e2e.ts';

/**
 * Two-input operators on a real cluster: one YARN mini cluster, one Flink session with two
 * TaskManagers of one slot each, so a job at parallelism 2 runs one subtask of each parallel
 * vertex on each TaskManager and the records of both inputs cross the network by key. Each job
 * also runs on the LocalExecutor, which must give the same results; the expected results are
 * worked out by hand from the inputs in the job files.
 */

const registry = new ProcessRegistry();
let cluster: MiniCluster;
let appId: string;

const SESSION_FLAGS = [
  '--tm-memory', '256', '--jm-memory', '256', '--slots', '1',
  ...FAST_FLINK_CONF.filter((kv) => !kv.startsWith('resourcemanager.taskmanager-timeout=')).flatMap((kv) => ['-D', kv]),
  '-D', 'resourcemanager.taskmanager-timeout=600000',
];
const JOBS = 'test/e2e/flink/jobs';

const weft = (args: string[]) => runWeft(args, { rmUrl: cluster.rmUrl, registry, timeoutMs: 110_000 });
const rest = <T>(path: string) => flinkGet<T>(cluster.rmUrl, appId, path);

async function submit(args: string[]): Promise<string> {
  const res = await weft(['--json', 'run', '--target', 'session', '--app', appId, '--detached', ...args]);
  expect(res.code, res.stderr).toBe(0);
  return (JSON.parse(res.stdout) as { jobId: string }).jobId;
}

const waitForState = (jobId: string, state: string) =>
  waitFor(async () => (await rest<{ state: string }>(`/jobs/${jobId}`)).state === state, { timeoutMs: 60_000, description: `job ${jobId} ${state}` });
const collected = async <T>(jobId: string, sink: string): Promise<T[]> => (await rest<{ records: T[] }>(`/jobs/${jobId}/collect/${sink}`)).records;

interface VertexSubtasks {
  name: string;
  parallelism: number;
  subtasks: { subtask: number; 'taskmanager-id': string }[];
}

/** The named vertex ran its two subtasks on two different TaskManagers. */
async function expectSpreadOverTwoTaskManagers(jobId: string, vertexName: string): Promise<void> {
  const job = await rest<{ vertices: { id: string; name: string }[] }>(`/jobs/${jobId}`);
  const vertex = job.vertices.find((v) => v.name.startsWith(vertexName));
  expect(vertex, `${vertexName} in ${job.vertices.map((v) => v.name).join(', ')}`).toBeDefined();
  const details = await rest<VertexSubtasks>(`/jobs/${jobId}/vertices/${vertex!.id}`);
  expect(new Set(details.subtasks.map((s) => s['taskmanager-id'])).size, details.name).toBe(2);
}

async function runOnLocalExecutor(file: string, args: string[]): Promise<CollectRegistry> {
  const sinks = new CollectRegistry();
  const job = await loadJob(file, args, { parallelism: 2 });
  await new LocalExecutor({ services: { collectOutput: sinks, stdout: new MemoryTextOutput() } }).execute(job);
  return sinks;
}

beforeAll(async () => {
  cluster = await startMiniCluster({ registry, nodes: 2, nodeMemoryMb: 4096 });
  const res = await weft(['--json', 'session', 'start', '--detached', '--name', 'two-input e2e', ...SESSION_FLAGS]);
  expect(res.code, res.stderr).toBe(0);
  appId = (JSON.parse(res.stdout) as { applicationId: string }).applicationId;
});

afterAll(async () => {
  const dir = cluster?.dir;
  if (appId !== undefined) await weft(['session', 'stop', appId]);
  await cluster?.stop();
  await registry.cleanup();
  await registry.assertNoneLeft(dir ? [dir] : []);
});

// From ORDERS and PAYMENTS in jobs/order-payment-join.ts: o2, o5, o8 have no payment and time out
// 100 ms after they were placed; o3's payment (2900) precedes its order (3000).
const ORDER_PAYMENTS = [
  'o1 paid 10 by card',
  'o2 unpaid at 2100',
  'o3 paid 30 by cash',
  'o4 paid 40 by card',
  'o5 unpaid at 5100',
  'o6 paid 60 by voucher',
  'o7 paid 70 by card',
  'o8 unpaid at 8100',
];

// From IMPRESSIONS and CLICKS in examples/ad-click-join.ts: a click meets the impressions of its
// user and ad in [click - 10 s, click]; u3's click is 12 s after its impression, u4 has none.
const at = (s: number) => Date.UTC(2026, 11, 6, 8, 0, 0) + s * 1000;
const ATTRIBUTIONS: Attribution[] = [
  { user: 'u2', ad: 'ad-1', impressionTs: at(2), clickTs: at(2.5), ts: at(2.5) },
  { user: 'u1', ad: 'ad-1', impressionTs: at(1), clickTs: at(4), ts: at(4) },
  { user: 'u2', ad: 'ad-2', impressionTs: at(8), clickTs: at(9.5), ts: at(9.5) },
  { user: 'u1', ad: 'ad-1', impressionTs: at(15), clickTs: at(18), ts: at(18) },
];
const byClick = (a: readonly Attribution[]): Attribution[] => [...a].sort((x, y) => x.clickTs - y.clickTs);

describe('two-input operators on a session with two TaskManagers, and on the LocalExecutor', () => {
  it('a keyed co-process join of two parallel sources gives the expected pairs and timeouts', async () => {
    const jobId = await submit(['--parallelism', '2', `${JOBS}/order-payment-join.ts`]);
    await waitForState(jobId, 'FINISHED');
    await expectSpreadOverTwoTaskManagers(jobId, 'match payments');
    await expectSpreadOverTwoTaskManagers(jobId, 'Source: orders');
    expect(taskManagerProcesses(cluster.dir, appId)).toHaveLength(2);
    expect((await collected<string>(jobId, 'joined')).sort()).toEqual(ORDER_PAYMENTS);

    const local = await runOnLocalExecutor(join(JOBS, 'order-payment-join.ts'), []);
    expect(local.results<string>('joined').sort()).toEqual(ORDER_PAYMENTS);
  });

  it('the interval-join example attributes each click to the impressions before it', async () => {
    const jobId = await submit(['--parallelism', '2', 'examples/ad-click-join.ts', '--', '--collect', 'pairs']);
    await waitForState(jobId, 'FINISHED');
    await expectSpreadOverTwoTaskManagers(jobId, 'attribute clicks');
    expect(byClick(await collected<Attribution>(jobId, 'pairs'))).toEqual(ATTRIBUTIONS);

    const local = await runOnLocalExecutor('examples/ad-click-join.ts', ['--collect', 'pairs']);
    expect(byClick(local.results<Attribution>('pairs'))).toEqual(ATTRIBUTIONS);
  });
});

// The same events in 10 s tumbling windows: u3's click (17 s) and its impression (5 s) fall in
// different windows; every pair is stamped with its window's end.
const WINDOW_PAIRS = ['u1 ad-1 1 -> 4 @ 10', 'u1 ad-1 15 -> 18 @ 20', 'u2 ad-1 2 -> 2.5 @ 10', 'u2 ad-2 8 -> 9.5 @ 10'];

describe('a window join on the session, and on the LocalExecutor', () => {
  it('pairs the impressions and clicks of one user and ad in the same window', async () => {
    const jobId = await submit(['--parallelism', '2', `${JOBS}/ad-window-join.ts`]);
    await waitForState(jobId, 'FINISHED');
    await expectSpreadOverTwoTaskManagers(jobId, 'Window(');
    expect((await collected<string>(jobId, 'pairs')).sort()).toEqual(WINDOW_PAIRS);

    const local = await runOnLocalExecutor(join(JOBS, 'ad-window-join.ts'), []);
    expect(local.results<string>('pairs').sort()).toEqual(WINDOW_PAIRS);
  });
});

describe('examples/ad-click-join.ts, run locally with no arguments', () => {
  it('prints each attributed click', async () => {
    const res = await runLocal(['examples/ad-click-join.ts'], { registry });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.split('\n').filter((l) => l.length > 0).sort()).toEqual([
      'u1 ad-1  impression 08:00:01.0 -> click 08:00:04.0  after 3.0 s',
      'u1 ad-1  impression 08:00:15.0 -> click 08:00:18.0  after 3.0 s',
      'u2 ad-1  impression 08:00:02.0 -> click 08:00:02.5  after 0.5 s',
      'u2 ad-2  impression 08:00:08.0 -> click 08:00:09.5  after 1.5 s',
    ]);
  });
});
