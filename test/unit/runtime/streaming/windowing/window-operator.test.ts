import { describe, expect, it } from 'vitest';
import { OutputTag } from '../../../../../runtime/api/output-tag.ts';
import { StreamExecutionEnvironment } from '../../../../../runtime/api/stream-execution-environment.ts';
import type { DataStream } from '../../../../../runtime/api/data-stream.ts';
import type { KeyedStream } from '../../../../../runtime/api/keyed-stream.ts';
import { ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../../../../runtime/state/state-descriptor.ts';
import type { WindowOperator } from '../../../../../runtime/streaming/operators/windowing/window-operator.ts';
import { NO_TIMESTAMP } from '../../../../../runtime/streaming/stream-element.ts';
import { EventTimeSessionWindows } from '../../../../../runtime/streaming/windowing/assigners/session-windows.ts';
import { SlidingEventTimeWindows } from '../../../../../runtime/streaming/windowing/assigners/sliding-windows.ts';
import { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from '../../../../../runtime/streaming/windowing/assigners/tumbling-windows.ts';
import { CountEvictor } from '../../../../../runtime/streaming/windowing/evictors/count-evictor.ts';
import { TimeEvictor } from '../../../../../runtime/streaming/windowing/evictors/time-evictor.ts';
import type { TimeWindow } from '../../../../../runtime/streaming/windowing/time-window.ts';
import { ContinuousEventTimeTrigger } from '../../../../../runtime/streaming/windowing/triggers/continuous-event-time-trigger.ts';
import { CountTrigger } from '../../../../../runtime/streaming/windowing/triggers/count-trigger.ts';
import type { AggregateFunction } from '../../../../../runtime/streaming/windowing/window-functions.ts';
import { OperatorTestHarness } from '../../../../doubles/operator-test-harness.ts';

type Reading = [key: string, n: number];

function keyed(): KeyedStream<Reading, string> {
  return new StreamExecutionEnvironment().fromElements<Reading>().keyBy((r) => r[0]);
}

function harness<OUT>(stream: DataStream<OUT>): OperatorTestHarness<Reading, OUT> {
  return new OperatorTestHarness<Reading, OUT>(stream.transformation.factory!());
}

const sum = (a: Reading, b: Reading): Reading => [a[0], a[1] + b[1]];

const average: AggregateFunction<Reading, [number, number], number> = {
  createAccumulator: () => [0, 0],
  add: (r, [s, n]) => [s + r[1], n + 1],
  getResult: ([s, n]) => s / n,
  merge: ([s1, n1], [s2, n2]) => [s1 + s2, n1 + n2],
};

describe('WindowOperator: event-time tumbling windows', () => {
  it('fires each key at watermark >= end - 1 with timestamp end - 1, and cleans up', () => {
    const h = harness(keyed().window(TumblingEventTimeWindows.of(5000)).reduce(sum));
    h.processElement(['a', 1], 1000).processElement(['b', 10], 4999).processElement(['a', 2], 3000).processElement(['a', 100], 5000);
    h.processWatermark(4998);
    expect(h.take()).toEqual([]);
    h.processWatermark(4999);
    expect(h.take(true)).toEqual(['["a",3]@4999', '["b",10]@4999']);
    h.processWatermark(9999);
    expect(h.take()).toEqual(['["a",100]@9999']);
    expect(h.watermarks()).toEqual([4998, 4999, 9999]);
    const op = h.operator as WindowOperator<Reading, string, TimeWindow, unknown, unknown, unknown>;
    expect(op['windowState'].size).toBe(0);
  });

  it('drops late elements and counts them in numLateRecordsDropped', () => {
    const h = harness(keyed().window(TumblingEventTimeWindows.of(5000)).reduce(sum));
    h.processElement(['a', 1], 1000).processWatermark(5000);
    expect(h.take()).toEqual(['["a",1]@4999']);
    h.processElement(['a', 7], 4999);
    expect(h.take()).toEqual([]);
    expect((h.operator as unknown as { numLateRecordsDropped: number }).numLateRecordsDropped).toBe(1);
  });

  it('re-fires for late elements within allowedLateness, then drops them after cleanup', () => {
    const h = harness(keyed().window(TumblingEventTimeWindows.of(5000)).allowedLateness(2000).reduce(sum));
    h.processElement(['a', 1], 1000).processWatermark(4999);
    expect(h.take()).toEqual(['["a",1]@4999']);
    // Late but allowed: the state was kept, the element is added and the window fires again at once.
    h.processElement(['a', 2], 2000);
    expect(h.take()).toEqual(['["a",3]@4999']);
    h.processWatermark(6998).processElement(['a', 4], 10);
    expect(h.take()).toEqual(['["a",7]@4999']);
    // Cleanup at maxTimestamp + lateness = 6999: after it the window is gone.
    h.processWatermark(6999).processElement(['a', 8], 10);
    expect(h.take()).toEqual([]);
    expect((h.operator as unknown as { numLateRecordsDropped: number }).numLateRecordsDropped).toBe(1);
  });

  it('sends late elements to sideOutputLateData(tag) and nowhere else', () => {
    const late = new OutputTag<Reading>('late');
    const h = harness(keyed().window(TumblingEventTimeWindows.of(5000)).sideOutputLateData(late).reduce(sum));
    h.processElement(['a', 1], 1000).processWatermark(5000).processElement(['a', 2], 4000).processElement(['a', 3], 5001);
    expect(h.take()).toEqual(['["a",1]@4999']);
    expect(h.side(late)).toEqual(['["a",2]@4000']);
    expect((h.operator as unknown as { numLateRecordsDropped: number }).numLateRecordsDropped).toBe(0);
    h.processWatermark(9999);
    expect(h.take()).toEqual(['["a",3]@9999']);
  });

  it('fails on a record without timestamp with Flink message', () => {
    const h = harness(keyed().window(TumblingEventTimeWindows.of(5000)).reduce(sum));
    expect(() => h.processElement(['a', 1], NO_TIMESTAMP)).toThrow(/Record has Long.MIN_VALUE timestamp \(= no timestamp marker\)\. Is the time characteristic set to 'ProcessingTime'/);
  });
});

describe('WindowOperator: sliding windows, aggregate and process functions', () => {
  it('aggregates every overlapping window of an element', () => {
    const h = harness(keyed().window(SlidingEventTimeWindows.of(10, 5)).aggregate(average));
    h.processElement(['a', 2], 3).processElement(['a', 4], 7).processElement(['a', 9], 12);
    h.processWatermark(100);
    // [-5,5): 2 | [0,10): 2,4 | [5,15): 4,9 | [10,20): 9
    expect(h.take()).toEqual(['2@4', '3@9', '6.5@14', '9@19']);
  });

  it('gives a ProcessWindowFunction the key, the window, all elements, per-window and global state', () => {
    const fired = new ValueStateDescriptor<number>('fired');
    const h = harness(
      keyed()
        .window(TumblingEventTimeWindows.of(10))
        .allowedLateness(100)
        .process<string>((key, ctx, elements, out) => {
          const perWindow = ctx.windowState().getState(fired);
          const global = ctx.globalState().getState(fired);
          perWindow.update((perWindow.value() ?? 0) + 1);
          global.update((global.value() ?? 0) + 1);
          const w = ctx.window();
          out.collect(`${key} [${w.start},${w.end}) ${[...elements].map((e) => e[1]).join(',')} wm=${ctx.currentWatermark()} fires=${perWindow.value()}/${global.value()}`);
        }),
    );
    h.processElement(['a', 1], 1).processElement(['a', 2], 2).processElement(['a', 3], 12).processWatermark(20);
    expect(h.take()).toEqual(['"a [0,10) 1,2 wm=20 fires=1/1"@9', '"a [10,20) 3 wm=20 fires=1/2"@19']);
    h.processElement(['a', 4], 5);
    expect(h.take()).toEqual(['"a [0,10) 1,2,4 wm=20 fires=2/3"@9']);
  });

  it('combines an incremental reduce with a ProcessWindowFunction', () => {
    const h = harness(
      keyed()
        .window(TumblingEventTimeWindows.of(10))
        .reduce<string>(sum, (key, ctx, elements, out) => {
          for (const e of elements) out.collect(`${key}:${e[1]} in ${ctx.window().toString()}`);
        }),
    );
    h.processElement(['a', 1], 1).processElement(['a', 2], 2).processWatermark(9);
    expect(h.take()).toEqual(['"a:3 in TimeWindow{start=0, end=10}"@9']);
  });

  it('with a ContinuousEventTimeTrigger fires early every interval and at the end', () => {
    const h = harness(keyed().window(TumblingEventTimeWindows.of(10)).trigger(ContinuousEventTimeTrigger.of(3)).reduce(sum));
    h.processElement(['a', 1], 1).processWatermark(3);
    expect(h.take()).toEqual(['["a",1]@9']);
    h.processElement(['a', 2], 4).processWatermark(9);
    expect(h.take()).toEqual(['["a",3]@9', '["a",3]@9']);
  });
});

describe('WindowOperator: session windows', () => {
  it('merges sessions per key, including two bridged by one element', () => {
    const h = harness(
      keyed()
        .window(EventTimeSessionWindows.withGap(10))
        .process<string>((key, ctx, elements, out) => out.collect(`${key} [${ctx.window().start},${ctx.window().end}) ${[...elements].map((e) => e[1]).join(',')}`)),
    );
    h.processElement(['a', 1], 1).processElement(['a', 2], 5).processElement(['a', 3], 20).processElement(['b', 9], 3);
    h.processWatermark(14);
    expect(h.take(true)).toEqual(['"a [1,15) 1,2"@14', '"b [3,13) 9"@12']);
    h.processElement(['a', 4], 25).processWatermark(30);
    expect(h.take()).toEqual([]);
    h.processWatermark(34);
    expect(h.take()).toEqual(['"a [20,35) 3,4"@34']);
  });

  it('a bridging element folds both sessions into one window and one firing', () => {
    const h = harness(keyed().window(EventTimeSessionWindows.withGap(10)).reduce(sum));
    h.processElement(['a', 1], 0).processElement(['a', 10], 20).processElement(['a', 100], 10);
    h.processWatermark(28);
    expect(h.take()).toEqual([]);
    h.processWatermark(29);
    expect(h.take()).toEqual(['["a",111]@29']);
  });

  it('merges count trigger state: CountTrigger over sessions', () => {
    const h = harness(keyed().window(EventTimeSessionWindows.withGap(10)).trigger(CountTrigger.of(3)).reduce(sum));
    h.processElement(['a', 1], 0).processElement(['a', 2], 20);
    expect(h.take()).toEqual([]);
    h.processElement(['a', 4], 10);
    expect(h.take()).toEqual(['["a",7]@29']);
  });

  it('refuses per-window state in merging windows, as Flink does', () => {
    const h = harness(
      keyed()
        .window(EventTimeSessionWindows.withGap(10))
        .process<number>((_k, ctx, _elements, out) => out.collect(ctx.windowState().getState(new ValueStateDescriptor<number>('s')).value() ?? 0)),
    );
    h.processElement(['a', 1], 1);
    expect(() => h.processWatermark(20)).toThrow('Per-window state is not allowed when using merging windows.');
  });

  it('refuses a trigger that cannot merge when the job is built', () => {
    const nonMerging = { ...CountTrigger.of(1), canMerge: () => false, toString: () => 'MyTrigger()' } as unknown as CountTrigger;
    expect(() => keyed().window(EventTimeSessionWindows.withGap(10)).trigger(nonMerging)).toThrow(/window\(EventTimeSessionWindows\(10\)\): a merging window assigner cannot be used with a trigger that does not support merging/);
  });
});

describe('WindowOperator: processing time, count windows, evictors', () => {
  it('fires processing-time windows from the clock', () => {
    const h = harness(keyed().window(TumblingProcessingTimeWindows.of(1000)).reduce(sum));
    h.setProcessingTime(100);
    h.processElement(['a', 1], NO_TIMESTAMP).processElement(['a', 2], NO_TIMESTAMP);
    h.setProcessingTime(999);
    expect(h.take()).toEqual([]);
    h.setProcessingTime(1000);
    expect(h.take()).toEqual(['["a",3]@999']);
    h.processElement(['a', 5], NO_TIMESTAMP).setProcessingTime(2000);
    expect(h.take()).toEqual(['["a",5]@1999']);
  });

  it('countWindow(n) fires and purges every n elements per key', () => {
    const h = harness(keyed().countWindow(2).reduce(sum));
    for (const n of [1, 2, 3, 4, 5]) h.processElement(['a', n], NO_TIMESTAMP);
    h.processElement(['b', 7], NO_TIMESTAMP);
    expect(h.take().map((s) => s.split('@')[0])).toEqual(['["a",3]', '["a",7]']);
  });

  it('countWindow(size, slide) keeps the last size elements and fires every slide', () => {
    const h = harness(keyed().countWindow(3, 2).reduce(sum));
    for (const n of [1, 2, 3, 4, 5]) h.processElement(['a', n], NO_TIMESTAMP);
    // Fires after 2 (1+2) and 4 (2+3+4: the evictor keeps the last 3).
    expect(h.take().map((s) => s.split('@')[0])).toEqual(['["a",3]', '["a",9]']);
  });

  it('a TimeEvictor keeps the last ms of a window before the function runs', () => {
    const h = harness(keyed().window(TumblingEventTimeWindows.of(100)).evictor(TimeEvictor.of(20)).reduce(sum));
    h.processElement(['a', 1], 10).processElement(['a', 2], 75).processElement(['a', 4], 90).processWatermark(99);
    expect(h.take()).toEqual(['["a",6]@99']);
  });

  it('a CountEvictor after the function leaves the newest elements for the next firing', () => {
    const h = harness(
      keyed()
        .window(TumblingEventTimeWindows.of(100))
        .trigger(CountTrigger.of(2))
        .evictor(CountEvictor.of(1, true))
        .process<string>((_k, _ctx, elements, out) => out.collect([...elements].map((e) => e[1]).join(','))),
    );
    for (const n of [1, 2, 3]) h.processElement(['a', n], n);
    expect(h.take()).toEqual(['"1,2"@99']);
    h.processElement(['a', 4], 4);
    expect(h.take()).toEqual(['"2,3,4"@99']);
  });
});

describe('WindowedStream: refused at build time', () => {
  it('negative lateness, naming the operator', () => {
    expect(() => keyed().window(TumblingEventTimeWindows.of(5000)).allowedLateness(-1)).toThrow(
      'window(TumblingEventTimeWindows(5000)).allowedLateness(-1): The allowed lateness cannot be negative.',
    );
  });

  it('windowAll runs in one subtask', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 4 });
    const all = env.fromElements(1, 2, 3).windowAll(TumblingEventTimeWindows.of(10)).reduce((a, b) => a + b);
    expect(() => all.setParallelism(2)).toThrow(/must be 1/);
    const vertex = all.transformation;
    expect(vertex.type).toBe('AllWindow(TumblingEventTimeWindows(10), EventTimeTrigger(), ReduceFunction)');
  });
});

describe('WindowOperator: every kind of keyed state in a ProcessWindowFunction', () => {
  it('per-window list state and global map and reducing state, scoped to the key (and window)', () => {
    const firings = new ListStateDescriptor<number>('firings');
    const perWindow = new MapStateDescriptor<number, number>('per-window');
    const total = new ReducingStateDescriptor<number>('total', (a, b) => a + b);
    const h = harness(
      keyed()
        .window(TumblingEventTimeWindows.of(10))
        .allowedLateness(100)
        .process<string>((key, ctx, elements, out) => {
          const n = [...elements].length;
          const fired = ctx.windowState().getListState(firings);
          fired.add(n);
          const byWindow = ctx.globalState().getMapState(perWindow);
          byWindow.put(ctx.window().start, n);
          const sum = ctx.globalState().getReducingState(total);
          sum.add(n);
          out.collect(`${key}@${ctx.window().start} firings=${fired.get().join(',')} windows=${[...byWindow.keys()].join(',')} total=${sum.get()}`);
        }),
    );
    h.processElement(['a', 1], 1).processElement(['b', 1], 2).processElement(['a', 1], 15).processWatermark(20);
    expect(h.take(true)).toEqual(['"a@0 firings=1 windows=0 total=1"@9', '"a@10 firings=1 windows=0,10 total=2"@19', '"b@0 firings=1 windows=0 total=1"@9']);
    h.processElement(['a', 1], 3);
    expect(h.take()).toEqual(['"a@0 firings=1,2 windows=0,10 total=4"@9']);
  });
});
