import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../rm/common/clock.ts';
import { AbstractRichFunction, type OpenContext } from '../../../../../runtime/api/functions/rich-function.ts';
import { RichFilterFunction, RichFlatMapFunction, RichMapFunction } from '../../../../../runtime/api/functions/rich-functions.ts';
import type { RuntimeContext } from '../../../../../runtime/api/functions/runtime-context.ts';
import { StreamExecutionEnvironment } from '../../../../../runtime/api/stream-execution-environment.ts';
import type { ListState, ValueState } from '../../../../../runtime/state/keyed-state.ts';
import { ListStateDescriptor, ValueStateDescriptor } from '../../../../../runtime/state/state-descriptor.ts';
import { CollectRegistry } from '../../../../../runtime/streaming/collect-output.ts';
import { LocalExecutor } from '../../../../../runtime/streaming/local/local-executor.ts';
import type { Collector } from '../../../../../runtime/streaming/output.ts';
import type { StreamOperator } from '../../../../../runtime/streaming/stream-operator.ts';
import { MemoryTextOutput } from '../../../../../runtime/streaming/text-output.ts';
import { TumblingEventTimeWindows } from '../../../../../runtime/streaming/windowing/assigners/tumbling-windows.ts';
import type { TimeWindow } from '../../../../../runtime/streaming/windowing/time-window.ts';
import type { ProcessWindowContext } from '../../../../../runtime/streaming/windowing/window-functions.ts';
import { OperatorTestHarness } from '../../../../doubles/operator-test-harness.ts';

function describeContext(ctx: RuntimeContext): string {
  return [
    ctx.getTaskName(),
    ctx.getTaskNameWithSubtasks(),
    ctx.getIndexOfThisSubtask(),
    ctx.getNumberOfParallelSubtasks(),
    ctx.getMaxNumberOfParallelSubtasks(),
    ctx.getAttemptNumber(),
  ].join(' | ');
}

/** The lifecycle as it happened, kept outside the function: each subtask runs its own copy of it. */
const events: string[] = [];

class Lifecycle extends RichMapFunction<number, number> {
  private opened = 0;

  override open(_ctx: OpenContext): void {
    this.opened++;
    events.push(`open ${describeContext(this.getRuntimeContext())}`);
  }

  map(n: number): number {
    events.push(`map ${n} opened=${this.opened} on ${this.getRuntimeContext().getIndexOfThisSubtask()}`);
    return n * 10;
  }

  override close(): void {
    events.push(`close ${this.getRuntimeContext().getIndexOfThisSubtask()}`);
  }
}

function operatorOf(stream: { transformation: { factory?: () => StreamOperator<unknown, unknown> } }): StreamOperator<unknown, unknown> {
  return stream.transformation.factory!();
}

describe('rich functions: lifecycle and runtime context', () => {
  it('open() before the first record with the subtask runtime context, close() after the last', async () => {
    events.length = 0;
    const stream = new StreamExecutionEnvironment().fromElements<number>().map(new Lifecycle());
    const h = new OperatorTestHarness(operatorOf(stream), { taskName: 'Source: numbers -> Map', subtaskIndex: 2, parallelism: 4, maxParallelism: 256, attemptNumber: 1 });
    expect(events).toEqual([]);
    await h.open();
    h.processElement(1, 0).processElement(2, 0);
    await h.finish();
    expect(events).toEqual([
      'open Source: numbers -> Map | Source: numbers -> Map (3/4)#1 | 2 | 4 | 256 | 1',
      'map 1 opened=1 on 2',
      'map 2 opened=1 on 2',
      'close 2',
    ]);
    expect(h.records()).toEqual([10, 20]);
  });

  it('each parallel instance gets its own copy of the function object', async () => {
    class Counter extends RichMapFunction<string, string> {
      private n = 0;
      map(s: string): string {
        return `${s}${++this.n}`;
      }
    }
    const stream = new StreamExecutionEnvironment().fromElements<string>().map(new Counter());
    const first = await new OperatorTestHarness(operatorOf(stream)).open();
    const second = await new OperatorTestHarness(operatorOf(stream)).open();
    first.processElement('a', 0).processElement('a', 0);
    second.processElement('b', 0);
    expect([...first.records(), ...second.records()]).toEqual(['a1', 'a2', 'b1']);
  });

  it('RichFlatMapFunction and RichFilterFunction, and plain objects with the method', async () => {
    class Words extends RichFlatMapFunction<string, string> {
      private prefix = '';
      override open(): void {
        this.prefix = `${this.getRuntimeContext().getIndexOfThisSubtask()}:`;
      }
      flatMap(line: string, out: Collector<string>): void {
        for (const w of line.split(' ')) out.collect(this.prefix + w);
      }
    }
    class Long extends RichFilterFunction<string> {
      filter(w: string): boolean {
        return w.length > 3;
      }
    }
    const env = new StreamExecutionEnvironment();
    const words = await new OperatorTestHarness(operatorOf(env.fromElements<string>().flatMap(new Words())), { subtaskIndex: 1 }).open();
    words.processElement('to be or', 0);
    expect(words.records()).toEqual(['1:to', '1:be', '1:or']);
    const long = await new OperatorTestHarness(operatorOf(env.fromElements<string>().filter(new Long()))).open();
    long.processElement('tiny', 0).processElement('a', 0);
    expect(long.records()).toEqual(['tiny']);
    const plain = await new OperatorTestHarness(operatorOf(env.fromElements<number>().map({ map: (n: number) => n + 1 }))).open();
    plain.processElement(1, 0);
    expect(plain.records()).toEqual([2]);
  });

  it('keyed state after keyBy follows each record key, in map and flatMap', async () => {
    class RunningCount extends RichMapFunction<string, string> {
      private count!: ValueState<number>;
      override open(): void {
        this.count = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('count', 0));
      }
      map(w: string): string {
        this.count.update(this.count.value()! + 1);
        return `${w}:${this.count.value()}`;
      }
    }
    class History extends RichFlatMapFunction<string, string> {
      private seen!: ListState<string>;
      override open(): void {
        this.seen = this.getRuntimeContext().getListState(new ListStateDescriptor<string>('seen'));
      }
      flatMap(w: string, out: Collector<string>): void {
        this.seen.add(w.toUpperCase());
        out.collect(this.seen.get().join(''));
      }
    }
    const keyed = new StreamExecutionEnvironment().fromElements<string>().keyBy((w) => w[0]);
    const counts = await new OperatorTestHarness(operatorOf(keyed.map(new RunningCount()))).open();
    const history = await new OperatorTestHarness(operatorOf(keyed.flatMap(new History()))).open();
    for (const w of ['a', 'b', 'ax', 'a']) {
      counts.processElement(w, 0);
      history.processElement(w, 0);
    }
    expect(counts.records()).toEqual(['a:1', 'b:1', 'ax:2', 'a:3']);
    expect(history.records()).toEqual(['A', 'B', 'AAX', 'AAXA']);
  });

  it('keyed state without keyBy is refused with Flink message', async () => {
    class Stateful extends RichMapFunction<number, number> {
      override open(): void {
        this.getRuntimeContext().getState(new ValueStateDescriptor<number>('s'));
      }
      map(n: number): number {
        return n;
      }
    }
    const h = new OperatorTestHarness(operatorOf(new StreamExecutionEnvironment().fromElements<number>().map(new Stateful())));
    await expect(h.open()).rejects.toThrow("Keyed state can only be used on a 'keyed stream', i.e., after a 'keyBy()' operation.");
  });

  it('reading keyed state in open(), where no key is current, is refused with Flink message', async () => {
    class Early extends RichMapFunction<number, number> {
      override open(): void {
        this.getRuntimeContext().getState(new ValueStateDescriptor<number>('s')).value();
      }
      map(n: number): number {
        return n;
      }
    }
    const h = new OperatorTestHarness(operatorOf(new StreamExecutionEnvironment().fromElements<number>().keyBy((n) => n).map(new Early())));
    await expect(h.open()).rejects.toThrow('No key set. This method should not be called outside of a keyed context.');
  });

  it('getRuntimeContext() before the function is set up is refused', () => {
    class Bare extends RichMapFunction<number, number> {
      map(n: number): number {
        return n;
      }
    }
    expect(() => new Bare().getRuntimeContext()).toThrow('The runtime context has not been initialized.');
  });
});

describe('rich window functions', () => {
  it('a ProcessWindowFunction object that is rich is opened, has keyed state per key, and is closed; one copy per instance', async () => {
    const lifecycle: string[] = [];
    class Fires extends AbstractRichFunction {
      private fires!: ValueState<number>;
      private calls = 0;
      override open(): void {
        lifecycle.push(`open ${this.getRuntimeContext().getIndexOfThisSubtask()}`);
        this.fires = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('fires', 0));
      }
      process(key: string, ctx: ProcessWindowContext<TimeWindow>, elements: Iterable<[string, number]>, out: Collector<string>): void {
        this.fires.update(this.fires.value()! + 1);
        out.collect(`${key} [${ctx.window().start}) n=${[...elements].length} fires=${this.fires.value()} calls=${++this.calls}`);
      }
      override close(): void {
        lifecycle.push('close');
      }
    }
    const windowed = new StreamExecutionEnvironment()
      .fromElements<[string, number]>()
      .keyBy((r) => r[0])
      .window(TumblingEventTimeWindows.of(10));
    const all = windowed.process<string>(new Fires());
    const reduced = windowed.reduce<string>((a, b) => [a[0], a[1] + b[1]], new Fires());
    const h = await new OperatorTestHarness<[string, number], string>(operatorOf(all), { subtaskIndex: 1, parallelism: 2 }).open();
    const other = await new OperatorTestHarness<[string, number], string>(operatorOf(all)).open();
    const r = await new OperatorTestHarness<[string, number], string>(operatorOf(reduced)).open();
    for (const harness of [h, r]) harness.processElement(['a', 1], 1).processElement(['a', 2], 2).processElement(['b', 5], 3).processElement(['a', 3], 12).processWatermark(20);
    other.processElement(['a', 1], 1).processWatermark(20);
    expect(h.take(true)).toEqual(['"a [0) n=2 fires=1 calls=1"@9', '"a [10) n=1 fires=2 calls=3"@19', '"b [0) n=1 fires=1 calls=2"@9']);
    expect(r.take(true)).toEqual(['"a [0) n=1 fires=1 calls=1"@9', '"a [10) n=1 fires=2 calls=3"@19', '"b [0) n=1 fires=1 calls=2"@9']);
    expect(other.take()).toEqual(['"a [0) n=1 fires=1 calls=1"@9']);
    await h.finish();
    expect(lifecycle).toEqual(['open 1', 'open 0', 'open 0', 'close']);
  });
});

describe('rich functions on the LocalExecutor', () => {
  it('every parallel subtask opens its own instance before its records and closes it at the end', async () => {
    events.length = 0;
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    env.fromSequence(1, 4).map(new Lifecycle()).name('Tens').collect('tens');
    const collected = new CollectRegistry();
    await new LocalExecutor({ services: { collectOutput: collected, stdout: new MemoryTextOutput(), clock: new ManualClock(0) } }).execute(env.buildJob());
    expect(collected.results<number>('tens').sort((a, b) => a - b)).toEqual([10, 20, 30, 40]);
    const task = 'Source: Sequence Source -> Tens -> Sink: Collect Sink';
    for (const subtask of [0, 1]) {
      const mine = events.filter((e) => e.startsWith(`open ${task} | ${task} (${subtask + 1}/2)`) || e.endsWith(`on ${subtask}`) || e === `close ${subtask}`);
      // The task name is the chain's, as in Flink.
      expect(mine[0]).toBe(`open ${task} | ${task} (${subtask + 1}/2)#0 | ${subtask} | 2 | 128 | 0`);
      expect(mine.slice(1, -1).every((e) => e.startsWith('map ') && e.includes('opened=1'))).toBe(true);
      expect(mine.at(-1)).toBe(`close ${subtask}`);
    }
    expect(events.filter((e) => e.startsWith('map')).length).toBe(4);
  });

  it('a cancelled job closes its rich functions', async () => {
    let firstRecord!: () => void;
    const running = new Promise<void>((resolve) => (firstRecord = resolve));
    const lifecycle: string[] = [];
    class Watch extends RichMapFunction<number, number> {
      override open(): void {
        lifecycle.push('open');
      }
      map(n: number): number {
        firstRecord();
        return n;
      }
      override close(): void {
        lifecycle.push('close');
      }
    }
    const env = new StreamExecutionEnvironment({ parallelism: 1 });
    env.fromGenerator({ generate: (i) => i }).map(new Watch()).filter(() => false).collect('none');
    const handle = new LocalExecutor({ services: { collectOutput: new CollectRegistry(), stdout: new MemoryTextOutput(), clock: new ManualClock(0) } }).start(env.buildJob());
    await running;
    expect((await handle.cancel()).status).toBe('CANCELED');
    expect(lifecycle).toEqual(['open', 'close']);
  });
});
