import { KeyedProcessFunction, type KeyedProcessFunctionContext } from '../../api/functions/keyed-process-function.ts';
import { ValueStateDescriptor } from '../../state/state-descriptor.ts';
import type { KeyedProcessContext, KeyedProcessFn, KeySelector } from '../functions.ts';
import type { ValueState } from '../keyed-value-state.ts';
import type { Collector, Output } from '../output.ts';
import type { OperatorContext } from '../stream-operator.ts';
import type { InternalTimer, Triggerable } from '../time/internal-timer-service.ts';
import { TimeDomain } from '../time/time-domain.ts';
import { SimpleTimerService } from '../time/timer-service.ts';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.ts';
import { KeyedProcessContextImpl } from './process-context.ts';
import { FnContext } from './process-operator.ts';

/**
 * process() on a KeyedStream (Flink's KeyedProcessOperator): each record's key is current while its
 * function runs, timers live in the operator's keyed state backend (service "user-timers") and call
 * onTimer with the timer's key current and its timestamp on what it emits (event time), or none
 * (processing time).
 */
export class KeyedProcessOperator<K, T, O> extends AbstractUdfStreamOperator<T, O, KeyedProcessFunction<K, T, O>> implements Triggerable<K, undefined> {
  private ctx!: KeyedProcessContextImpl<K, O>;

  constructor(keySelector: KeySelector<T, K>, fn: KeyedProcessFunction<K, T, O> | KeyedProcessFn<K, T, O, unknown>) {
    super(typeof fn === 'function' ? new KeyedProcessFnAdapter<K, T, O>(fn) : fn, keySelector);
  }

  override setup(context: OperatorContext, output: Output<O>): void {
    super.setup(context, output);
    const timers = new SimpleTimerService(this.getInternalTimerService<K, undefined>('user-timers', this));
    this.ctx = new KeyedProcessContextImpl<K, O>(output, timers, () => this.currentKey() as K);
  }

  collect(record: T, timestamp: number): void {
    this.setKeyContextElement(record);
    this.ctx.element(timestamp);
    this.userFunction.processElement(record, this.ctx, this.ctx.collector);
  }

  onEventTime(timer: InternalTimer<K, undefined>): void {
    this.ctx.timer(TimeDomain.EVENT_TIME, timer.timestamp);
    this.userFunction.onTimer(timer.timestamp, this.ctx, this.ctx.collector);
  }

  onProcessingTime(timer: InternalTimer<K, undefined>): void {
    this.ctx.timer(TimeDomain.PROCESSING_TIME, timer.timestamp);
    this.userFunction.onTimer(timer.timestamp, this.ctx, this.ctx.collector);
  }
}

/** The function form `(value, ctx) => ...` with ctx.key and one value state per key (named "state"). */
class KeyedProcessFnAdapter<K, T, O> extends KeyedProcessFunction<K, T, O> {
  private readonly fn: KeyedProcessFn<K, T, O, unknown>;
  private readonly legacy = new KeyedFnContext<K, O>();

  constructor(fn: KeyedProcessFn<K, T, O, unknown>) {
    super();
    this.fn = fn;
  }

  override open(): void {
    this.legacy.state = this.getRuntimeContext().getState(new ValueStateDescriptor<unknown>('state'));
  }

  processElement(value: T, ctx: KeyedProcessFunctionContext<K>, out: Collector<O>): void {
    const legacy = this.legacy;
    legacy.timestamp = ctx.timestamp() ?? undefined;
    legacy.key = ctx.getCurrentKey();
    legacy.ctx = ctx;
    legacy.out = out;
    this.fn(value, legacy);
  }
}

class KeyedFnContext<K, O> extends FnContext<O> implements KeyedProcessContext<K, O, unknown> {
  key!: K;
  state!: ValueState<unknown>;
}
