import { describe, expect, it } from 'vitest';
import { WatermarkStrategy } from '../../../../../runtime/api/eventtime/watermark-strategy.ts';
import { Watermark, type WatermarkGenerator, type WatermarkOutput } from '../../../../../runtime/api/eventtime/watermark.ts';
import { TimestampsAndWatermarksOperator } from '../../../../../runtime/streaming/operators/timestamps-and-watermarks-operator.ts';
import { MAX_WATERMARK, NO_TIMESTAMP } from '../../../../../runtime/streaming/stream-element.ts';
import { OperatorTestHarness } from '../../../../doubles/operator-test-harness.ts';

interface Reading {
  readonly id: string;
  readonly ts: number;
}

const byTs = (r: Reading): number => r.ts;

async function harness(strategy: WatermarkStrategy<Reading>, interval = 200): Promise<OperatorTestHarness<Reading, Reading>> {
  return new OperatorTestHarness<Reading, Reading>(new TimestampsAndWatermarksOperator(strategy), { settings: { autoWatermarkInterval: interval } }).open();
}

describe('WatermarkStrategy.forBoundedOutOfOrderness', () => {
  it('emits maxTs - outOfOrderness - 1 every auto-watermark interval, only when it advances', async () => {
    const h = await harness(WatermarkStrategy.forBoundedOutOfOrderness<Reading>(2000).withTimestampAssigner(byTs));
    h.advance(200);
    expect(h.watermarks()).toEqual([]); // no event yet: Long.MIN_VALUE is never emitted
    h.processElement({ id: 'a', ts: 5000 }, NO_TIMESTAMP);
    h.processElement({ id: 'b', ts: 3000 }, NO_TIMESTAMP); // out of order: does not lower the max
    expect(h.watermarks()).toEqual([]); // periodic, not per event
    h.advance(200);
    expect(h.watermarks()).toEqual([2999]);
    h.advance(200);
    h.advance(200);
    expect(h.watermarks()).toEqual([2999]); // not re-emitted while it does not advance
    h.processElement({ id: 'c', ts: 7000 }, NO_TIMESTAMP);
    h.advance(200);
    // Flink's worked example: 7000 - 2000 - 1 = 4999 closes the window [0, 5000).
    expect(h.watermarks()).toEqual([2999, 4999]);
    expect(h.emitted.filter((e) => 'record' in e).map((e) => ('timestamp' in e ? e.timestamp : undefined))).toEqual([5000, 3000, 7000]);
  });

  it('accepts a Duration-like value and refuses a negative one', () => {
    expect(() => WatermarkStrategy.forBoundedOutOfOrderness({ toMillis: () => 5 })).not.toThrow();
    expect(() => WatermarkStrategy.forBoundedOutOfOrderness(-1)).toThrow(/cannot be negative/);
  });

  it('drops upstream watermarks except the end of input, and emits a last periodic watermark at finish', async () => {
    const h = await harness(WatermarkStrategy.forBoundedOutOfOrderness<Reading>(10).withTimestampAssigner(byTs));
    h.processElement({ id: 'a', ts: 100 }, NO_TIMESTAMP);
    h.processWatermark(50);
    expect(h.watermarks()).toEqual([]);
    await h.operator.finish();
    h.processWatermark(MAX_WATERMARK);
    expect(h.watermarks()).toEqual([89, MAX_WATERMARK]);
  });

  it('with interval 0 emits no periodic watermarks (Flink turns them off)', async () => {
    const h = await harness(WatermarkStrategy.forBoundedOutOfOrderness<Reading>(0).withTimestampAssigner(byTs), 0);
    h.processElement({ id: 'a', ts: 100 }, NO_TIMESTAMP);
    h.advance(10_000);
    expect(h.watermarks()).toEqual([]);
  });
});

describe('WatermarkStrategy: other generators', () => {
  it('forMonotonousTimestamps emits maxTs - 1', async () => {
    const h = await harness(WatermarkStrategy.forMonotonousTimestamps<Reading>().withTimestampAssigner(byTs));
    h.processElement({ id: 'a', ts: 10 }, NO_TIMESTAMP);
    h.advance(200);
    expect(h.watermarks()).toEqual([9]);
  });

  it('noWatermarks keeps record timestamps and emits nothing', async () => {
    const h = await harness(WatermarkStrategy.noWatermarks<Reading>());
    h.processElement({ id: 'a', ts: 10 }, 42);
    h.advance(1000);
    expect(h.watermarks()).toEqual([]);
    expect(h.emitted).toEqual([{ record: { id: 'a', ts: 10 }, timestamp: 42 }]);
  });

  it('forGenerator: a punctuated generator emits in onEvent; a lower watermark is never sent', async () => {
    class Punctuated implements WatermarkGenerator<Reading> {
      onEvent(event: Reading, ts: number, output: WatermarkOutput): void {
        if (event.id === 'mark') output.emitWatermark(new Watermark(ts));
      }
      onPeriodicEmit(): void {}
    }
    const h = await harness(WatermarkStrategy.forGenerator<Reading>(() => new Punctuated()).withTimestampAssigner(byTs));
    h.processElement({ id: 'x', ts: 5 }, NO_TIMESTAMP);
    h.processElement({ id: 'mark', ts: 10 }, NO_TIMESTAMP);
    h.processElement({ id: 'mark', ts: 8 }, NO_TIMESTAMP);
    h.processElement({ id: 'mark', ts: 20 }, NO_TIMESTAMP);
    expect(h.watermarks()).toEqual([10, 20]);
  });
});

describe('WatermarkStrategy.withIdleness', () => {
  it('marks the input idle after the timeout without events, and active again on the next record', async () => {
    const h = await harness(WatermarkStrategy.forBoundedOutOfOrderness<Reading>(0).withTimestampAssigner(byTs).withIdleness(1000));
    h.processElement({ id: 'a', ts: 100 }, NO_TIMESTAMP);
    h.advance(200); // activity seen: emits 99
    h.advance(200); // first check without activity: inactivity starts (t=400)
    h.advance(1000); // t=1400: 1000 ms inactive, not more
    expect(h.emitted.filter((e) => 'idle' in e)).toEqual([]);
    h.advance(200); // t=1600: 1200 > 1000
    expect(h.emitted.filter((e) => 'idle' in e)).toEqual([{ idle: true }]);
    h.advance(2000);
    expect(h.emitted.filter((e) => 'idle' in e)).toEqual([{ idle: true }]); // announced once
    h.processElement({ id: 'b', ts: 300 }, NO_TIMESTAMP);
    expect(h.emitted.filter((e) => 'idle' in e)).toEqual([{ idle: true }, { idle: false }]);
    h.advance(200);
    expect(h.watermarks()).toEqual([99, 299]);
  });

  it('refuses a timeout that is not > 0', () => {
    expect(() => WatermarkStrategy.noWatermarks().withIdleness(0)).toThrow(/larger than zero/);
  });
});
