import { ManualClock } from '../../rm/common/clock.ts';
import type { OutputTag } from '../../runtime/api/output-tag.ts';
import { CollectRegistry } from '../../runtime/streaming/collect-output.ts';
import type { Output } from '../../runtime/streaming/output.ts';
import type { OperatorContext, StreamOperator } from '../../runtime/streaming/stream-operator.ts';
import { MemoryTextOutput } from '../../runtime/streaming/text-output.ts';
import { MailboxProcessingTimeService } from '../../runtime/streaming/time/processing-time-service.ts';
import { DEFAULT_EXECUTION_SETTINGS, type ExecutionSettings } from '../../runtime/streaming/user-code.ts';

/** What an operator emitted, in order. */
export type Emitted =
  | { readonly record: unknown; readonly timestamp: number }
  | { readonly side: string; readonly record: unknown; readonly timestamp: number }
  | { readonly watermark: number }
  | { readonly idle: boolean };

/**
 * One operator instance on a manual clock (Flink's OneInputStreamOperatorTestHarness): processing
 * timers run as mails, which advance() runs at once after moving the clock (as the task's loop
 * would between records).
 */
export class OperatorTestHarness<IN, OUT> implements Output<OUT> {
  readonly clock: ManualClock;
  readonly operator: StreamOperator<IN, OUT>;
  readonly emitted: Emitted[] = [];
  readonly processingTimeService: MailboxProcessingTimeService;
  private readonly mails: (() => void)[] = [];

  constructor(
    operator: StreamOperator<IN, OUT>,
    options: { clock?: ManualClock; settings?: Partial<ExecutionSettings>; subtaskIndex?: number; parallelism?: number; maxParallelism?: number } = {},
  ) {
    this.clock = options.clock ?? new ManualClock(0);
    this.operator = operator;
    const mailbox = { isRunning: true, execute: (command: () => void): void => void this.mails.push(command) };
    this.processingTimeService = new MailboxProcessingTimeService(this.clock, mailbox);
    const context: OperatorContext = {
      jobId: '0'.repeat(32),
      operatorId: '1'.repeat(32),
      operatorName: 'test-operator',
      taskName: 'test-task',
      subtaskIndex: options.subtaskIndex ?? 0,
      parallelism: options.parallelism ?? 1,
      maxParallelism: options.maxParallelism ?? 128,
      attemptNumber: 0,
      services: { clock: this.clock, stdout: new MemoryTextOutput(), collectOutput: new CollectRegistry() },
      processingTimeService: this.processingTimeService,
      settings: { ...DEFAULT_EXECUTION_SETTINGS, ...options.settings },
    };
    operator.setup(context, this);
  }

  async open(): Promise<this> {
    await this.operator.open();
    return this;
  }

  processElement(record: IN, timestamp: number): void {
    this.operator.collect(record, timestamp);
  }

  processWatermark(watermark: number): void {
    this.operator.emitWatermark(watermark);
  }

  /** Moves processing time and runs the timers that became due. */
  advance(ms: number): void {
    this.clock.advance(ms);
    while (this.mails.length > 0) this.mails.shift()!();
  }

  async finish(): Promise<void> {
    await this.operator.finish();
    await this.operator.close();
  }

  /** Records of the main output. */
  records(): unknown[] {
    return this.emitted.flatMap((e) => ('record' in e && !('side' in e) ? [e.record] : []));
  }

  sideOutput(tag: string): unknown[] {
    return this.emitted.flatMap((e) => ('side' in e && e.side === tag ? [e.record] : []));
  }

  watermarks(): number[] {
    return this.emitted.flatMap((e) => ('watermark' in e ? [e.watermark] : []));
  }

  /** Drops what was emitted so far. */
  clear(): void {
    this.emitted.length = 0;
  }

  collect(record: OUT, timestamp: number): void {
    this.emitted.push({ record, timestamp });
  }

  collectSideOutput<X>(tag: OutputTag<X>, record: X, timestamp: number): void {
    this.emitted.push({ side: tag.id, record, timestamp });
  }

  emitWatermark(watermark: number): void {
    this.emitted.push({ watermark });
  }

  emitWatermarkStatus(idle: boolean): void {
    this.emitted.push({ idle });
  }
}
