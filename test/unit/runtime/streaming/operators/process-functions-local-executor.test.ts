import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../rm/common/clock.ts';
import { loadJob } from '../../../../../runtime/api/job-loader.ts';
import { WatermarkStrategy } from '../../../../../runtime/api/eventtime/watermark-strategy.ts';
import type { WatermarkOutput } from '../../../../../runtime/api/eventtime/watermark.ts';
import { KeyedProcessFunction, type KeyedProcessFunctionContext, type KeyedProcessFunctionOnTimerContext } from '../../../../../runtime/api/functions/keyed-process-function.ts';
import { ProcessFunction, type ProcessFunctionContext } from '../../../../../runtime/api/functions/process-function.ts';
import { StreamExecutionEnvironment } from '../../../../../runtime/api/stream-execution-environment.ts';
import { ValueStateDescriptor } from '../../../../../runtime/state/state-descriptor.ts';
import { CollectRegistry } from '../../../../../runtime/streaming/collect-output.ts';
import type { ValueState } from '../../../../../runtime/streaming/keyed-value-state.ts';
import { LocalExecutor } from '../../../../../runtime/streaming/local/local-executor.ts';
import type { Collector } from '../../../../../runtime/streaming/output.ts';
import { MemoryTextOutput } from '../../../../../runtime/streaming/text-output.ts';

type Click = [user: string, ts: number];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function executor(collected: CollectRegistry): LocalExecutor {
  return new LocalExecutor({ services: { collectOutput: collected, stdout: new MemoryTextOutput(), clock: new ManualClock(0) } });
}

/** Every event advances event time to its timestamp, so timers fire while the input still flows. */
const punctuated = WatermarkStrategy.forGenerator<Click>(() => ({
  onEvent: (_e: Click, ts: number, out: WatermarkOutput) => out.emitWatermark(ts),
  onPeriodicEmit: () => {},
})).withTimestampAssigner((c) => c[1]);

/** Counts each user's clicks per 10 ms bucket and emits the count when event time passes the bucket. */
class BucketCount extends KeyedProcessFunction<string, Click, string> {
  private count!: ValueState<number>;

  override open(): void {
    this.count = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('count', 0));
  }

  processElement(click: Click, ctx: KeyedProcessFunctionContext<string>, _out: Collector<string>): void {
    this.count.update(this.count.value()! + 1);
    ctx.timerService().registerEventTimeTimer(Math.floor(click[1] / 10) * 10 + 9);
  }

  override onTimer(_timestamp: number, ctx: KeyedProcessFunctionOnTimerContext<string>, out: Collector<string>): void {
    out.collect(`${ctx.getCurrentKey()}:${this.count.value()}`);
    this.count.clear();
  }
}

/** Shows each record's timestamp: what onTimer emitted carries the timer's. */
class WithTimestamp extends ProcessFunction<string, string> {
  processElement(s: string, ctx: ProcessFunctionContext, out: Collector<string>): void {
    out.collect(`${s}@${ctx.timestamp()}`);
  }
}

describe('process functions on the LocalExecutor', () => {
  it('a KeyedProcessFunction emits on its event-time timers, per key, across parallel subtasks', async () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    const clicks: Click[] = [['a', 1], ['b', 2], ['a', 5], ['a', 12], ['b', 15], ['a', 31]];
    env.fromCollection(clicks, punctuated).keyBy((c) => c[0]).process(new BucketCount()).process(new WithTimestamp()).collect('counts');
    const collected = new CollectRegistry();
    await executor(collected).execute(env.buildJob());
    // a@39 fires at the end of input, whose watermark passes every timer.
    expect(collected.results<string>('counts').sort()).toEqual(['a:1@19', 'a:1@39', 'a:2@9', 'b:1@19', 'b:1@9']);
  });

  it('a timer in a ProcessFunction without keys fails the job with Flink message', async () => {
    class Remind extends ProcessFunction<number, number> {
      processElement(n: number, ctx: ProcessFunctionContext): void {
        ctx.timerService().registerEventTimeTimer(n);
      }
    }
    const env = new StreamExecutionEnvironment({ parallelism: 1 });
    env.fromElements(1, 2).process(new Remind()).collect('never');
    const result = await executor(new CollectRegistry()).start(env.buildJob()).result;
    expect(result.status).toBe('FAILED');
    expect(String(result.error)).toMatch(/Setting timers is only supported on a keyed streams\./);
  });

  it('a job file builds them from what it imports from weft', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-process-job-'));
    dirs.push(dir);
    writeFileSync(
      join(dir, 'job.ts'),
      `import { KeyedProcessFunction, RichMapFunction, TimeDomain, ValueStateDescriptor, WatermarkStrategy, type Collector, type KeyedProcessFunctionContext, type KeyedProcessFunctionOnTimerContext, type StreamExecutionEnvironment, type ValueState } from 'weft';
class Tag extends RichMapFunction<number, string> {
  map(n: number): string { return \`\${n}/\${this.getRuntimeContext().getNumberOfParallelSubtasks()}\`; }
}
class LastPerKey extends KeyedProcessFunction<number, number, string> {
  private last!: ValueState<number>;
  override open(): void { this.last = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('last')); }
  processElement(n: number, ctx: KeyedProcessFunctionContext<number>): void {
    this.last.update(n);
    ctx.timerService().registerEventTimeTimer(100);
  }
  override onTimer(ts: number, ctx: KeyedProcessFunctionOnTimerContext<number>, out: Collector<number>): void {
    if (ctx.timeDomain() === TimeDomain.EVENT_TIME) out.collect(ctx.getCurrentKey() * 1000 + this.last.value()!);
  }
}
export default (env: StreamExecutionEnvironment): void => {
  env.fromSequence(1, 6, WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((n) => n)).setParallelism(1)
    .keyBy((n) => n % 2).process(new LastPerKey()).map(new Tag()).collect('last');
};
`,
    );
    const collected = new CollectRegistry();
    await executor(collected).execute(await loadJob(join(dir, 'job.ts'), [], { parallelism: 2 }));
    expect(collected.results<string>('last').sort()).toEqual(['1005/2', '6/2']);
  });

  it('runs examples/fraud-detection.ts: alerts from state and event-time timers, the same at any parallelism', async () => {
    const example = resolve(import.meta.dirname, '../../../../../examples/fraud-detection.ts');
    for (const parallelism of [1, 3]) {
      const collected = new CollectRegistry();
      await executor(collected).execute(await loadJob(example, ['--collect', 'alerts'], { parallelism }));
      expect(collected.results<string>('alerts').sort()).toEqual([
        'Alert{id=1, amount=501.00, at=02:59}',
        'Alert{id=1, amount=600.00, at=00:30}',
        'Alert{id=4, amount=510.00, at=00:45}',
      ]);
    }
  });
});
