import {
  KeyedProcessFunction,
  ParameterTool,
  ValueStateDescriptor,
  WatermarkStrategy,
  type Collector,
  type KeyedProcessFunctionContext,
  type KeyedProcessFunctionOnTimerContext,
  type StreamExecutionEnvironment,
  type ValueState,
  type WatermarkOutput,
} from 'weft';

/**
 * Fraud detection, after Flink's DataStream API tutorial: a small transaction (under 1.00) followed
 * by a large one (over 500.00) on the same account within one minute raises an alert. A
 * KeyedProcessFunction keeps, per account, a flag in ValueState and an event-time timer that
 * clears the flag one minute after the small transaction.
 *   -p <n>             parallelism of the detector (the accounts are spread over its subtasks)
 *   --collect <name>   deliver alerts to a collect sink instead of printing them
 *
 * Unlike the tutorial, the minute is event time: the bundled transactions carry their own times and
 * are in time order, so each one advances event time (a punctuated watermark) and the result does
 * not depend on how fast the job runs.
 */
export default function fraudDetection(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  env.setJobName('Fraud Detection');

  const alerts = env
    .fromCollection(TRANSACTIONS, inTimeOrder)
    .name('transactions')
    .keyBy((t) => t.accountId)
    .process(new FraudDetector())
    .name('fraud-detector');

  const collect = params.get('collect');
  if (collect !== undefined) alerts.collect(collect);
  else alerts.print();
}

export interface Transaction {
  readonly accountId: number;
  readonly amount: number;
  /** Event time, ms. */
  readonly timestamp: number;
}

const SMALL_AMOUNT = 1.0;
const LARGE_AMOUNT = 500.0;
const ONE_MINUTE = 60 * 1000;

/** Each transaction's time is its event time, and no earlier one follows it. */
const inTimeOrder = WatermarkStrategy.forGenerator<Transaction>(() => ({
  onEvent: (_t: Transaction, timestamp: number, output: WatermarkOutput) => output.emitWatermark(timestamp - 1),
  onPeriodicEmit: () => {},
})).withTimestampAssigner((t) => t.timestamp);

class FraudDetector extends KeyedProcessFunction<number, Transaction, string> {
  private flagState!: ValueState<boolean>;
  private timerState!: ValueState<number>;

  override open(): void {
    this.flagState = this.getRuntimeContext().getState(new ValueStateDescriptor<boolean>('flag'));
    this.timerState = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('timer-state'));
  }

  processElement(transaction: Transaction, ctx: KeyedProcessFunctionContext<number>, out: Collector<string>): void {
    const lastTransactionWasSmall = this.flagState.value();
    if (lastTransactionWasSmall !== undefined) {
      if (transaction.amount > LARGE_AMOUNT) out.collect(`Alert{id=${ctx.getCurrentKey()}, amount=${transaction.amount.toFixed(2)}, at=${clock(transaction.timestamp)}}`);
      // Any transaction after the small one ends the pattern.
      this.cleanUp(ctx);
    }
    if (transaction.amount < SMALL_AMOUNT) {
      this.flagState.update(true);
      const timer = transaction.timestamp + ONE_MINUTE;
      ctx.timerService().registerEventTimeTimer(timer);
      this.timerState.update(timer);
    }
  }

  /** A minute passed in event time since the small transaction: forget it. */
  override onTimer(_timestamp: number, _ctx: KeyedProcessFunctionOnTimerContext<number>, _out: Collector<string>): void {
    this.timerState.clear();
    this.flagState.clear();
  }

  private cleanUp(ctx: KeyedProcessFunctionContext<number>): void {
    const timer = this.timerState.value();
    if (timer !== undefined) ctx.timerService().deleteEventTimeTimer(timer);
    this.timerState.clear();
    this.flagState.clear();
  }
}

/** mm:ss of event time. */
function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

const at = (minutes: number, seconds: number): number => (minutes * 60 + seconds) * 1000;

/**
 * Five accounts over three minutes. Alerts: account 1 at 00:30 (0.50 then 600.00), account 4 at
 * 00:45 (its second small one, then 510.00) and account 1 at 02:59 (59 s after 0.01). No alert:
 * account 2 (700.00 comes 70 s after 0.20: the timer cleared the flag at 01:10), account 3 (20.00
 * in between ends the pattern), account 5 (1.00 is not small).
 */
export const TRANSACTIONS: readonly Transaction[] = [
  { accountId: 1, amount: 0.5, timestamp: at(0, 0) },
  { accountId: 4, amount: 100.0, timestamp: at(0, 5) },
  { accountId: 2, amount: 0.2, timestamp: at(0, 10) },
  { accountId: 4, amount: 0.1, timestamp: at(0, 15) },
  { accountId: 3, amount: 0.9, timestamp: at(0, 20) },
  { accountId: 4, amount: 0.3, timestamp: at(0, 25) },
  { accountId: 1, amount: 600.0, timestamp: at(0, 30) },
  { accountId: 3, amount: 20.0, timestamp: at(0, 40) },
  { accountId: 4, amount: 510.0, timestamp: at(0, 45) },
  { accountId: 3, amount: 800.0, timestamp: at(0, 50) },
  { accountId: 5, amount: 1.0, timestamp: at(1, 0) },
  { accountId: 5, amount: 42.0, timestamp: at(1, 15) },
  { accountId: 2, amount: 700.0, timestamp: at(1, 20) },
  { accountId: 5, amount: 900.0, timestamp: at(1, 30) },
  { accountId: 1, amount: 0.01, timestamp: at(2, 0) },
  { accountId: 2, amount: 3.5, timestamp: at(2, 30) },
  { accountId: 1, amount: 501.0, timestamp: at(2, 59) },
];
