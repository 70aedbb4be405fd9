import type { OutputTag } from '../../api/output-tag.ts';
import { ProcessFunction, type ProcessFunctionContext } from '../../api/functions/process-function.ts';
import type { ProcessContext, ProcessFn } from '../functions.ts';
import type { Collector, Output } from '../output.ts';
import type { OperatorContext } from '../stream-operator.ts';
import { NO_WATERMARK } from '../time/internal-timer-service.ts';
import { NonKeyedTimerService } from '../time/timer-service.ts';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.ts';
import { ProcessContextImpl } from './process-context.ts';

/** process() on a DataStream (Flink's ProcessOperator): no keys, so no timers and no keyed state. */
export class ProcessOperator<T, O> extends AbstractUdfStreamOperator<T, O, ProcessFunction<T, O>> {
  private ctx!: ProcessContextImpl<O>;
  private currentWatermark = NO_WATERMARK;

  constructor(fn: ProcessFunction<T, O> | ProcessFn<T, O>) {
    super(typeof fn === 'function' ? new ProcessFnAdapter(fn) : fn);
  }

  override setup(context: OperatorContext, output: Output<O>): void {
    super.setup(context, output);
    const timers = new NonKeyedTimerService(context.processingTimeService, () => this.currentWatermark);
    this.ctx = new ProcessContextImpl(output, timers);
  }

  collect(record: T, timestamp: number): void {
    this.ctx.element(timestamp);
    this.userFunction.processElement(record, this.ctx, this.ctx.collector);
  }

  override emitWatermark(watermark: number): void {
    super.emitWatermark(watermark);
    this.currentWatermark = watermark;
  }
}

/** The function form `(value, ctx) => ...` as a ProcessFunction: ctx.timestamp is a property there. */
class ProcessFnAdapter<T, O> extends ProcessFunction<T, O> {
  private readonly fn: ProcessFn<T, O>;
  private readonly legacy = new FnContext<O>();

  constructor(fn: ProcessFn<T, O>) {
    super();
    this.fn = fn;
  }

  processElement(value: T, ctx: ProcessFunctionContext, out: Collector<O>): void {
    const legacy = this.legacy;
    legacy.timestamp = ctx.timestamp() ?? undefined;
    legacy.ctx = ctx;
    legacy.out = out;
    this.fn(value, legacy);
  }
}

/** The function form's context, re-filled per record. */
export class FnContext<O> implements ProcessContext<O> {
  timestamp: number | undefined = undefined;
  ctx!: ProcessFunctionContext;
  out!: Collector<O>;

  collect(value: O): void {
    this.out.collect(value);
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.ctx.output(tag, value);
  }
}
