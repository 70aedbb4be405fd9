import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../../../rm/common/clock.ts';
import { StreamExecutionEnvironment } from '../../../../../runtime/api/stream-execution-environment.ts';
import { assignKeyToParallelOperator } from '../../../../../runtime/jobgraph/key-groups.ts';
import { CollectRegistry } from '../../../../../runtime/streaming/collect-output.ts';
import { LocalExecutor, type LocalJobResult } from '../../../../../runtime/streaming/local/local-executor.ts';
import { MemoryTextOutput } from '../../../../../runtime/streaming/text-output.ts';

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

interface Run {
  result: LocalJobResult;
  collected: CollectRegistry;
  stdout: MemoryTextOutput;
}

async function run(configure: (env: StreamExecutionEnvironment) => void, parallelism = 1, channelCapacity?: number): Promise<Run> {
  const env = new StreamExecutionEnvironment({ parallelism });
  configure(env);
  const collected = new CollectRegistry();
  const stdout = new MemoryTextOutput();
  const executor = new LocalExecutor({ services: { collectOutput: collected, stdout, clock: new SystemClock() }, ...(channelCapacity ? { channelCapacity } : {}) });
  const result = await executor.execute(env.buildJob({ jobName: 'test' }));
  return { result, collected, stdout };
}

/** The last running value per key, i.e. the final result of a running aggregation. */
function finalByKey<T>(records: T[], key: (r: T) => unknown): Map<unknown, T> {
  const out = new Map<unknown, T>();
  for (const r of records) out.set(key(r), r);
  return out;
}

describe('LocalExecutor: operator semantics', () => {
  it('counts words exactly (WordCount)', async () => {
    const dir = tempDir('weft-wc-');
    const input = join(dir, 'in.txt');
    writeFileSync(input, 'the quick brown fox\njumps over the lazy dog\r\nThe end\n\nthe');
    const { result, collected } = await run((env) => {
      env
        .readTextFile(input)
        .flatMap<{ word: string; count: number }>((line, out) => {
          for (const w of line.toLowerCase().split(/\W+/)) if (w) out.collect({ word: w, count: 1 });
        })
        .keyBy((r) => r.word)
        .sum('count')
        .collect('wc');
    }, 2);
    expect(result.status).toBe('FINISHED');
    const counts: Record<string, number> = {};
    for (const r of collected.results<{ word: string; count: number }>('wc')) counts[r.word] = r.count;
    expect(counts).toEqual({ the: 4, quick: 1, brown: 1, fox: 1, jumps: 1, over: 1, lazy: 1, dog: 1, end: 1 });
  });

  it('keyBy/sum with parallelism 3: correct per key, each key in the subtask that owns its key group', async () => {
    const { collected } = await run((env) => {
      env
        .fromSequence(1, 3000)
        .map((n) => ({ key: `k${n % 10}`, n }))
        .keyBy((r) => r.key)
        .sum('n')
        .collect('sums');
    }, 3);
    const all = collected.results<{ key: string; n: number }>('sums');
    expect(all).toHaveLength(3000);
    const sums = finalByKey(all, (r) => r.key);
    for (let k = 0; k < 10; k++) {
      let expected = 0;
      for (let n = 1; n <= 3000; n++) if (n % 10 === k) expected += n;
      expect(sums.get(`k${k}`)?.n).toBe(expected);
    }
    for (let subtask = 0; subtask < 3; subtask++) {
      for (const r of collected.resultsOfSubtask<{ key: string }>('sums', subtask)) expect(assignKeyToParallelOperator(r.key, 128, 3)).toBe(subtask);
    }
  });

  it('reduce, min and max emit the running value per key', async () => {
    // Parallelism 1 keeps arrival order; odd and even keys stay apart because min, max and product
    // of odd numbers are odd and of even numbers even.
    const { collected } = await run((env) => {
      const keyed = env.fromElements(5, 3, 9, 1, 4, 8, 2).keyBy((n) => n % 2);
      keyed.min().collect('min');
      keyed.max().collect('max');
      keyed.reduce((a, b) => a * b).collect('product');
    });
    const perKey = (name: string, parity: number): number[] => collected.results<number>(name).filter((n) => n % 2 === parity);
    expect(perKey('min', 1)).toEqual([5, 3, 3, 1]);
    expect(perKey('min', 0)).toEqual([4, 4, 2]);
    expect(perKey('max', 1)).toEqual([5, 5, 9, 9]);
    expect(perKey('max', 0)).toEqual([4, 8, 8]);
    expect(perKey('product', 1)).toEqual([5, 15, 135, 135]);
    expect(perKey('product', 0)).toEqual([4, 32, 64]);
  });

  it('sum/min on a field keeps the other fields of the first record; arrays aggregate by index', async () => {
    const { collected } = await run((env) => {
      const keyed = env.fromElements({ k: 'a', v: 3, tag: 'first' }, { k: 'a', v: 1, tag: 'second' }).keyBy((r) => r.k);
      keyed.sum('v').collect('sum');
      keyed.min('v').collect('min');
      env.fromElements(['x', 2] as [string, number], ['x', 5] as [string, number]).keyBy((t) => t[0]).sum(1).collect('tuple');
    });
    expect(collected.results('sum')).toEqual([{ k: 'a', v: 3, tag: 'first' }, { k: 'a', v: 4, tag: 'first' }]);
    expect(collected.results('min')).toEqual([{ k: 'a', v: 3, tag: 'first' }, { k: 'a', v: 1, tag: 'first' }]);
    expect(collected.results('tuple')).toEqual([['x', 2], ['x', 7]]);
  });

  it('keyed process sees the key, keeps value state per key', async () => {
    const { collected } = await run((env) => {
      env
        .fromElements('a', 'b', 'a', 'c', 'a', 'b')
        .keyBy((s) => s)
        .process<string, number>((value, ctx) => {
          const seen = (ctx.state.value() ?? 0) + 1;
          ctx.state.update(seen);
          ctx.collect(`${ctx.key}:${seen}:${ctx.timestamp === undefined ? 'no-ts' : 'ts'}`);
        })
        .collect('seen');
    }, 2);
    expect(collected.results<string>('seen').sort()).toEqual(['a:1:no-ts', 'a:2:no-ts', 'a:3:no-ts', 'b:1:no-ts', 'b:2:no-ts', 'c:1:no-ts']);
  });

  it('union merges both inputs', async () => {
    const { collected } = await run((env) => {
      const a = env.fromSequence(1, 50);
      const b = env.fromElements(100, 200);
      a.union(b).map((x) => x * 2).collect('u');
    }, 2);
    const expected = [...Array.from({ length: 50 }, (_, i) => (i + 1) * 2), 200, 400];
    expect(collected.results<number>('u').sort((x, y) => x - y)).toEqual(expected);
  });

  it('rebalance spreads round-robin over all consumers', async () => {
    const { collected } = await run((env) => {
      env.fromElements(...Array.from({ length: 12 }, (_, i) => i)).rebalance().map((x) => x).setParallelism(3).collect('rr').setParallelism(3);
    }, 3);
    expect(collected.resultsOfSubtask<number>('rr', 0)).toEqual([0, 3, 6, 9]);
    expect(collected.resultsOfSubtask<number>('rr', 1)).toEqual([1, 4, 7, 10]);
    expect(collected.resultsOfSubtask<number>('rr', 2)).toEqual([2, 5, 8, 11]);
  });

  it('broadcast sends every record to every subtask', async () => {
    const { collected } = await run((env) => {
      env.fromElements('x', 'y').broadcast().map((s) => s.toUpperCase()).collect('b');
    }, 3);
    for (let i = 0; i < 3; i++) expect(collected.resultsOfSubtask('b', i)).toEqual(['X', 'Y']);
  });

  it('filter and flatMap (collector and returned iterable)', async () => {
    const { collected } = await run((env) => {
      const words = env.fromElements('a b', 'c', '', 'd e f');
      words.flatMap((line: string) => line.split(' ').filter((w) => w.length > 0)).filter((w) => w !== 'c').collect('fm');
      words.process<number>((line, ctx) => ctx.collect(line.length)).collect('len');
    });
    expect(collected.results('fm')).toEqual(['a', 'b', 'd', 'e', 'f']);
    expect(collected.results('len')).toEqual([3, 1, 0, 5]);
  });

  it('print() prefixes subtask+1 when parallel, nothing when not', async () => {
    const parallel = await run((env) => env.fromSequence(1, 4).print(), 2);
    expect(parallel.stdout.lines().sort()).toEqual(['1> 1', '1> 2', '2> 3', '2> 4']);
    const single = await run((env) => env.fromElements<unknown>({ a: 1 }, 'two').print());
    expect(single.stdout.lines()).toEqual(['{"a":1}', 'two']);
  });

  it('writeAsText() writes one file per subtask (or the file itself at parallelism 1)', async () => {
    const dir = tempDir('weft-out-');
    await run((env) => {
      env.fromSequence(1, 6).writeAsText(join(dir, 'many'));
      env.fromElements('only').writeAsText(join(dir, 'one.txt')).setParallelism(1);
    }, 2);
    expect(readFileSync(join(dir, 'many', '1'), 'utf8')).toBe('1\n2\n3\n');
    expect(readFileSync(join(dir, 'many', '2'), 'utf8')).toBe('4\n5\n6\n');
    expect(readFileSync(join(dir, 'one.txt'), 'utf8')).toBe('only\n');
  });

  it('a bounded generator produces each index once across subtasks', async () => {
    const { collected } = await run((env) => env.fromGenerator({ bounded: 1000, generate: (i) => i }).collect('g'), 3);
    expect(collected.results<number>('g').sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('backpressure: a tiny channel capacity still delivers everything in order', async () => {
    const { collected } = await run((env) => {
      env.fromSequence(1, 20000).disableChaining().map((x) => x).disableChaining().collect('bp');
    }, 1, 16);
    expect(collected.results<number>('bp')).toEqual(Array.from({ length: 20000 }, (_, i) => i + 1));
  });

  it('a failing user function fails the job with its error and the task name', async () => {
    const env = new StreamExecutionEnvironment();
    env.fromSequence(1, 10).map((x) => {
      if (x === 5) throw new Error('boom at 5');
      return x;
    }).collect('never');
    const handle = new LocalExecutor({ services: { stdout: new MemoryTextOutput() } }).start(env.buildJob());
    const result = await handle.result;
    expect(result.status).toBe('FAILED');
    expect((result.error as Error).message).toBe('boom at 5');
    expect(result.failedTask).toBe('Source: Sequence Source -> Map -> Sink: Collect Sink (1/1)');
  });

  it('an unbounded rate-limited generator runs until cancelled', async () => {
    const env = new StreamExecutionEnvironment();
    env.fromGenerator({ rate: 200, generate: (i) => i }).collect('live');
    const collected = new CollectRegistry();
    const handle = new LocalExecutor({ services: { collectOutput: collected } }).start(env.buildJob());
    await new Promise((r) => setTimeout(r, 150));
    const result = await handle.cancel();
    expect(result.status).toBe('CANCELED');
    const n = collected.results('live').length;
    // ~30 records due in 150 ms at 200/s; generous bounds for a loaded machine.
    expect(n).toBeGreaterThan(3);
    expect(n).toBeLessThan(100);
  });
});
