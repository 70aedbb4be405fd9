import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { StreamExecutionEnvironment } from '../../../../runtime/api/stream-execution-environment.ts';
import { RichFilterFunction } from '../../../../runtime/api/functions/rich-functions.ts';
import { CollectRegistry } from '../../../../runtime/streaming/collect-output.ts';
import { LocalExecutor } from '../../../../runtime/streaming/local/local-executor.ts';
import { MemoryTextOutput } from '../../../../runtime/streaming/text-output.ts';

async function run(build: (env: StreamExecutionEnvironment) => void, parallelism = 1): Promise<{ collected: CollectRegistry; stdout: MemoryTextOutput }> {
  const env = new StreamExecutionEnvironment({ parallelism });
  build(env);
  const collected = new CollectRegistry();
  const stdout = new MemoryTextOutput();
  await new LocalExecutor({ services: { collectOutput: collected, stdout, clock: new ManualClock(0) } }).execute(env.buildJob({ jobName: 'chain' }));
  return { collected, stdout };
}

const keyedReduceThenMutatingMap = (env: StreamExecutionEnvironment): void => {
  env
    .fromElements({ k: 'a', n: 1 }, { k: 'a', n: 2 }, { k: 'a', n: 3 })
    .keyBy((r) => r.k)
    .reduce((acc, r) => ({ k: acc.k, n: acc.n + r.n }))
    .map((r) => {
      r.n *= 100;
      return r.n;
    })
    .print();
};

describe('OperatorChain: object reuse', () => {
  it('off by default: a mutating map after a keyed reduce does not corrupt its state (100, 300, 600 as in Flink)', async () => {
    const { stdout } = await run(keyedReduceThenMutatingMap);
    expect(stdout.lines()).toEqual(['100', '300', '600']);
  });

  it('enableObjectReuse() shares the objects, as in Flink (the map now mutates the reduce state)', async () => {
    const { stdout } = await run((env) => {
      env.getConfig().enableObjectReuse();
      keyedReduceThenMutatingMap(env);
    });
    expect(stdout.lines()).toEqual(['100', '10200', '1020300']);
  });

  it('gives each branch of a chained operator its own copy', async () => {
    const { collected } = await run((env) => {
      const s = env.fromElements({ v: 1 }, { v: 2 }).map((r) => r);
      s.map((r) => {
        r.v = -1;
        return r;
      }).collect('mutated');
      s.collect('untouched');
    });
    expect(collected.results('mutated')).toEqual([{ v: -1 }, { v: -1 }]);
    expect(collected.results('untouched')).toEqual([{ v: 1 }, { v: 2 }]);
  });
});

describe('OperatorChain: copies only where another holder could see a change', () => {
  it('a plain filter hands on the copy it was given: a mutating map after reduce -> filter leaves the state alone', async () => {
    const { stdout } = await run((env) => {
      env
        .fromElements({ k: 'a', n: 1 }, { k: 'a', n: 2 }, { k: 'a', n: 3 })
        .keyBy((r) => r.k)
        .reduce((acc, r) => ({ k: acc.k, n: acc.n + r.n }))
        .filter(() => true)
        .map((r) => {
          r.n *= 100;
          return r.n;
        })
        .print();
    });
    expect(stdout.lines()).toEqual(['100', '300', '600']);
  });

  it('a filter with two successors gives each its own copy', async () => {
    const { collected } = await run((env) => {
      const s = env.fromElements({ v: 1 }, { v: 2 }).map((r) => r).filter(() => true);
      s.map((r) => {
        r.v = -1;
        return r;
      }).collect('mutated');
      s.collect('untouched');
    });
    expect(collected.results('mutated')).toEqual([{ v: -1 }, { v: -1 }]);
    expect(collected.results('untouched')).toEqual([{ v: 1 }, { v: 2 }]);
  });

  it('a rich filter may keep what it is given: a mutating map after it does not change what it kept', async () => {
    const kept: { v: number }[] = [];
    class Keeping extends RichFilterFunction<{ v: number }> {
      filter(value: { v: number }): boolean {
        kept.push(value);
        return true;
      }
    }
    await run((env) => {
      env
        .fromElements({ v: 1 }, { v: 2 })
        .filter(new Keeping())
        .map((r) => {
          r.v = -1;
          return r;
        })
        .print();
    });
    expect(kept).toEqual([{ v: 1 }, { v: 2 }]);
  });

  it('a print sink reads the records of a keyed reduce as they are (nothing to protect): the running sums', async () => {
    const { stdout } = await run((env) => {
      env
        .fromElements({ k: 'a', n: 1 }, { k: 'a', n: 2 })
        .keyBy((r) => r.k)
        .reduce((acc, r) => ({ k: acc.k, n: acc.n + r.n }))
        .print();
    });
    expect(stdout.lines()).toEqual(['{"k":"a","n":1}', '{"k":"a","n":3}']);
  });
});

describe('Keyed state: keys by value and type', () => {
  it('keeps the array key ["a"] apart from the string key \'["a"]\', and equal arrays together', async () => {
    const { collected } = await run((env) => {
      env
        .fromElements<[unknown, number]>([['a'], 1], ['["a"]', 10], [['a'], 2], [1, 100], ['1', 1000], [1, 200])
        .keyBy((r) => r[0])
        .reduce((acc, r) => [acc[0], acc[1] + r[1]])
        .collect('sums');
    });
    const finals = new Map<string, number>();
    for (const [k, n] of collected.results<[unknown, number]>('sums')) finals.set(`${typeof k}:${JSON.stringify(k)}`, n);
    expect(Object.fromEntries(finals)).toEqual({ 'object:["a"]': 3, 'string:"[\\"a\\"]"': 10, 'number:1': 300, 'string:"1"': 1000 });
  });
});
