import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileJobFile, compiledSourceName } from '../../../../runtime/api/job-file-compiler.ts';
import { JobFileError } from '../../../../runtime/api/job-file-error.ts';
import { loadCompiledJob, loadJob } from '../../../../runtime/api/job-loader.ts';
import { CollectRegistry } from '../../../../runtime/streaming/collect-output.ts';
import { LocalExecutor } from '../../../../runtime/streaming/local/local-executor.ts';
import { MemoryTextOutput } from '../../../../runtime/streaming/text-output.ts';

const examples = resolve(import.meta.dirname, '../../../../examples');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A directory outside the repository (no package.json, no node_modules with weft) holding `files`. */
function outsideRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-job-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const PIPELINE = `import { ParameterTool, type StreamExecutionEnvironment } from 'weft';
import { double } from './helper.ts';
export default function job(env: StreamExecutionEnvironment, args: string[]): void {
  const n = ParameterTool.fromArgs(args).getNumber('n', 3);
  env.setJobName('Outside');
  env.fromSequence(1, n).map((x) => double(x)).collect('out');
}
`;

async function runCollecting(path: string, args: string[], parallelism?: number): Promise<CollectRegistry> {
  const job = await loadJob(path, args, parallelism === undefined ? {} : { parallelism });
  const collected = new CollectRegistry();
  await new LocalExecutor({ services: { collectOutput: collected, stdout: new MemoryTextOutput() } }).execute(job);
  return collected;
}

describe('loadJob', () => {
  it('builds the same graph and operator ids on every load of the same file and args', async () => {
    const a = await loadJob(join(examples, 'word-count.ts'), ['--collect', 'wc'], { parallelism: 2 });
    const b = await loadJob(join(examples, 'word-count.ts'), ['--collect', 'wc'], { parallelism: 2 });
    const shape = (g: typeof a.jobGraph): unknown => ({ ...g, jobId: undefined });
    expect(shape(b.jobGraph)).toEqual(shape(a.jobGraph));
    expect([...b.userCode.operators.keys()].sort()).toEqual([...a.userCode.operators.keys()].sort());
    expect([...a.userCode.operators.keys()].sort()).toEqual(a.jobGraph.vertices.flatMap((v) => v.operators.map((o) => o.id)).sort());
    expect(a.jobGraph.jobName).toBe('WordCount');
    expect(a.jobGraph.vertices.map((v) => v.name)).toEqual(['Source: words', 'tokenizer', 'counter -> (Sink: Print to Std. Out, Sink: Collect Sink)']);
  });

  it('fixes the job id when asked (a TaskManager rebuilding a submitted job)', async () => {
    const job = await loadJob(join(examples, 'union.ts'), [], { jobId: 'ab'.repeat(16) });
    expect(job.jobGraph.jobId).toBe('ab'.repeat(16));
  });

  it('loads a .ts job file outside the repository that imports weft and a helper next to it', async () => {
    const dir = outsideRepo({ 'job.ts': PIPELINE, 'helper.ts': 'export const double = (x: number): number => 2 * x;\n' });
    const job = await loadJob(join(dir, 'job.ts'), ['--n', '4'], { parallelism: 2 });
    expect(job.sourceName).toBe('job.ts');
    expect(job.jobGraph.jobName).toBe('Outside');
    expect(job.jobGraph.executionConfig).toEqual({ parallelism: 2 });
    const collected = new CollectRegistry();
    await new LocalExecutor({ services: { collectOutput: collected, stdout: new MemoryTextOutput() } }).execute(job);
    expect(collected.results<number>('out').sort((a, b) => a - b)).toEqual([2, 4, 6, 8]);
  });

  it('compiles to one ES module that keeps weft external and bundles CommonJS dependencies', async () => {
    const dir = outsideRepo({
      'job.ts': `import { slug } from 'slugger';\nimport type { StreamExecutionEnvironment } from 'weft';\nexport default (env: StreamExecutionEnvironment) => { env.fromElements(slug('A B')).collect('out'); };\n`,
      'node_modules/slugger/package.json': '{ "name": "slugger", "main": "index.js" }',
      'node_modules/slugger/index.js': "const path = require('node:path');\nexports.slug = (s) => path.posix.join(...s.toLowerCase().split(' '));\n",
    });
    const compiled = await compileJobFile(join(dir, 'job.ts'));
    expect(compiled.fileName).toBe('job.mjs');
    expect(compiledSourceName(compiled.code)).toBe('job.ts');
    expect(compiled.code.toString()).not.toMatch(/from ["']weft["']/);
    const job = await loadJob(join(dir, 'job.ts'));
    const collected = new CollectRegistry();
    await new LocalExecutor({ services: { collectOutput: collected, stdout: new MemoryTextOutput() } }).execute(job);
    expect(collected.results('out')).toEqual(['a/b']);
  });

  it('names the file, line and column of a syntax error', async () => {
    const dir = outsideRepo({ 'broken.ts': "import type { StreamExecutionEnvironment } from 'weft';\nexport default (env: StreamExecutionEnvironment) => {\n  const x = ;\n};\n" });
    const file = join(dir, 'broken.ts');
    const err = (await loadJob(file).catch((e: unknown) => e)) as JobFileError;
    expect(err).toBeInstanceOf(JobFileError);
    expect(err.message.split('\n')).toEqual([`Job file ${file} could not be compiled:`, '  broken.ts:3:13: Unexpected ";"']);
  });

  it('names a missing import', async () => {
    const dir = outsideRepo({ 'job.ts': "import { nope } from './missing.ts';\nexport default () => nope();\n" });
    await expect(loadJob(join(dir, 'job.ts'))).rejects.toThrow(/could not be compiled:\n {2}job\.ts:1:\d+: Could not resolve "\.\/missing\.ts"/);
  });

  it('refuses a file without a default-exported function, naming it', async () => {
    const dir = outsideRepo({ 'bad.mjs': 'export const x = 1;\n' });
    const file = join(dir, 'bad.mjs');
    await expect(loadJob(file)).rejects.toThrow(`Job file ${file} must default-export a function (env, args) => void that builds the pipeline`);
  });

  it('says that a job file does not exist', async () => {
    await expect(loadJob('/nonexistent/job.ts')).rejects.toThrow('Job file /nonexistent/job.ts does not exist');
  });

  it('names the file when it throws while loading', async () => {
    const dir = outsideRepo({ 'job.ts': "throw new Error('no config here');\nexport default () => {};\n" });
    await expect(loadJob(join(dir, 'job.ts'))).rejects.toThrow('Job file job.ts failed to load: no config here');
  });

  it('reports what the job refused while it built its pipeline as the job file error, naming the file', async () => {
    const job = `import { TumblingEventTimeWindows, type StreamExecutionEnvironment } from 'weft';
export default (env: StreamExecutionEnvironment) => {
  env.fromSequence(1, 3).keyBy((n) => n).window(TumblingEventTimeWindows.of(0)).sum().print();
};
`;
    const dir = outsideRepo({ 'windows.ts': job });
    const err = (await loadJob(join(dir, 'windows.ts')).catch((e: unknown) => e)) as JobFileError;
    expect(err).toBeInstanceOf(JobFileError);
    expect(err.message).toBe('Job file windows.ts could not build its job: TumblingEventTimeWindows parameters must satisfy abs(offset) < size and size > 0 (size 0 ms, offset 0 ms)');
  });

  it('loads only compiled job files where they are shipped', async () => {
    const dir = outsideRepo({ 'job.ts': PIPELINE });
    await expect(loadCompiledJob(join(dir, 'job.ts'))).rejects.toThrow(/job\.ts is not a compiled job file/);
  });

  it('runs examples/word-count.ts with its bundled input', async () => {
    const collected = await runCollecting(join(examples, 'word-count.ts'), ['--collect', 'wc'], 2);
    const final = new Map<string, number>();
    for (const r of collected.results<{ word: string; count: number }>('wc')) final.set(r.word, r.count);
    expect(final.get('the')).toBe(22);
    expect(final.get('to')).toBe(15);
    expect(final.get('sleep')).toBe(5);
    expect(final.get('question')).toBe(1);
  });

  it('runs examples/running-count.ts bounded', async () => {
    const collected = await runCollecting(join(examples, 'running-count.ts'), ['--bounded', '100', '--users', '4', '--collect', 'rc'], 2);
    const final = new Map<string, number>();
    for (const r of collected.results<{ user: string; count: number }>('rc')) final.set(r.user, r.count);
    expect(Object.fromEntries(final)).toEqual({ 'user-0': 25, 'user-1': 25, 'user-2': 25, 'user-3': 25 });
  });

  it('runs examples/union.ts', async () => {
    const collected = await runCollecting(join(examples, 'union.ts'), ['--collect', 'u'], 2);
    const final = new Map<string, number>();
    for (const r of collected.results<{ parity: string; value: number }>('u')) final.set(r.parity, r.value);
    // evens 0..20 sum to 110; word lengths 5,4,5,5,7: even 4 -> 114, odd 5+5+5+7 = 22.
    expect(Object.fromEntries(final)).toEqual({ even: 114, odd: 22 });
  });
});
