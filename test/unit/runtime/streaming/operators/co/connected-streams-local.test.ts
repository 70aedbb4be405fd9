import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../../rm/common/clock.ts';
import { WatermarkStrategy } from '../../../../../../runtime/api/eventtime/watermark-strategy.ts';
import { KeyedCoProcessFunction } from '../../../../../../runtime/api/functions/keyed-co-process-function.ts';
import type { KeyedProcessFunctionContext, KeyedProcessFunctionOnTimerContext } from '../../../../../../runtime/api/functions/keyed-process-function.ts';
import { loadJob } from '../../../../../../runtime/api/job-loader.ts';
import { StreamExecutionEnvironment } from '../../../../../../runtime/api/stream-execution-environment.ts';
import { ValueStateDescriptor } from '../../../../../../runtime/state/state-descriptor.ts';
import type { ValueState } from '../../../../../../runtime/streaming/keyed-value-state.ts';
import type { Collector } from '../../../../../../runtime/streaming/output.ts';
import { CollectRegistry } from '../../../../../../runtime/streaming/collect-output.ts';
import { LocalExecutor } from '../../../../../../runtime/streaming/local/local-executor.ts';
import { MemoryTextOutput } from '../../../../../../runtime/streaming/text-output.ts';

async function run(env: StreamExecutionEnvironment): Promise<CollectRegistry> {
  const collected = new CollectRegistry();
  const executor = new LocalExecutor({ services: { collectOutput: collected, stdout: new MemoryTextOutput(), clock: new ManualClock(0) } });
  await executor.execute(env.buildJob());
  return collected;
}

describe('connect() on the LocalExecutor', () => {
  it('co-maps two streams of different types at parallelism 2, a union feeding one input', async () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    const numbers = env.fromSequence(1, 4).union(env.fromSequence(10, 11));
    const words = env.fromElements('a', 'b', 'c');
    numbers
      .connect(words)
      .map({ map1: (n: number) => `n${n}`, map2: (w: string) => `w${w}` })
      .map((s) => s.toUpperCase())
      .collect('out');
    const built = env.buildJob();
    const coVertex = built.jobGraph.vertices.find((v) => v.name.startsWith('Co-Map'));
    expect(coVertex?.name).toBe('Co-Map -> Map -> Sink: Collect Sink'); // a chain head, successors chain to it
    const into = built.jobGraph.edges.filter((e) => e.target === coVertex?.id).map((e) => e.typeNumber);
    expect(into).toEqual([1, 1, 2]);
    const collected = await run(env);
    expect(collected.results<string>('out').sort()).toEqual(['N1', 'N10', 'N11', 'N2', 'N3', 'N4', 'WA', 'WB', 'WC']);
  });

  it('co-flatMaps two inputs keyed by keyBy(k1, k2)', async () => {
    const env = new StreamExecutionEnvironment({ parallelism: 3 });
    const orders = env.fromCollection([
      { user: 'ann', item: 'book' },
      { user: 'bob', item: 'pen' },
      { user: 'cy', item: 'cup' },
    ]);
    const users = env.fromCollection([
      { name: 'ann', city: 'Oslo' },
      { name: 'bob', city: 'Rome' },
      { name: 'cy', city: 'Lima' },
    ]);
    orders
      .connect(users)
      .keyBy(
        (o) => o.user,
        (u) => u.name,
      )
      .flatMap<string>({
        flatMap1: (o, out) => out.collect(`${o.user}:order`),
        flatMap2: (u, out) => out.collect(`${u.name}:user`),
      })
      .process<string>((value, ctx) => ctx.collect(value))
      .collect('out');
    const collected = await run(env);
    expect(collected.results<string>('out').sort()).toEqual(['ann:order', 'ann:user', 'bob:order', 'bob:user', 'cy:order', 'cy:user']);
  });
});

describe('connect().keyBy().process() on the LocalExecutor', () => {
  it('joins two keyed inputs at parallelism 2 through shared keyed state, emitting on an event-time timer', async () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    const strategy = () => WatermarkStrategy.forMonotonousTimestamps<{ ad: string; ts: number }>().withTimestampAssigner((e) => e.ts);
    const impressions = env.fromCollection(
      [
        { ad: 'a1', ts: 1000 },
        { ad: 'a2', ts: 1100 },
        { ad: 'a3', ts: 1200 },
      ],
      strategy(),
    );
    const clicks = env.fromCollection(
      [
        { ad: 'a2', ts: 1500 },
        { ad: 'a1', ts: 1600 },
        { ad: 'a2', ts: 1700 },
      ],
      strategy(),
    );
    class ClicksPerImpression extends KeyedCoProcessFunction<string, { ad: string; ts: number }, { ad: string; ts: number }, string> {
      private clicks!: ValueState<number>;
      override open(): void {
        this.clicks = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('clicks', 0));
      }
      processElement1(imp: { ts: number }, ctx: KeyedProcessFunctionContext<string>): void {
        ctx.timerService().registerEventTimeTimer(imp.ts + 1000); // report a second after the impression
      }
      processElement2(): void {
        this.clicks.update((this.clicks.value() ?? 0) + 1);
      }
      override onTimer(timestamp: number, ctx: KeyedProcessFunctionOnTimerContext<string>, out: Collector<string>): void {
        out.collect(`${ctx.getCurrentKey()}:${this.clicks.value()}@${timestamp}`);
      }
    }
    impressions
      .connect(clicks)
      .keyBy(
        (i) => i.ad,
        (c) => c.ad,
      )
      .process(new ClicksPerImpression())
      .collect('out');
    const collected = await run(env);
    // Both sources end with MAX_WATERMARK, which fires every timer once the clicks are in.
    expect(collected.results<string>('out').sort()).toEqual(['a1:1@2000', 'a2:2@2100', 'a3:0@2200']);
  });
});

describe('intervalJoin() on the LocalExecutor', () => {
  it('runs examples/ad-click-join.ts at parallelism 2: each click with the impressions 0-10 s before it', async () => {
    const job = await loadJob('examples/ad-click-join.ts', ['--collect', 'pairs'], { parallelism: 2 });
    const collected = new CollectRegistry();
    await new LocalExecutor({ services: { collectOutput: collected, stdout: new MemoryTextOutput() } }).execute(job);
    const t = (s: number): number => Date.UTC(2026, 11, 6, 8, 0, 0) + s * 1000;
    const pairs = collected.results<{ user: string; ad: string; impressionTs: number; clickTs: number; ts: number }>('pairs');
    expect(pairs.sort((a, b) => a.clickTs - b.clickTs)).toEqual([
      { user: 'u2', ad: 'ad-1', impressionTs: t(2), clickTs: t(2.5), ts: t(2.5) },
      { user: 'u1', ad: 'ad-1', impressionTs: t(1), clickTs: t(4), ts: t(4) },
      { user: 'u2', ad: 'ad-2', impressionTs: t(8), clickTs: t(9.5), ts: t(9.5) },
      { user: 'u1', ad: 'ad-1', impressionTs: t(15), clickTs: t(18), ts: t(18) },
    ]);
  });

  it('refuses between() with lower > upper when the job is built', () => {
    const env = new StreamExecutionEnvironment();
    const a = env.fromElements(1).keyBy((n) => n);
    expect(() => a.intervalJoin(a).between(5, 1)).toThrow('lowerBound <= upperBound must be fulfilled');
  });
});
