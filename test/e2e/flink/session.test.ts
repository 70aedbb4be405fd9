import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMiniCluster, type MiniCluster } from '../../fixtures/mini-cluster.ts';
import { listProcesses, ProcessRegistry } from '../../fixtures/processes.ts';
import { appContainers, appState, rmRest } from '../../fixtures/rm-rest.ts';
import type { ApplicationClientProtocol } from '../../../rm/protocol/client-rm.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { runWeft } from '../../fixtures/weft-cli.ts';
import { rmSync } from 'node:fs';
import { BUNDLED_TEXT } from '../../../examples/word-count.ts';
import { FLINK_FLAGS, expectedUserJobCounts, expectedWordCounts, finalCounts, flinkGet, taskManagerProcesses, writeUserJobOutsideRepo } from './flink-e2e.ts';

const registry = new ProcessRegistry();
let cluster: MiniCluster;
let rm: ApplicationClientProtocol;
let appId: string;
let userJob: { dir: string; file: string } | undefined;

const weft = (args: string[], timeoutMs = 110_000) => runWeft(args, { rmUrl: cluster.rmUrl, registry, timeoutMs });
const containerProcesses = () => listProcesses().filter((p) => p.cwd.startsWith(`${cluster.dir}/`));
const rest = <T>(path: string) => flinkGet<T>(cluster.rmUrl, appId, path);

interface Overview {
  taskmanagers: number;
  'slots-total': number;
  'slots-available': number;
  'jobs-running': number;
  'jobs-finished': number;
  'jobs-cancelled': number;
}
interface TaskManagers {
  taskmanagers: { id: string; slotsNumber: number; freeSlots: number }[];
}
interface Collected {
  records: { key: string; count: number }[];
}
interface JobDetails {
  state: string;
  vertices: { name: string; parallelism: number }[];
}

async function submit(args: string[]): Promise<string> {
  const res = await weft(['--json', 'run', '--target', 'session', '--app', appId, '--detached', ...args]);
  expect(res.code, res.stderr).toBe(0);
  return (JSON.parse(res.stdout) as { jobId: string }).jobId;
}

const jobState = async (jobId: string): Promise<string> => (await rest<{ state: string }>(`/jobs/${jobId}`)).state;

beforeAll(async () => {
  cluster = await startMiniCluster({ registry, nodes: 2, nodeMemoryMb: 4096 });
  rm = rmRest(cluster.rmUrl);
});

afterAll(async () => {
  const dir = cluster?.dir;
  await cluster?.stop();
  await registry.cleanup();
  await registry.assertNoneLeft(dir ? [dir] : []);
  if (userJob) rmSync(userJob.dir, { recursive: true, force: true });
});

describe('a Flink session cluster on YARN', () => {
  afterEach(() => {
    // Nothing else runs on the mini cluster: any container process belongs to this session.
    expect(containerProcesses().every((p) => p.cwd.includes(appId))).toBe(true);
  });

  it('starts a JobManager without TaskManagers and serves Flink REST through the RM proxy', async () => {
    const res = await weft(['session', 'start', '--detached', '--name', 'e2e session', ...FLINK_FLAGS]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('Deploying cluster, current state');
    expect(res.stderr).toContain('YARN application has been deployed successfully.');
    const m = /JobManager Web Interface: (\S+)/.exec(res.stdout);
    expect(m?.[1]).toMatch(new RegExp(`^${cluster.rmUrl}/proxy/application_\\d+_\\d+/$`));
    appId = /application_\d+_\d+/.exec(m![1]!)![0];
    const { app } = await rm.app({ params: { appid: appId }, body: undefined });
    expect(app).toMatchObject({ state: 'RUNNING', applicationType: 'Apache Flink', name: 'e2e session' });
    expect(await rest<Overview>('/overview')).toMatchObject({ taskmanagers: 0, 'slots-total': 0, 'jobs-running': 0 });
  });

  it('runs two jobs sharing one TaskManager, both with correct results', async () => {
    const jobA = await submit(['test/e2e/flink/jobs/slow-count.ts', '--', '--name', 'A', '--events', '60', '--rate', '10', '--collect', 'out']);
    const jobB = await submit(['test/e2e/flink/jobs/slow-count.ts', '--', '--name', 'B', '--events', '40', '--rate', '10', '--collect', 'out']);
    // Each job needs one slot; a TaskManager has two: one TaskManager serves both.
    const overview = await waitFor(
      async () => {
        const o = await rest<Overview>('/overview');
        // A job is RUNNING as soon as it schedules; its slots arrive with the TaskManager.
        return o['jobs-running'] === 2 && o['slots-total'] > 0 && o['slots-available'] === 0 ? o : undefined;
      },
      { timeoutMs: 30_000, description: 'both jobs running on the shared TaskManager' },
    );
    expect(overview).toMatchObject({ taskmanagers: 1, 'slots-total': 2, 'slots-available': 0 });
    const tms = await rest<TaskManagers>('/taskmanagers');
    expect(tms.taskmanagers).toHaveLength(1);
    expect(tms.taskmanagers[0]).toMatchObject({ slotsNumber: 2, freeSlots: 0 });
    expect(taskManagerProcesses(cluster.dir, appId)).toHaveLength(1);
    for (const jobId of [jobA, jobB]) {
      await waitFor(async () => (await jobState(jobId)) === 'FINISHED', { timeoutMs: 30_000, description: `job ${jobId} FINISHED` });
    }
    const a = await rest<Collected>(`/jobs/${jobA}/collect/out`);
    const b = await rest<Collected>(`/jobs/${jobB}/collect/out`);
    const lines = (c: Collected) => c.records.map((r) => JSON.stringify(r));
    expect(finalCounts(lines(a), 'key', 'count')).toEqual(new Map([['k0', 15], ['k1', 15], ['k2', 15], ['k3', 15]]));
    expect(finalCounts(lines(b), 'key', 'count')).toEqual(new Map([['k0', 10], ['k1', 10], ['k2', 10], ['k3', 10]]));
    expect(a.records).toHaveLength(60);
    expect(b.records).toHaveLength(40);
  });

  it('cancels a running job; `weft job list` shows it CANCELED', async () => {
    const jobId = await submit(['test/e2e/flink/jobs/slow-count.ts', '--', '--name', 'Endless', '--events', '100000000', '--rate', '5', '--collect', 'out']);
    await waitFor(async () => (await jobState(jobId)) === 'RUNNING', { timeoutMs: 30_000, description: 'the job RUNNING' });
    const status = await weft(['job', 'status', '--app', appId, jobId]);
    expect(status.stdout).toContain('State : RUNNING');
    const cancel = await weft(['job', 'cancel', '--app', appId, jobId]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain(`Cancelled job ${jobId}.`);
    await waitFor(async () => (await jobState(jobId)) === 'CANCELED', { timeoutMs: 30_000, description: 'the job CANCELED' });
    const list = await weft(['job', 'list', '--app', appId]);
    expect(list.stdout).toContain(`: ${jobId} : Endless (CANCELED)`);
    expect(list.stdout).toContain('Terminated Jobs');
  });

  it('an attached `weft run` waits for the job and exits 0 when it FINISHED', async () => {
    const res = await weft(['run', '--target', 'session', '--app', appId, 'examples/union.ts', '--', '--collect', 'u']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Job has been submitted with JobID [0-9a-f]{32}/);
    expect(res.stdout).toMatch(/Job with JobID [0-9a-f]{32} has finished\./);
  });

  it.each([
    ['--parallelism 2', ['--parallelism', '2']],
    ['-D parallelism.default=2', ['-D', 'parallelism.default=2']],
  ])('runs WordCount with %s on the session: parallel vertices, correct counts', async (_name, flags) => {
    const jobId = await submit([...flags, 'examples/word-count.ts', '--', '--collect', 'wc']);
    await waitFor(async () => (await jobState(jobId)) === 'FINISHED', { timeoutMs: 30_000, description: `job ${jobId} FINISHED` });
    const details = await rest<JobDetails>(`/jobs/${jobId}`);
    // The bundled text is a non-parallel source; the tokenizer and the counter run with the default.
    expect(details.vertices.map((v) => v.parallelism)).toEqual([1, 2, 2]);
    const collected = await rest<{ records: { word: string; count: number }[] }>(`/jobs/${jobId}/collect/wc`);
    expect(finalCounts(collected.records.map((r) => JSON.stringify(r)), 'word', 'count')).toEqual(expectedWordCounts(BUNDLED_TEXT));
  });

  it('runs a TypeScript job file from outside the repository', async () => {
    userJob = writeUserJobOutsideRepo();
    const jobId = await submit([userJob.file, '--', '--collect', 'mine']);
    await waitFor(async () => (await jobState(jobId)) === 'FINISHED', { timeoutMs: 30_000, description: `job ${jobId} FINISHED` });
    const collected = await rest<{ records: { word: string; count: number }[] }>(`/jobs/${jobId}/collect/mine`);
    expect(finalCounts(collected.records.map((r) => JSON.stringify(r)), 'word', 'count')).toEqual(expectedUserJobCounts());
  });

  it('an attached run prints each restart with its cause, then the failure that ended the job', async () => {
    const flags = ['-D', 'restart-strategy.type=fixed-delay', '-D', 'restart-strategy.fixed-delay.attempts=1', '-D', 'restart-strategy.fixed-delay.delay=1 s'];
    const res = await weft(['run', '--target', 'session', '--app', appId, ...flags, 'test/e2e/flink/jobs/failing.ts']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/Job with JobID [0-9a-f]{32} ended in state FAILED\./);
    expect(res.stderr).toMatch(/Job [0-9a-f]{32} is restarting \(restart 1\) after a failure in .+ on \S+ at [0-9.: ]+: Error: Intentional failure in the e2e failing job at record 5\n/);
    expect(res.stderr).toMatch(/Job [0-9a-f]{32} failed in .+ at [0-9.: ]+: Error: Intentional failure in the e2e failing job at record 5\n/);
    expect(res.stderr).not.toContain('(restart 2)');
  });

  it('releases idle TaskManagers after resourcemanager.taskmanager-timeout', async () => {
    await waitFor(async () => (await rest<Overview>('/overview')).taskmanagers === 0, { timeoutMs: 30_000, description: 'no TaskManager left' });
    await waitFor(() => taskManagerProcesses(cluster.dir, appId).length === 0, { timeoutMs: 15_000, description: 'TaskManager processes gone' });
    // Only the JobManager's own container stays.
    await waitFor(async () => (await appContainers(rm, appId)).filter((c) => c.containerState !== 'COMPLETE').length === 1, {
      timeoutMs: 15_000,
      description: 'only the JobManager container running',
    });
    expect((await rest<Overview>('/overview'))['jobs-finished']).toBeGreaterThanOrEqual(3);
  });

  it('stops with `weft session stop`: FINISHED/SUCCEEDED, no container left', async () => {
    const res = await weft(['session', 'stop', appId]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('finished with state FINISHED and final status SUCCEEDED');
    expect(await appState(rm, appId)).toMatchObject({ state: 'FINISHED', finalStatus: 'SUCCEEDED', diagnostics: 'Flink session stopped' });
    await waitFor(() => containerProcesses().length === 0, { timeoutMs: 15_000, description: 'container processes to exit' });
  });

  it('a session killed through YARN leaves no JobManager or TaskManager process behind', async () => {
    const res = await weft(['--json', 'session', 'start', '--detached', ...FLINK_FLAGS]);
    expect(res.code, res.stderr).toBe(0);
    appId = (JSON.parse(res.stdout) as { applicationId: string }).applicationId;
    const jobId = await submit(['test/e2e/flink/jobs/slow-count.ts', '--', '--events', '100000000', '--rate', '5']);
    await waitFor(async () => (await jobState(jobId)) === 'RUNNING', { timeoutMs: 30_000, description: 'the job RUNNING' });
    await waitFor(() => taskManagerProcesses(cluster.dir, appId).length === 1, { timeoutMs: 30_000, description: 'a TaskManager process' });
    const kill = await weft(['app', 'kill', appId]);
    expect(kill.code, kill.stderr).toBe(0);
    expect(await appState(rm, appId)).toMatchObject({ state: 'KILLED' });
    await waitFor(() => containerProcesses().length === 0, { timeoutMs: 15_000, description: 'every container process to exit' });
  });
});
