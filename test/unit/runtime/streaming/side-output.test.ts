import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { OutputTag } from '../../../../runtime/api/output-tag.ts';
import { StreamExecutionEnvironment } from '../../../../runtime/api/stream-execution-environment.ts';
import { CollectRegistry } from '../../../../runtime/streaming/collect-output.ts';
import { LocalExecutor } from '../../../../runtime/streaming/local/local-executor.ts';
import { MemoryTextOutput } from '../../../../runtime/streaming/text-output.ts';

async function run(env: StreamExecutionEnvironment): Promise<CollectRegistry> {
  const collected = new CollectRegistry();
  await new LocalExecutor({ services: { collectOutput: collected, stdout: new MemoryTextOutput(), clock: new ManualClock(0) } }).execute(env.buildJob());
  return collected;
}

const odd = new OutputTag<string>('odd');

describe('side outputs', () => {
  it('ctx.output(tag, v) reaches getSideOutput(tag) only, chained and across a repartitioning', async () => {
    const env = new StreamExecutionEnvironment({ parallelism: 1 });
    const main = env.fromElements(1, 2, 3, 4, 5).process<number>((v, ctx) => {
      if (v % 2 === 0) ctx.collect(v);
      else ctx.output(odd, `odd:${v}`);
    });
    main.collect('even');
    main.getSideOutput(odd).collect('odd-chained');
    main.getSideOutput(odd).rebalance().map((s) => s.toUpperCase()).setParallelism(2).collect('odd-shuffled');
    main.getSideOutput(new OutputTag<string>('unused')).collect('unused');
    const collected = await run(env);
    expect(collected.results('even')).toEqual([2, 4]);
    expect(collected.results('odd-chained')).toEqual(['odd:1', 'odd:3', 'odd:5']);
    expect(collected.results<string>('odd-shuffled').sort()).toEqual(['ODD:1', 'ODD:3', 'ODD:5']);
    expect(collected.results('unused')).toEqual([]);
  });

  it('from a keyed process function, with a tag rebuilt from its id', async () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    const counted = env
      .fromElements('a', 'b', 'a', 'c')
      .keyBy((w) => w)
      .process<string, number>((w, ctx) => {
        const n = (ctx.state.value() ?? 0) + 1;
        ctx.state.update(n);
        if (n > 1) ctx.output(new OutputTag<string>('repeat'), w);
        ctx.collect(`${w}:${n}`);
      });
    counted.getSideOutput(new OutputTag<string>('repeat')).collect('repeats');
    counted.collect('counts');
    const collected = await run(env);
    expect(collected.results('repeats')).toEqual(['a']);
    expect(collected.results<string>('counts').sort()).toEqual(['a:1', 'a:2', 'b:1', 'c:1']);
  });

  it('getSideOutput() is refused on a virtual stream', () => {
    const env = new StreamExecutionEnvironment();
    expect(() => env.fromElements(1).rebalance().getSideOutput(odd)).toThrow(/getSideOutput\(\) applies to an operator/);
  });
});
