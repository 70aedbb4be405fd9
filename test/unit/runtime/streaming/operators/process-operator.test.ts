import { describe, expect, it } from 'vitest';
import { ProcessFunction, type ProcessFunctionContext } from '../../../../../runtime/api/functions/process-function.ts';
import { OutputTag } from '../../../../../runtime/api/output-tag.ts';
import { StreamExecutionEnvironment } from '../../../../../runtime/api/stream-execution-environment.ts';
import { ValueStateDescriptor } from '../../../../../runtime/state/state-descriptor.ts';
import type { Collector } from '../../../../../runtime/streaming/output.ts';
import { NO_TIMESTAMP } from '../../../../../runtime/streaming/stream-element.ts';
import type { TimerService } from '../../../../../runtime/streaming/time/timer-service.ts';
import { OperatorTestHarness } from '../../../../doubles/operator-test-harness.ts';

async function harness<T, O>(fn: ProcessFunction<T, O>, startTime = 0): Promise<OperatorTestHarness<T, O>> {
  const stream = new StreamExecutionEnvironment().fromElements<T>().process(fn);
  return new OperatorTestHarness<T, O>(stream.transformation.factory!(), { startTime }).open();
}

/** Calls `action` on the timer service for every record. */
class WithTimers extends ProcessFunction<number, string> {
  private readonly action: (timers: TimerService, n: number) => void;

  constructor(action: (timers: TimerService, n: number) => void) {
    super();
    this.action = action;
  }

  processElement(n: number, ctx: ProcessFunctionContext, out: Collector<string>): void {
    this.action(ctx.timerService(), n);
    out.collect(`${n}`);
  }
}

describe('ProcessFunction on a DataStream without keys', () => {
  it('sees the record timestamp (null when none), the watermark and the clock, and emits to side outputs', async () => {
    const small = new OutputTag<number>('small');
    class Split extends ProcessFunction<number, string> {
      processElement(n: number, ctx: ProcessFunctionContext, out: Collector<string>): void {
        const t = ctx.timerService();
        if (n < 10) ctx.output(small, n);
        else out.collect(`${n} ts=${ctx.timestamp()} wm=${t.currentWatermark()} now=${t.currentProcessingTime()}`);
      }
    }
    const h = await harness(new Split(), 500);
    h.processElement(1, 3).processWatermark(40).processElement(20, 42).processElement(30, NO_TIMESTAMP);
    expect(h.records()).toEqual(['20 ts=42 wm=40 now=500', '30 ts=null wm=40 now=500']);
    expect(h.side(small)).toEqual(['1@3']);
    expect(h.watermarks()).toEqual([40]);
  });

  it('refuses to set or delete timers, with Flink message', async () => {
    const register = await harness(new WithTimers((t, n) => t.registerEventTimeTimer(n)));
    expect(() => register.processElement(1, 1)).toThrow('Setting timers is only supported on a keyed streams.');
    const processing = await harness(new WithTimers((t, n) => t.registerProcessingTimeTimer(n)));
    expect(() => processing.processElement(1, 1)).toThrow('Setting timers is only supported on a keyed streams.');
    const remove = await harness(new WithTimers((t, n) => t.deleteEventTimeTimer(n)));
    expect(() => remove.processElement(1, 1)).toThrow('Deleting timers is only supported on a keyed streams.');
  });

  it('refuses keyed state, with Flink message', async () => {
    class Stateful extends ProcessFunction<number, number> {
      override open(): void {
        this.getRuntimeContext().getState(new ValueStateDescriptor<number>('count'));
      }

      processElement(): void {}
    }
    const stream = new StreamExecutionEnvironment().fromElements<number>().process(new Stateful());
    const h = new OperatorTestHarness<number, number>(stream.transformation.factory!());
    await expect(h.open()).rejects.toThrow("Keyed state can only be used on a 'keyed stream', i.e., after a 'keyBy()' operation.");
  });

  it('keeps the function form with its ctx.timestamp property', async () => {
    const stream = new StreamExecutionEnvironment().fromElements<number>().process<string>((n, ctx) => ctx.collect(`${n}@${String(ctx.timestamp)}`));
    const h = await new OperatorTestHarness<number, string>(stream.transformation.factory!()).open();
    h.processElement(1, 7).processElement(2, NO_TIMESTAMP);
    expect(h.records()).toEqual(['1@7', '2@undefined']);
  });
});
