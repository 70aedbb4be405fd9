import type { KeyedCoProcessFunctionObject } from '../../../api/functions/keyed-co-process-function.ts';
import type { KeySelector } from '../../functions.ts';
import type { Output } from '../../output.ts';
import type { OperatorContext } from '../../stream-operator.ts';
import type { InternalTimer, Triggerable } from '../../time/internal-timer-service.ts';
import { TimeDomain } from '../../time/time-domain.ts';
import { SimpleTimerService } from '../../time/timer-service.ts';
import { KeyedProcessContextImpl } from '../process-context.ts';
import { AbstractUdfTwoInputStreamOperator } from './abstract-udf-two-input-stream-operator.ts';

/**
 * connect().keyBy(k1, k2).process() (Flink's KeyedCoProcessOperator): both inputs' records run with
 * their key current, sharing the key's state and its timers (service "user-timers" in the keyed
 * state backend); onTimer gets the timer's key, and what it emits carries the timer's timestamp
 * in event time, none in processing time.
 */
export class KeyedCoProcessOperator<K, IN1, IN2, OUT>
  extends AbstractUdfTwoInputStreamOperator<IN1, IN2, OUT, KeyedCoProcessFunctionObject<K, IN1, IN2, OUT>>
  implements Triggerable<K, undefined>
{
  private ctx!: KeyedProcessContextImpl<K, OUT>;

  constructor(fn: KeyedCoProcessFunctionObject<K, IN1, IN2, OUT>, keySelector1: KeySelector<IN1, K>, keySelector2: KeySelector<IN2, K>) {
    super(fn, { key1: keySelector1, key2: keySelector2 });
  }

  override setup(context: OperatorContext, output: Output<OUT>): void {
    super.setup(context, output);
    const timers = new SimpleTimerService(this.getInternalTimerService<K, undefined>('user-timers', this));
    this.ctx = new KeyedProcessContextImpl<K, OUT>(output, timers, () => this.currentKey() as K);
  }

  processElement1(record: IN1, timestamp: number): void {
    this.setKeyContextElement1(record);
    this.ctx.element(timestamp);
    this.userFunction.processElement1(record, this.ctx, this.ctx.collector);
  }

  processElement2(record: IN2, timestamp: number): void {
    this.setKeyContextElement2(record);
    this.ctx.element(timestamp);
    this.userFunction.processElement2(record, this.ctx, this.ctx.collector);
  }

  onEventTime(timer: InternalTimer<K, undefined>): void {
    this.ctx.timer(TimeDomain.EVENT_TIME, timer.timestamp);
    this.userFunction.onTimer?.(timer.timestamp, this.ctx, this.ctx.collector);
  }

  onProcessingTime(timer: InternalTimer<K, undefined>): void {
    this.ctx.timer(TimeDomain.PROCESSING_TIME, timer.timestamp);
    this.userFunction.onTimer?.(timer.timestamp, this.ctx, this.ctx.collector);
  }
}
