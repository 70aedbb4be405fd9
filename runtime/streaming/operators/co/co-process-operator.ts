import type { CoProcessFunctionObject } from '../../../api/functions/co-process-function.ts';
import type { Output } from '../../output.ts';
import type { OperatorContext } from '../../stream-operator.ts';
import { NonKeyedTimerService } from '../../time/timer-service.ts';
import { ProcessContextImpl } from '../process-context.ts';
import { AbstractUdfTwoInputStreamOperator } from './abstract-udf-two-input-stream-operator.ts';

/**
 * connect().process() on streams that were not keyed (Flink's CoProcessOperator): each element to
 * its input's method, results stamped with its timestamp; the time can be read, timers are refused.
 */
export class CoProcessOperator<IN1, IN2, OUT> extends AbstractUdfTwoInputStreamOperator<IN1, IN2, OUT, CoProcessFunctionObject<IN1, IN2, OUT>> {
  private ctx!: ProcessContextImpl<OUT>;

  override setup(context: OperatorContext, output: Output<OUT>): void {
    super.setup(context, output);
    this.ctx = new ProcessContextImpl(output, new NonKeyedTimerService(context.processingTimeService, () => this.currentWatermark));
  }

  processElement1(record: IN1, timestamp: number): void {
    this.ctx.element(timestamp);
    this.userFunction.processElement1(record, this.ctx, this.ctx.collector);
  }

  processElement2(record: IN2, timestamp: number): void {
    this.ctx.element(timestamp);
    this.userFunction.processElement2(record, this.ctx, this.ctx.collector);
  }
}
