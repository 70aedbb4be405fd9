import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessRegistry, WEFT_HOME, type StartedProcess } from '../../fixtures/processes.ts';
import { appState, rmRest } from '../../fixtures/rm-rest.ts';
import { runWeft } from '../../fixtures/weft-cli.ts';
import { appIdOf, expectedUserJobCounts, finalCounts, flinkGet, writeUserJobOutsideRepo } from './flink-e2e.ts';

/**
 * The README's Flink path as a new user takes it: a fresh copy of the checkout, `weft cluster
 * start` with its defaults (state in `.weft/` of the checkout), a session with an example and a
 * job file of the user's own from outside the repository, then that job file per-job. Only the
 * port differs (8088 may be taken).
 */
const registry = new ProcessRegistry();
/** What a fresh clone has: everything but installed packages, state and git metadata. */
const NOT_IN_A_CLONE = new Set(['node_modules', '.git', '.weft', 'test-results', 'dist']);
let parent: string;
let checkout: string;
let cluster: StartedProcess;
let rmUrl: string;
let userJob: { dir: string; file: string };
let out: string;

const weft = (args: string[], timeoutMs = 110_000) => runWeft(args, { rmUrl, home: checkout, cwd: checkout, registry, timeoutMs });

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'weft-readme-'));
  checkout = join(parent, 'weft');
  cpSync(WEFT_HOME, checkout, { recursive: true, filter: (src) => !NOT_IN_A_CLONE.has(relative(WEFT_HOME, src).split('/')[0]!) });
  symlinkSync(realpathSync(join(WEFT_HOME, 'node_modules')), join(checkout, 'node_modules'), 'dir');
  userJob = writeUserJobOutsideRepo();
  out = mkdtempSync(join(tmpdir(), 'weft-readme-out-'));
  cluster = await registry.start('weft cluster start', process.execPath, { cwd: checkout, args: [join(checkout, 'bin/weft.js'), '--json', 'cluster', 'start', '--port', '0'] });
  rmUrl = String(cluster.ready.url);
});

afterAll(async () => {
  await registry.cleanup();
  await registry.assertNoneLeft(parent ? [parent] : []);
  for (const d of [parent, userJob?.dir, out]) if (d) rmSync(d, { recursive: true, force: true });
});

describe("the README's Flink path on `weft cluster start` with its defaults", () => {
  let session: string;

  it('keeps the cluster state in .weft/ of the checkout', () => {
    expect(cluster.ready.dir).toBe(join(checkout, '.weft'));
    expect(readdirSync(join(checkout, '.weft')).sort()).toEqual(expect.arrayContaining(['logs', 'nm-0', 'nm-1', 'rm']));
  });

  it('starts a session, runs examples/union.ts on it attached, then a TypeScript job file from outside the repository', async () => {
    const started = await weft(['session', 'start', '--detached'], 60_000);
    expect(started.code, started.stderr).toBe(0);
    session = appIdOf(started.stdout);

    const union = await weft(['run', '--target', 'session', '--app', session, 'examples/union.ts']);
    expect(union.code, `${union.stdout}\n${union.stderr}`).toBe(0);
    expect(union.stdout).toMatch(/Job with JobID [0-9a-f]{32} has finished\./);

    const mine = await weft(['run', '--target', 'session', '--app', session, userJob.file, '--', '--collect', 'mine']);
    expect(mine.code, `${mine.stdout}\n${mine.stderr}`).toBe(0);
    const jobId = /JobID ([0-9a-f]{32})/.exec(mine.stdout)![1]!;
    const collected = await flinkGet<{ records: { word: string; count: number }[] }>(rmUrl, session, `/jobs/${jobId}/collect/mine`);
    expect(finalCounts(collected.records.map((r) => JSON.stringify(r)), 'word', 'count')).toEqual(expectedUserJobCounts());
  });

  it('stops the session', async () => {
    const stopped = await weft(['session', 'stop', session], 30_000);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(await appState(rmRest(rmUrl), session)).toMatchObject({ state: 'FINISHED', finalStatus: 'SUCCEEDED' });
  });

  it('runs the job file from outside the repository per-job, attached, and removes what it staged', async () => {
    const output = join(out, 'my-count');
    const res = await weft(['run', '--target', 'per-job', userJob.file, '--', '--output', output]);
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    expect(res.stdout).toMatch(/finished with state FINISHED and final status SUCCEEDED/);
    const lines = readFileSync(output, 'utf8').split('\n').filter((l) => l.trim() !== '');
    expect(finalCounts(lines, 'word', 'count')).toEqual(expectedUserJobCounts());
    expect(existsSync(join(checkout, '.weft/staging', appIdOf(res.stdout)))).toBe(false);
  });

  it('stops every daemon and container on Ctrl-C', async () => {
    process.kill(cluster.pid, 'SIGINT');
    expect((await cluster.exited).code).toBe(0);
    await registry.assertNoneLeft([parent]);
  });
});
