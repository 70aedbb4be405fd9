import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMiniCluster, type MiniCluster } from '../../fixtures/mini-cluster.ts';
import { listProcesses, ProcessRegistry, WEFT_HOME } from '../../fixtures/processes.ts';
import { appContainers, appState, rmRest } from '../../fixtures/rm-rest.ts';
import type { ApplicationClientProtocol } from '../../../rm/protocol/client-rm.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { runWeft } from '../../fixtures/weft-cli.ts';
import { BUNDLED_TEXT } from '../../../examples/word-count.ts';
import {
  FLINK_FLAGS,
  appIdOf,
  expectedUserJobCounts,
  expectedWordCounts,
  finalCounts,
  flinkGet,
  killProcessGroup,
  sinkLines,
  taskManagerProcesses,
  writeUserJobOutsideRepo,
} from './flink-e2e.ts';

const registry = new ProcessRegistry();
let cluster: MiniCluster;
let rm: ApplicationClientProtocol;
let out: string;
let userJob: { dir: string; file: string };

const weft = (args: string[], timeoutMs = 110_000) => runWeft(args, { rmUrl: cluster.rmUrl, registry, timeoutMs });
const containerProcesses = () => listProcesses().filter((p) => p.cwd.startsWith(`${cluster.dir}/`));

beforeAll(async () => {
  cluster = await startMiniCluster({ registry, nodes: 2, nodeMemoryMb: 4096 });
  rm = rmRest(cluster.rmUrl);
  out = mkdtempSync(join(tmpdir(), 'weft-flink-out-'));
  userJob = writeUserJobOutsideRepo();
});

afterEach(async () => {
  await waitFor(() => containerProcesses().length === 0, { timeoutMs: 15_000, description: 'container processes to exit' }).catch(() => {
    throw new Error(`container processes left:\n${containerProcesses().map((p) => `  ${p.pid}: ${p.cmdline}`).join('\n')}`);
  });
});

afterAll(async () => {
  const dir = cluster?.dir;
  await cluster?.stop();
  await registry.cleanup();
  await registry.assertNoneLeft(dir ? [dir] : []);
  rmSync(out, { recursive: true, force: true });
  if (userJob) rmSync(userJob.dir, { recursive: true, force: true });
});

describe('Flink per-job and application clusters on YARN', () => {
  it('runs WordCount per-job: correct counts, app FINISHED/SUCCEEDED, no container left', async () => {
    const output = join(out, 'word-count');
    // No --input: the example runs on its bundled text, which must reach the TaskManagers with the job file.
    const res = await weft(['run', '--target', 'per-job', ...FLINK_FLAGS, 'examples/word-count.ts', '--', '--output', output]);
    expect(res.stderr).toContain('Deploying cluster, current state');
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    const appId = appIdOf(res.stdout + res.stderr);
    expect(res.stdout).toContain(`Application ${appId} finished with state FINISHED and final status SUCCEEDED`);
    expect(finalCounts(sinkLines(output), 'word', 'count')).toEqual(expectedWordCounts(BUNDLED_TEXT));
    const app = await appState(rm, appId);
    expect(app).toMatchObject({ state: 'FINISHED', finalStatus: 'SUCCEEDED' });
    const { app: full } = await rm.app({ params: { appid: appId }, body: undefined });
    expect(full.applicationType).toBe('Apache Flink');
    await waitFor(async () => (await appContainers(rm, appId)).every((c) => c.containerState === 'COMPLETE'), { timeoutMs: 15_000, description: 'every container COMPLETE' });
    // The JobManager removed the files the client staged for it.
    expect(existsSync(join(WEFT_HOME, '.weft/staging', appId))).toBe(false);
  });

  it.each([
    ['per-job', '--parallelism 2', ['--parallelism', '2']],
    ['per-job', '-D parallelism.default=2', ['-D', 'parallelism.default=2']],
    ['application', '--parallelism 2', ['--parallelism', '2']],
    ['application', '-D parallelism.default=2', ['-D', 'parallelism.default=2']],
  ])('runs WordCount %s with %s: two sink subtasks, correct counts', async (target, _name, flags) => {
    const output = join(out, `word-count-p2-${target}-${flags[0]!.replace(/\W/g, '')}`);
    const command = target === 'per-job' ? ['run', '--target', 'per-job'] : ['run-application'];
    const res = await weft([...command, ...FLINK_FLAGS, ...flags, 'examples/word-count.ts', '--', '--output', output]);
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    expect(res.stdout).toMatch(/finished with state FINISHED and final status SUCCEEDED/);
    // A file sink of parallelism 2 writes one file per subtask into a directory.
    expect(readdirSync(output).sort()).toEqual(['1', '2']);
    expect(finalCounts(sinkLines(output), 'word', 'count')).toEqual(expectedWordCounts(BUNDLED_TEXT));
  });

  it('runs a TypeScript job file from outside the repository per-job and in application mode', async () => {
    for (const mode of [['run', '--target', 'per-job'], ['run-application']]) {
      const output = join(out, `user-job-${mode.at(-1)!}`);
      const res = await weft([...mode, ...FLINK_FLAGS, userJob.file, '--', '--output', output]);
      expect(res.code, `${mode.join(' ')}\n${res.stdout}\n${res.stderr}`).toBe(0);
      expect(res.stdout).toMatch(/finished with state FINISHED and final status SUCCEEDED/);
      expect(finalCounts(sinkLines(output), 'word', 'count')).toEqual(expectedUserJobCounts());
    }
  });

  it('refuses a job file with a syntax error before deploying anything, naming the file and line', async () => {
    const broken = join(userJob.dir, 'broken.ts');
    writeFileSync(broken, "import type { StreamExecutionEnvironment } from 'weft';\nexport default (env: StreamExecutionEnvironment) => {\n  env.fromElements(1).print(;\n};\n");
    const before = (await rm.apps({ query: {}, body: undefined })).apps?.app.length ?? 0;
    for (const mode of [['run', '--target', 'per-job'], ['run-application']]) {
      const res = await weft([...mode, ...FLINK_FLAGS, broken]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`weft: Job file ${broken} could not be compiled:\n  broken.ts:3:29: Unexpected ";"`);
    }
    expect((await rm.apps({ query: {}, body: undefined })).apps?.app.length ?? 0).toBe(before);
  });

  it('an attached per-job run prints each restart with its cause', async () => {
    const flags = [...FLINK_FLAGS, '-D', 'restart-strategy.type=fixed-delay', '-D', 'restart-strategy.fixed-delay.attempts=2', '-D', 'restart-strategy.fixed-delay.delay=1 s'];
    const res = await weft(['run', '--target', 'per-job', ...flags, 'test/e2e/flink/jobs/failing.ts']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('finished with state FINISHED and final status FAILED');
    for (const n of [1, 2]) {
      expect(res.stderr).toMatch(new RegExp(`Job [0-9a-f]{32} is restarting \\(restart ${n}\\) after a failure in .+ \\(1/1\\) on \\S+ at [0-9.: ]+: Error: Intentional failure in the e2e failing job at record 5`));
    }
    expect(res.stderr).not.toContain('(restart 3)');
  });

  it('a per-job job that throws ends FAILED with its exception in /jobs/:id/exceptions and in the YARN diagnostics', async () => {
    // One restart, 3 s apart: long enough to read the exception history through the proxy.
    const flags = [...FLINK_FLAGS, '-D', 'restart-strategy.type=fixed-delay', '-D', 'restart-strategy.fixed-delay.attempts=1', '-D', 'restart-strategy.fixed-delay.delay=3 s'];
    const submitted = await weft(['--json', 'run', '--target', 'per-job', '--detached', ...flags, 'test/e2e/flink/jobs/failing.ts']);
    expect(submitted.code, submitted.stderr).toBe(0);
    const { applicationId: appId, jobId } = JSON.parse(submitted.stdout) as { applicationId: string; jobId: string };
    const history = await waitFor(
      async () => {
        const body = await flinkGet<{ 'root-exception'?: string | null; exceptionHistory?: { entries: { exceptionName: string; stacktrace: string }[] } }>(cluster.rmUrl, appId, `/jobs/${jobId}/exceptions`);
        return body['root-exception'] || (body.exceptionHistory?.entries.length ?? 0) > 0 ? body : undefined;
      },
      { timeoutMs: 40_000, description: 'the exception in /jobs/:id/exceptions' },
    );
    expect(JSON.stringify(history)).toContain('Intentional failure in the e2e failing job at record 5');
    const app = await waitFor(async () => {
      const a = await appState(rm, appId);
      return a.state === 'FINISHED' || a.state === 'FAILED' || a.state === 'KILLED' ? a : undefined;
    }, { timeoutMs: 40_000, description: 'the app to end' });
    expect(app.finalStatus).toBe('FAILED');
    expect(app.diagnostics).toContain(`Job ${jobId} failed`);
    expect(app.diagnostics).toContain('Intentional failure in the e2e failing job at record 5');
  });

  it('runs a job file in application mode: main() in the JobManager, SUCCEEDED', async () => {
    const output = join(out, 'application');
    const input = join(out, 'input.txt');
    writeFileSync(input, BUNDLED_TEXT.toUpperCase());
    const res = await weft(['run-application', ...FLINK_FLAGS, 'examples/word-count.ts', '--', '--input', input, '--output', output]);
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    expect(res.stdout).toMatch(/finished with state FINISHED and final status SUCCEEDED/);
    expect(finalCounts(sinkLines(output), 'word', 'count')).toEqual(expectedWordCounts(BUNDLED_TEXT));
  });

  it('restarts the job on a replacement container when a TaskManager container is killed', async () => {
    const output = join(out, 'slow-count');
    // Without checkpointing Flink does not restart unless told to.
    const restarts = ['-D', 'restart-strategy.type=fixed-delay', '-D', 'restart-strategy.fixed-delay.attempts=3'];
    const submitted = await weft(['--json', 'run', '--target', 'per-job', '--detached', ...FLINK_FLAGS, ...restarts, 'test/e2e/flink/jobs/slow-count.ts', '--', '--events', '120', '--rate', '15', '--output', output]);
    expect(submitted.code, submitted.stderr).toBe(0);
    const { applicationId: appId } = JSON.parse(submitted.stdout) as { applicationId: string };
    const victim = await waitFor(() => taskManagerProcesses(cluster.dir, appId)[0], { timeoutMs: 30_000, description: 'a TaskManager process' });
    // Let the job run for a while (it takes 8 s), then kill the TaskManager's whole process group.
    await new Promise((r) => setTimeout(r, 3000));
    killProcessGroup(victim);
    await waitFor(() => taskManagerProcesses(cluster.dir, appId).find((p) => p.cwd !== victim.cwd), { timeoutMs: 30_000, description: 'a replacement TaskManager' });
    const app = await waitFor(async () => {
      const a = await appState(rm, appId);
      return a.state === 'FINISHED' || a.state === 'FAILED' || a.state === 'KILLED' ? a : undefined;
    }, { timeoutMs: 60_000, description: 'the app to end' });
    expect(app, app.diagnostics).toMatchObject({ state: 'FINISHED', finalStatus: 'SUCCEEDED' });
    // The restarted job ran from scratch and wrote every final count.
    expect(finalCounts(sinkLines(output), 'key', 'count')).toEqual(new Map([['k0', 30], ['k1', 30], ['k2', 30], ['k3', 30]]));
    const containers = await appContainers(rm, appId);
    expect(containers.length).toBeGreaterThanOrEqual(3);
  });
});
