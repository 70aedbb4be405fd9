import type { OutputTag } from '../../api/output-tag.ts';
import type { ProcessContext, ProcessFunction } from '../functions.ts';
import type { Output } from '../output.ts';
import { NO_TIMESTAMP } from '../stream-element.ts';
import { AbstractStreamOperator, type OperatorContext } from '../stream-operator.ts';

/** One context object per operator, re-filled per record, so calling the function allocates nothing. */
class MutableProcessContext<O> implements ProcessContext<O> {
  timestamp: number | undefined = undefined;
  rawTimestamp = NO_TIMESTAMP;
  private readonly out: Output<O>;

  constructor(output: Output<O>) {
    this.out = output;
  }

  collect(value: O): void {
    this.out.collect(value, this.rawTimestamp);
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSideOutput(tag, value, this.rawTimestamp);
  }
}

export class ProcessOperator<T, O> extends AbstractStreamOperator<T, O> {
  private readonly fn: ProcessFunction<T, O>;
  private ctx!: MutableProcessContext<O>;

  constructor(fn: ProcessFunction<T, O>) {
    super();
    this.fn = fn;
  }

  override setup(context: OperatorContext, output: Output<O>): void {
    super.setup(context, output);
    this.ctx = new MutableProcessContext(output);
  }

  collect(record: T, timestamp: number): void {
    const ctx = this.ctx;
    ctx.rawTimestamp = timestamp;
    ctx.timestamp = timestamp === NO_TIMESTAMP ? undefined : timestamp;
    this.fn(record, ctx);
  }
}
