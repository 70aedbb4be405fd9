import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadJob } from '../../../../runtime/api/job-loader.ts';
import { CollectRegistry } from '../../../../runtime/streaming/collect-output.ts';
import { LocalExecutor } from '../../../../runtime/streaming/local/local-executor.ts';
import { MemoryTextOutput } from '../../../../runtime/streaming/text-output.ts';

const examples = resolve(import.meta.dirname, '../../../../examples');

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

  it('refuses a file without a default-exported function', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-job-'));
    const file = join(dir, 'bad.mjs');
    writeFileSync(file, 'export const x = 1;\n');
    await expect(loadJob(file)).rejects.toThrow(/must default-export a function/);
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
