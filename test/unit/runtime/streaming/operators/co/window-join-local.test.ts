import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../../rm/common/clock.ts';
import { WatermarkStrategy } from '../../../../../../runtime/api/eventtime/watermark-strategy.ts';
import type { DataStream } from '../../../../../../runtime/api/data-stream.ts';
import { StreamExecutionEnvironment } from '../../../../../../runtime/api/stream-execution-environment.ts';
import { CollectRegistry } from '../../../../../../runtime/streaming/collect-output.ts';
import { LocalExecutor } from '../../../../../../runtime/streaming/local/local-executor.ts';
import { MemoryTextOutput } from '../../../../../../runtime/streaming/text-output.ts';
import { TumblingEventTimeWindows } from '../../../../../../runtime/streaming/windowing/assigners/tumbling-windows.ts';

interface Ev {
  readonly k: string;
  readonly v: string;
  readonly ts: number;
}
const strategy = () => WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.ts);
const ev = (k: string, v: string, ts: number): Ev => ({ k, v, ts });

// Windows of 10 s: [0, 10 s) holds a1, a2, b1 on the left and A1, C1 on the right; [10 s, 20 s)
// holds a3 and A2, A3.
const LEFT = [ev('a', 'a1', 1000), ev('a', 'a2', 4000), ev('b', 'b1', 5000), ev('a', 'a3', 12000)];
const RIGHT = [ev('a', 'A1', 2000), ev('c', 'C1', 3000), ev('a', 'A2', 11000), ev('a', 'A3', 19000)];

function build(parallelism: number): { env: StreamExecutionEnvironment; left: DataStream<Ev>; right: DataStream<Ev> } {
  const env = new StreamExecutionEnvironment({ parallelism });
  return { env, left: env.fromCollection<Ev>(LEFT, strategy()), right: env.fromCollection<Ev>(RIGHT, strategy()) };
}

async function run(env: StreamExecutionEnvironment): Promise<CollectRegistry> {
  const collected = new CollectRegistry();
  await new LocalExecutor({ services: { collectOutput: collected, stdout: new MemoryTextOutput(), clock: new ManualClock(0) } }).execute(env.buildJob());
  return collected;
}

describe('window join and coGroup on the LocalExecutor', () => {
  it('join().where().equalTo().window() pairs the elements of equal keys in the same window', async () => {
    const { env, left, right } = build(2);
    left
      .join(right)
      .where((e) => e.k)
      .equalTo((e) => e.k)
      .window(TumblingEventTimeWindows.of(10_000))
      .apply((l, r) => `${l.v}+${r.v}`)
      .process<string>((pair, ctx) => ctx.collect(`${pair}@${ctx.timestamp}`))
      .collect('pairs');
    const job = env.buildJob();
    expect(job.jobGraph.vertices.map((v) => v.name)).toContain('Window(TumblingEventTimeWindows(10000), EventTimeTrigger(), CoGroupWindowFunction) -> Process -> Sink: Collect Sink');
    const collected = await run(env);
    // b1 and C1 have no partner; each pair carries its window's maxTimestamp.
    expect(collected.results<string>('pairs').sort()).toEqual(['a1+A1@9999', 'a2+A1@9999', 'a3+A2@19999', 'a3+A3@19999']);
  });

  it('coGroup() gives both sides per key and window, either of them empty', async () => {
    const { env, left, right } = build(2);
    left
      .coGroup(right)
      .where((e) => e.k)
      .equalTo((e) => e.k)
      .window(TumblingEventTimeWindows.of(10_000))
      .apply<string>({
        coGroup(first, second, out) {
          const l = [...first].map((e) => e.v).join(',');
          const r = [...second].map((e) => e.v).join(',');
          out.collect(`[${l}|${r}]`);
        },
      })
      .collect('groups');
    const collected = await run(env);
    expect(collected.results<string>('groups').sort()).toEqual(['[a1,a2|A1]', '[a3|A2,A3]', '[b1|]', '[|C1]']);
  });
});
