import { ManualClock } from '../../../../../rm/common/clock.ts';
import type { OutputTag } from '../../../../../runtime/api/output-tag.ts';
import { CollectRegistry } from '../../../../../runtime/streaming/collect-output.ts';
import type { Output } from '../../../../../runtime/streaming/output.ts';
import type { StreamOperator } from '../../../../../runtime/streaming/stream-operator.ts';
import { MemoryTextOutput } from '../../../../../runtime/streaming/text-output.ts';
import { MailboxProcessingTimeService } from '../../../../../runtime/streaming/time/processing-time-service.ts';
import { DEFAULT_EXECUTION_SETTINGS } from '../../../../../runtime/streaming/user-code.ts';
import { QueueMailbox } from '../../../../doubles/queue-mailbox.ts';

export interface Emitted<T> {
  readonly value: T;
  readonly timestamp: number;
}

/**
 * One operator on a manual clock (after Flink's KeyedOneInputStreamOperatorTestHarness): feed
 * elements and watermarks, advance processing time, read what it emitted.
 */
export class OperatorHarness<IN, OUT> implements Output<OUT> {
  readonly clock: ManualClock;
  readonly output: Emitted<OUT>[] = [];
  readonly sideOutput = new Map<string, Emitted<unknown>[]>();
  readonly watermarks: number[] = [];
  private readonly mailbox = new QueueMailbox();
  readonly operator: StreamOperator<IN, OUT>;

  constructor(operator: StreamOperator<IN, OUT>, startTime = 0) {
    this.operator = operator;
    this.clock = new ManualClock(startTime);
    operator.setup(
      {
        jobId: 'job',
        operatorId: 'op',
        operatorName: 'Window',
        taskName: 'Window',
        subtaskIndex: 0,
        parallelism: 1,
        maxParallelism: 128,
        attemptNumber: 0,
        services: { clock: this.clock, stdout: new MemoryTextOutput(), collectOutput: new CollectRegistry() },
        processingTimeService: new MailboxProcessingTimeService(this.clock, this.mailbox),
        settings: DEFAULT_EXECUTION_SETTINGS,
      },
      this,
    );
  }

  processElement(value: IN, timestamp: number): this {
    this.operator.collect(value, timestamp);
    return this;
  }

  processWatermark(watermark: number): this {
    this.operator.emitWatermark(watermark);
    return this;
  }

  /** Moves processing time and runs the timers that became due. */
  setProcessingTime(time: number): this {
    this.clock.advance(time - this.clock.now());
    this.mailbox.run();
    return this;
  }

  /** What was emitted since the last call, as `value@timestamp` (sorted when the order is unspecified). */
  take(sorted = false): string[] {
    const out = this.output.splice(0).map((e) => `${JSON.stringify(e.value)}@${e.timestamp}`);
    return sorted ? out.sort() : out;
  }

  side(tag: OutputTag<unknown>): string[] {
    return (this.sideOutput.get(tag.id) ?? []).map((e) => `${JSON.stringify(e.value)}@${e.timestamp}`);
  }

  collect(value: OUT, timestamp: number): void {
    this.output.push({ value, timestamp });
  }

  collectSideOutput<X>(tag: OutputTag<X>, value: X, timestamp: number): void {
    let list = this.sideOutput.get(tag.id);
    if (!list) this.sideOutput.set(tag.id, (list = []));
    list.push({ value, timestamp });
  }

  emitWatermark(watermark: number): void {
    this.watermarks.push(watermark);
  }

  emitWatermarkStatus(): void {}
}
