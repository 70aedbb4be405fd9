import {
  KeyedCoProcessFunction,
  ValueStateDescriptor,
  WatermarkStrategy,
  type Collector,
  type KeyedProcessFunctionContext,
  type KeyedProcessFunctionOnTimerContext,
  type StreamExecutionEnvironment,
  type ValueState,
} from 'weft';

/**
 * A keyed co-process join: orders and payments, both parallel sources, connected and keyed by
 * order id. Whichever side comes first waits in the key's state for the other; an order still
 * unpaid 100 ms (event time) after it was placed times out on an event-time timer. Each source
 * subtask's timestamps ascend, and every payment is no later than its order + 100 ms, so what
 * joins and what times out does not depend on how the two inputs interleave.
 * Results go to the collect sink `joined`.
 */
export default function orderPaymentJoin(env: StreamExecutionEnvironment): void {
  env.setJobName('OrderPaymentJoin');
  const orders = env.fromGenerator({ bounded: ORDERS.length, generate: (i) => ORDERS[i] as Order }, WatermarkStrategy.forMonotonousTimestamps<Order>().withTimestampAssigner((o) => o.ts)).name('orders');
  const payments = env
    .fromGenerator({ bounded: PAYMENTS.length, generate: (i) => PAYMENTS[i] as Payment }, WatermarkStrategy.forMonotonousTimestamps<Payment>().withTimestampAssigner((p) => p.ts))
    .name('payments');
  orders
    .connect(payments)
    .keyBy(
      (o) => o.id,
      (p) => p.orderId,
    )
    .process(new OrderPaymentMatcher())
    .name('match payments')
    .collect('joined');
}

export interface Order {
  readonly id: string;
  readonly amount: number;
  readonly ts: number;
}
export interface Payment {
  readonly orderId: string;
  readonly method: string;
  readonly ts: number;
}

const TIMEOUT_MS = 100;

class OrderPaymentMatcher extends KeyedCoProcessFunction<string, Order, Payment, string> {
  private order!: ValueState<Order>;
  private payment!: ValueState<Payment>;

  override open(): void {
    this.order = this.getRuntimeContext().getState(new ValueStateDescriptor<Order>('order'));
    this.payment = this.getRuntimeContext().getState(new ValueStateDescriptor<Payment>('payment'));
  }

  processElement1(order: Order, ctx: KeyedProcessFunctionContext<string>, out: Collector<string>): void {
    const payment = this.payment.value();
    if (payment !== undefined) {
      this.payment.clear();
      out.collect(`${order.id} paid ${order.amount} by ${payment.method}`);
      return;
    }
    this.order.update(order);
    ctx.timerService().registerEventTimeTimer(order.ts + TIMEOUT_MS);
  }

  processElement2(payment: Payment, _ctx: KeyedProcessFunctionContext<string>, out: Collector<string>): void {
    const order = this.order.value();
    if (order !== undefined) {
      this.order.clear();
      out.collect(`${order.id} paid ${order.amount} by ${payment.method}`);
      return;
    }
    this.payment.update(payment);
  }

  override onTimer(timestamp: number, ctx: KeyedProcessFunctionOnTimerContext<string>, out: Collector<string>): void {
    if (this.order.value() === undefined) return;
    this.order.clear();
    out.collect(`${ctx.getCurrentKey()} unpaid at ${timestamp}`);
  }
}

/** Ascending timestamps; the generator gives subtask s the records s, s + p, ... */
export const ORDERS: readonly Order[] = Array.from({ length: 8 }, (_, i) => ({ id: `o${i + 1}`, amount: (i + 1) * 10, ts: (i + 1) * 1000 }));

/** o2, o5 and o8 are never paid; o3's payment comes before the order itself. */
export const PAYMENTS: readonly Payment[] = [
  { orderId: 'o1', method: 'card', ts: 1050 },
  { orderId: 'o3', method: 'cash', ts: 2900 },
  { orderId: 'o4', method: 'card', ts: 4099 },
  { orderId: 'o6', method: 'voucher', ts: 6010 },
  { orderId: 'o7', method: 'card', ts: 7050 },
];
