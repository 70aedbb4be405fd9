import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessRegistry } from '../../fixtures/processes.ts';
import { runLocal, runWeft } from '../../fixtures/weft-cli.ts';
import { expectedUserJobCounts, finalCounts, sinkLines, writeUserJobOutsideRepo } from './flink-e2e.ts';

const registry = new ProcessRegistry();
let userJob: { dir: string; file: string };
let out: string;

beforeAll(() => {
  userJob = writeUserJobOutsideRepo();
  out = mkdtempSync(join(tmpdir(), 'weft-run-local-out-'));
});

afterAll(async () => {
  await registry.cleanup();
  await registry.assertNoneLeft();
  for (const d of [userJob?.dir, out]) if (d) rmSync(d, { recursive: true, force: true });
});

/** Every way to submit a job file; none reaches a cluster before the job file is compiled. */
const MODES: readonly (readonly [string, (file: string) => Promise<{ code: number | null; stderr: string }>])[] = [
  ['run-local', (file) => runLocal([file], { registry })],
  ['per-job', (file) => runWeft(['run', '--target', 'per-job', file], { registry })],
  ['session', (file) => runWeft(['run', '--target', 'session', '--app', 'application_1_0001', file], { registry })],
  ['application', (file) => runWeft(['run-application', file], { registry })],
];

describe('examples/run-local.ts', () => {
  it('runs a TypeScript job file from outside the repository, with its helper module', async () => {
    const output = join(out, 'p1');
    const res = await runLocal([userJob.file, '--output', output], { registry });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('Job MyCount (');
    expect(res.stderr).toMatch(/Job FINISHED in \d+ ms/);
    expect(finalCounts(sinkLines(output), 'word', 'count')).toEqual(expectedUserJobCounts());
  });

  it('honors --parallelism', async () => {
    const output = join(out, 'p2');
    const res = await runLocal([userJob.file, '--parallelism', '2', '--output', output], { registry });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('counter -> Sink: file-sink  [parallelism 2]');
    expect(readdirSync(output).sort()).toEqual(['1', '2']);
    expect(finalCounts(sinkLines(output), 'word', 'count')).toEqual(expectedUserJobCounts());
  });
});

describe('a job file that cannot become a job', () => {
  it.each([
    ['a syntax error', 'broken.ts', "export default (env: unknown) => {\n  console.log(;\n};\n", (f: string) => `Job file ${f} could not be compiled:\n  broken.ts:2:15: Unexpected ";"\n`],
    ['no default export', 'no-default.ts', 'export const job = (): void => {};\n', (f: string) => `Job file ${f} must default-export a function (env, args) => void that builds the pipeline\n`],
    ['a missing file', 'missing.ts', undefined, (f: string) => `Job file ${f} does not exist\n`],
  ])('gets one message naming the file, the same in every mode: %s', async (_what, name, text, message) => {
    const file = join(userJob.dir, name);
    if (text !== undefined) writeFileSync(file, text);
    for (const [mode, submit] of MODES) {
      const res = await submit(file);
      expect(res.code, mode).not.toBe(0);
      expect(res.stderr, mode).toContain(message(file));
    }
  });
});
