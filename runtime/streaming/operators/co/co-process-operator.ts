import type { CoProcessFunctionObject } from '../../../api/functions/co-process-function.ts';
import type { ProcessFunctionContext, ProcessFunctionOnTimerContext } from '../../../api/functions/process-function.ts';
import type { OutputTag } from '../../../api/output-tag.ts';
import type { Output } from '../../output.ts';
import { NO_TIMESTAMP } from '../../stream-element.ts';
import type { OperatorContext } from '../../stream-operator.ts';
import { TimeDomain } from '../../time/time-domain.ts';
import { NonKeyedTimerService, type TimerService } from '../../time/timer-service.ts';
import { TimestampedCollector } from '../../timestamped-collector.ts';
import { AbstractUdfTwoInputStreamOperator } from './abstract-udf-two-input-stream-operator.ts';

/** The context of both processElement methods, re-stamped per record (allocation-free). */
export class CoProcessContextImpl implements ProcessFunctionContext, ProcessFunctionOnTimerContext {
  currentTimestamp = NO_TIMESTAMP;
  domain: TimeDomain = TimeDomain.EVENT_TIME;
  private readonly out: Output<unknown>;
  private readonly timers: TimerService;

  constructor(output: Output<unknown>, timers: TimerService) {
    this.out = output;
    this.timers = timers;
  }

  timestamp(): number | null {
    return this.currentTimestamp === NO_TIMESTAMP ? null : this.currentTimestamp;
  }

  timerService(): TimerService {
    return this.timers;
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSideOutput(tag, value, this.currentTimestamp);
  }

  timeDomain(): TimeDomain {
    return this.domain;
  }
}

/**
 * connect().process() on streams that were not keyed (Flink's CoProcessOperator): each element to
 * its input's method, results stamped with its timestamp; the time can be read, timers are refused.
 */
export class CoProcessOperator<IN1, IN2, OUT> extends AbstractUdfTwoInputStreamOperator<IN1, IN2, OUT, CoProcessFunctionObject<IN1, IN2, OUT>> {
  private ctx!: CoProcessContextImpl;
  private collector!: TimestampedCollector<OUT>;

  override setup(context: OperatorContext, output: Output<OUT>): void {
    super.setup(context, output);
    this.ctx = new CoProcessContextImpl(output, new NonKeyedTimerService(context.processingTimeService, () => this.currentWatermark));
    this.collector = new TimestampedCollector(output, NO_TIMESTAMP);
  }

  processElement1(record: IN1, timestamp: number): void {
    this.ctx.currentTimestamp = timestamp;
    this.collector.timestamp = timestamp;
    this.userFunction.processElement1(record, this.ctx, this.collector);
  }

  processElement2(record: IN2, timestamp: number): void {
    this.ctx.currentTimestamp = timestamp;
    this.collector.timestamp = timestamp;
    this.userFunction.processElement2(record, this.ctx, this.collector);
  }
}
