import { describe, expect, it } from 'vitest';
import { CoProcessFunction } from '../../../../../../runtime/api/functions/co-process-function.ts';
import { KeyedCoProcessFunction } from '../../../../../../runtime/api/functions/keyed-co-process-function.ts';
import type { KeyedProcessFunctionContext, KeyedProcessFunctionOnTimerContext } from '../../../../../../runtime/api/functions/keyed-process-function.ts';
import type { ProcessFunctionContext } from '../../../../../../runtime/api/functions/process-function.ts';
import type { RuntimeContext } from '../../../../../../runtime/api/functions/runtime-context.ts';
import { asRichFunction } from '../../../../../../runtime/api/functions/plain-function-object.ts';
import { ValueStateDescriptor } from '../../../../../../runtime/state/state-descriptor.ts';
import type { ValueState } from '../../../../../../runtime/streaming/keyed-value-state.ts';
import { RichCoMapFunction } from '../../../../../../runtime/api/functions/rich-co-functions.ts';
import { CoStreamMap } from '../../../../../../runtime/streaming/operators/co/co-stream-map.ts';
import { CoProcessOperator } from '../../../../../../runtime/streaming/operators/co/co-process-operator.ts';
import { KeyedCoProcessOperator } from '../../../../../../runtime/streaming/operators/co/keyed-co-process-operator.ts';
import type { Collector } from '../../../../../../runtime/streaming/output.ts';
import { TwoInputOperatorTestHarness } from '../../../../../doubles/two-input-operator-test-harness.ts';

interface Order {
  readonly id: string;
  readonly amount: number;
}
interface Payment {
  readonly orderId: string;
  readonly method: string;
}

/** Joins each order with its payment, whichever comes first; an order unpaid at its timestamp + 100 times out. */
class OrderPaymentJoin extends KeyedCoProcessFunction<string, Order, Payment, string> {
  private order!: ValueState<Order>;
  private payment!: ValueState<Payment>;

  override open(): void {
    this.order = this.getRuntimeContext().getState(new ValueStateDescriptor<Order>('order'));
    this.payment = this.getRuntimeContext().getState(new ValueStateDescriptor<Payment>('payment'));
  }

  processElement1(order: Order, ctx: KeyedProcessFunctionContext<string>, out: Collector<string>): void {
    const payment = this.payment.value();
    if (payment !== undefined) {
      out.collect(`${order.id}:${order.amount}:${payment.method}`);
      this.payment.clear();
      return;
    }
    this.order.update(order);
    ctx.timerService().registerEventTimeTimer((ctx.timestamp() ?? 0) + 100);
  }

  processElement2(payment: Payment, _ctx: KeyedProcessFunctionContext<string>, out: Collector<string>): void {
    const order = this.order.value();
    if (order !== undefined) {
      out.collect(`${order.id}:${order.amount}:${payment.method}`);
      this.order.clear();
      return;
    }
    this.payment.update(payment);
  }

  override onTimer(timestamp: number, ctx: KeyedProcessFunctionOnTimerContext<string>, out: Collector<string>): void {
    if (this.order.value() === undefined) return;
    out.collect(`${ctx.getCurrentKey()}:timeout@${timestamp}:${ctx.timeDomain()}`);
    this.order.clear();
  }
}

async function join(): Promise<TwoInputOperatorTestHarness<Order, Payment, string>> {
  const op = new KeyedCoProcessOperator<string, Order, Payment, string>(
    new OrderPaymentJoin(),
    (o) => o.id,
    (p) => p.orderId,
  );
  return new TwoInputOperatorTestHarness(op).open();
}

describe('KeyedCoProcessOperator', () => {
  it('shares each key state between both inputs, whichever side arrives first', async () => {
    const h = await join();
    h.processElement1({ id: 'o1', amount: 10 }, 1000);
    h.processElement2({ orderId: 'o2', method: 'card' }, 1001);
    h.processElement2({ orderId: 'o1', method: 'cash' }, 1002);
    h.processElement1({ id: 'o2', amount: 20 }, 1003);
    // Results carry the timestamp of the record that completed the pair.
    expect(h.take()).toEqual(['"o1:10:cash"@1002', '"o2:20:card"@1003']);
  });

  it('fires timers of the key that set them once the minimum of both watermarks passes them', async () => {
    const h = await join();
    h.processElement1({ id: 'o1', amount: 10 }, 1000);
    h.processElement1({ id: 'o3', amount: 30 }, 1050);
    h.processWatermark1(2000);
    expect(h.take()).toEqual([]); // input 2 has no watermark yet: event time has not moved
    h.processWatermark2(1100);
    expect(h.take()).toEqual(['"o1:timeout@1100:EVENT_TIME"@1100']);
    h.processWatermark2(1200);
    expect(h.take()).toEqual(['"o3:timeout@1150:EVENT_TIME"@1150']);
  });

  it('runs the object form with this.getRuntimeContext() and keyed state', async () => {
    const fn = asRichFunction({
      seen: undefined as ValueState<number> | undefined,
      open(this: { seen: ValueState<number> | undefined; getRuntimeContext(): RuntimeContext }) {
        this.seen = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('seen', 0));
      },
      processElement1(this: { seen: ValueState<number> }, v: string, ctx: KeyedProcessFunctionContext<string>, out: Collector<string>) {
        this.seen.update((this.seen.value() ?? 0) + 1);
        out.collect(`${ctx.getCurrentKey()}#${this.seen.value()}:${v}`);
      },
      processElement2(this: { seen: ValueState<number> }, v: string, ctx: KeyedProcessFunctionContext<string>, out: Collector<string>) {
        this.seen.update((this.seen.value() ?? 0) + 1);
        out.collect(`${ctx.getCurrentKey()}#${this.seen.value()}:${v}`);
      },
    });
    const op = new KeyedCoProcessOperator<string, string, string, string>(
      fn,
      (s) => s[0]!,
      (s) => s[0]!,
    );
    const h = await new TwoInputOperatorTestHarness(op).open();
    h.processElement1('a1', 1);
    h.processElement2('a2', 2);
    h.processElement2('b1', 3);
    expect(h.records()).toEqual(['a#1:a1', 'a#2:a2', 'b#1:b1']);
  });
});

describe('CoProcessOperator (inputs not keyed)', () => {
  class Tagger extends CoProcessFunction<number, number, string> {
    processElement1(v: number, ctx: ProcessFunctionContext, out: Collector<string>): void {
      out.collect(`left ${v}@${ctx.timestamp()} wm=${ctx.timerService().currentWatermark()}`);
    }
    processElement2(v: number, ctx: ProcessFunctionContext, out: Collector<string>): void {
      ctx.timerService().registerEventTimeTimer(v);
      out.collect(`right ${v}`);
    }
  }

  it('sees the timestamp and the combined watermark; setting a timer is refused with Flink message', async () => {
    const h = await new TwoInputOperatorTestHarness(new CoProcessOperator<number, number, string>(new Tagger())).open();
    h.processWatermark1(5);
    h.processWatermark2(3);
    h.processElement1(1, 7);
    expect(h.records()).toEqual(['left 1@7 wm=3']);
    expect(() => h.processElement2(2, 8)).toThrow('Setting timers is only supported on a keyed streams.');
  });
});

describe('CoStreamMap on keyed inputs', () => {
  it('gives a RichCoMapFunction the state of each record key, shared by both inputs', async () => {
    class CountPerKey extends RichCoMapFunction<string, string, string> {
      private count!: ValueState<number>;
      override open(): void {
        this.count = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('count', 0));
      }
      map1(v: string): string {
        this.count.update((this.count.value() ?? 0) + 1);
        return `${v}#${this.count.value()}`;
      }
      map2(v: string): string {
        return this.map1(v);
      }
    }
    const op = new CoStreamMap<string, string, string>(new CountPerKey(), { key1: (s: string) => s[0], key2: (s: string) => s[0] });
    const h = await new TwoInputOperatorTestHarness(op).open();
    h.processElement1('a1', 1);
    h.processElement2('b1', 2);
    h.processElement2('a2', 3);
    expect(h.records()).toEqual(['a1#1', 'b1#1', 'a2#2']);
  });
});
