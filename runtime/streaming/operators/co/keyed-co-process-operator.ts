import type { KeyedCoProcessFunctionObject } from '../../../api/functions/keyed-co-process-function.ts';
import type { KeySelector } from '../../functions.ts';
import type { Output } from '../../output.ts';
import { NO_TIMESTAMP } from '../../stream-element.ts';
import type { OperatorContext } from '../../stream-operator.ts';
import type { InternalTimer, Triggerable } from '../../time/internal-timer-service.ts';
import { TimeDomain } from '../../time/time-domain.ts';
import { SimpleTimerService } from '../../time/timer-service.ts';
import { TimestampedCollector } from '../../timestamped-collector.ts';
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
  private ctx!: KeyedProcessContextImpl<K>;
  private collector!: TimestampedCollector<OUT>;

  constructor(fn: KeyedCoProcessFunctionObject<K, IN1, IN2, OUT>, keySelector1: KeySelector<IN1, K>, keySelector2: KeySelector<IN2, K>) {
    super(fn, { key1: keySelector1, key2: keySelector2 });
  }

  override setup(context: OperatorContext, output: Output<OUT>): void {
    super.setup(context, output);
    const timers = new SimpleTimerService(this.getInternalTimerService<K, undefined>('user-timers', this));
    this.ctx = new KeyedProcessContextImpl<K>(output, timers, () => this.currentKey() as K);
    this.collector = new TimestampedCollector(output, NO_TIMESTAMP);
  }

  processElement1(record: IN1, timestamp: number): void {
    this.setKeyContextElement1(record);
    this.ctx.currentTimestamp = timestamp;
    this.collector.timestamp = timestamp;
    this.userFunction.processElement1(record, this.ctx, this.collector);
  }

  processElement2(record: IN2, timestamp: number): void {
    this.setKeyContextElement2(record);
    this.ctx.currentTimestamp = timestamp;
    this.collector.timestamp = timestamp;
    this.userFunction.processElement2(record, this.ctx, this.collector);
  }

  onEventTime(timer: InternalTimer<K, undefined>): void {
    this.invokeOnTimer(TimeDomain.EVENT_TIME, timer.timestamp, timer.timestamp);
  }

  onProcessingTime(timer: InternalTimer<K, undefined>): void {
    // Flink erases the timestamp of what a processing-time timer emits: it is not event time.
    this.invokeOnTimer(TimeDomain.PROCESSING_TIME, timer.timestamp, NO_TIMESTAMP);
  }

  private invokeOnTimer(domain: TimeDomain, timestamp: number, outputTimestamp: number): void {
    const ctx = this.ctx;
    ctx.domain = domain;
    ctx.currentTimestamp = timestamp;
    this.collector.timestamp = outputTimestamp;
    this.userFunction.onTimer?.(timestamp, ctx, this.collector);
  }
}
