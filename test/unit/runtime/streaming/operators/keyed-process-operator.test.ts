import { describe, expect, it } from 'vitest';
import { KeyedProcessFunction, type KeyedProcessFunctionContext, type KeyedProcessFunctionOnTimerContext } from '../../../../../runtime/api/functions/keyed-process-function.ts';
import type { OpenContext } from '../../../../../runtime/api/functions/rich-function.ts';
import { OutputTag } from '../../../../../runtime/api/output-tag.ts';
import { StreamExecutionEnvironment } from '../../../../../runtime/api/stream-execution-environment.ts';
import { ValueStateDescriptor } from '../../../../../runtime/state/state-descriptor.ts';
import type { ValueState } from '../../../../../runtime/streaming/keyed-value-state.ts';
import type { Collector } from '../../../../../runtime/streaming/output.ts';
import { NO_TIMESTAMP } from '../../../../../runtime/streaming/stream-element.ts';
import { NO_WATERMARK } from '../../../../../runtime/streaming/time/internal-timer-service.ts';
import { TimeDomain } from '../../../../../runtime/streaming/time/time-domain.ts';
import { OperatorTestHarness } from '../../../../doubles/operator-test-harness.ts';

/** A command per record: which timer to set or delete for the record's key. */
interface Cmd {
  readonly key: string;
  readonly op: 'event' | 'processing' | 'delete-event' | 'delete-processing' | 'none';
  readonly at: number;
}

const fired = new OutputTag<string>('fired');

/** Sets or deletes timers as told; onTimer reports key, domain, timestamp and the key's state. */
class TimerCommands extends KeyedProcessFunction<string, Cmd, string> {
  private seen!: ValueState<number>;

  override open(_ctx: OpenContext): void {
    this.seen = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('seen', 0));
  }

  processElement(cmd: Cmd, ctx: KeyedProcessFunctionContext<string>, out: Collector<string>): void {
    this.seen.update(this.seen.value()! + 1);
    const timers = ctx.timerService();
    if (cmd.op === 'event') timers.registerEventTimeTimer(cmd.at);
    else if (cmd.op === 'processing') timers.registerProcessingTimeTimer(cmd.at);
    else if (cmd.op === 'delete-event') timers.deleteEventTimeTimer(cmd.at);
    else if (cmd.op === 'delete-processing') timers.deleteProcessingTimeTimer(cmd.at);
    out.collect(`in ${ctx.getCurrentKey()} ts=${ctx.timestamp()} wm=${timers.currentWatermark() === NO_WATERMARK ? 'none' : timers.currentWatermark()}`);
  }

  override onTimer(timestamp: number, ctx: KeyedProcessFunctionOnTimerContext<string>, out: Collector<string>): void {
    out.collect(`${ctx.timeDomain()} ${ctx.getCurrentKey()}@${timestamp} ts=${ctx.timestamp()} seen=${this.seen.value()}`);
    ctx.output(fired, `${ctx.getCurrentKey()}@${timestamp}`);
  }
}

async function harness(startTime = 0): Promise<OperatorTestHarness<Cmd, string>> {
  const stream = new StreamExecutionEnvironment().fromElements<Cmd>().keyBy((c) => c.key).process(new TimerCommands());
  return new OperatorTestHarness<Cmd, string>(stream.transformation.factory!(), { startTime }).open();
}

const ev = (key: string, at: number): Cmd => ({ key, op: 'event', at });
const pt = (key: string, at: number): Cmd => ({ key, op: 'processing', at });

describe('KeyedProcessFunction: event-time timers', () => {
  it('fire in timestamp order once the watermark reaches them, with their key current and their timestamp on the output', async () => {
    const h = await harness();
    h.processElement(ev('b', 30), 1).processElement(ev('a', 20), 2).processElement(ev('a', 10), 3).processElement(ev('c', 20), NO_TIMESTAMP);
    expect(h.take()).toEqual(['"in b ts=1 wm=none"@1', '"in a ts=2 wm=none"@2', '"in a ts=3 wm=none"@3', `"in c ts=null wm=none"@${NO_TIMESTAMP}`]);
    h.processWatermark(9);
    expect(h.take()).toEqual([]);
    h.processWatermark(20);
    // a@20 and c@20 are due together: registration order breaks the tie.
    expect(h.take()).toEqual(['"EVENT_TIME a@10 ts=10 seen=2"@10', '"EVENT_TIME a@20 ts=20 seen=2"@20', '"EVENT_TIME c@20 ts=20 seen=1"@20']);
    h.processWatermark(100);
    expect(h.take()).toEqual(['"EVENT_TIME b@30 ts=30 seen=1"@30']);
    // The watermark is forwarded after the timers it fired.
    expect(h.emitted.flatMap((e) => ('watermark' in e ? ['wm'] : 'side' in e ? [] : 'record' in e && String(e.record).startsWith('EVENT') ? ['timer'] : [])))
      .toEqual(['wm', 'timer', 'timer', 'timer', 'wm', 'timer', 'wm']);
  });

  it('one timer per key and timestamp: a second registration is the same timer', async () => {
    const h = await harness();
    h.processElement(ev('a', 10), 0).processElement(ev('a', 10), 0).processElement(ev('b', 10), 0).processElement(ev('a', 10), 0);
    h.take();
    h.processWatermark(10);
    expect(h.take()).toEqual(['"EVENT_TIME a@10 ts=10 seen=3"@10', '"EVENT_TIME b@10 ts=10 seen=1"@10']);
  });

  it('deleting a timer stops it, for that key only', async () => {
    const h = await harness();
    h.processElement(ev('a', 10), 0).processElement(ev('b', 10), 0).processElement({ key: 'a', op: 'delete-event', at: 10 }, 0);
    h.processElement({ key: 'a', op: 'delete-event', at: 99 }, 0); // no such timer: nothing happens
    h.take();
    h.processWatermark(50);
    expect(h.take()).toEqual(['"EVENT_TIME b@10 ts=10 seen=1"@10']);
  });

  it('a timer at or below the current watermark fires with the next watermark', async () => {
    const h = await harness();
    h.processWatermark(50).processElement(ev('a', 40), 45);
    expect(h.take()).toEqual(['"in a ts=45 wm=50"@45']);
    h.processWatermark(51);
    expect(h.take()).toEqual(['"EVENT_TIME a@40 ts=40 seen=1"@40']);
  });

  it('onTimer emits to side outputs with the timer timestamp', async () => {
    const h = await harness();
    h.processElement(ev('a', 10), 0).processElement(pt('b', 5), 0).processWatermark(10).advance(10);
    expect(h.side(fired)).toEqual(['"a@10"@10', '"b@5"@5']);
  });
});

describe('KeyedProcessFunction: processing-time timers', () => {
  it('fire from the processing-time service once the clock passes them, in order, with no timestamp on the output', async () => {
    const h = await harness(1000);
    h.processElement(pt('a', 1500), 7).processElement(pt('b', 1200), 8).processElement(pt('a', 1200), 9).processElement(pt('b', 1200), 9);
    h.take();
    h.setProcessingTime(1199);
    expect(h.take()).toEqual([]);
    // Flink fires a timer for t once the time has passed t (at t + 1 ms).
    h.setProcessingTime(1201);
    expect(h.take()).toEqual([`"PROCESSING_TIME b@1200 ts=1200 seen=2"@${NO_TIMESTAMP}`, `"PROCESSING_TIME a@1200 ts=1200 seen=2"@${NO_TIMESTAMP}`]);
    h.processElement({ key: 'a', op: 'delete-processing', at: 1500 }, 10).setProcessingTime(5000);
    expect(h.take()).toEqual(['"in a ts=10 wm=none"@10']);
  });

  it('event-time and processing-time timers at one timestamp are two timers, each reporting its domain', async () => {
    const h = await harness();
    h.processElement(ev('a', 10), 0).processElement(pt('a', 10), 0);
    h.take();
    h.processWatermark(10).advance(11);
    expect(h.take().map((s) => s.split(' ')[0])).toEqual([`"${TimeDomain.EVENT_TIME}`, `"${TimeDomain.PROCESSING_TIME}`]);
  });
});

describe('KeyedStream.process: the function form', () => {
  it('keeps ctx.key, the ctx.timestamp property and ctx.state', async () => {
    const stream = new StreamExecutionEnvironment().fromElements<string>().keyBy((w) => w).process<string, number>((w, ctx) => {
      ctx.state.update((ctx.state.value() ?? 0) + 1);
      ctx.collect(`${ctx.key}:${ctx.state.value()} ts=${String(ctx.timestamp)}`);
    });
    const h = await new OperatorTestHarness<string, string>(stream.transformation.factory!()).open();
    h.processElement('a', 5).processElement('b', NO_TIMESTAMP).processElement('a', 6);
    expect(h.records()).toEqual(['a:1 ts=5', 'b:1 ts=undefined', 'a:2 ts=6']);
  });
});
