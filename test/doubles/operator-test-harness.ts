import { ManualClock } from '../../rm/common/clock.ts';
import type { OutputTag } from '../../runtime/api/output-tag.ts';
import { CollectRegistry } from '../../runtime/streaming/collect-output.ts';
import type { Output } from '../../runtime/streaming/output.ts';
import type { OperatorContext, StreamOperator } from '../../runtime/streaming/stream-operator.ts';
import { MemoryTextOutput } from '../../runtime/streaming/text-output.ts';
import { MailboxProcessingTimeService } from '../../runtime/streaming/time/processing-time-service.ts';
import { DEFAULT_EXECUTION_SETTINGS, type ExecutionSettings } from '../../runtime/streaming/user-code.ts';
import { QueueMailbox } from './queue-mailbox.ts';

/** What an operator emitted, in order. */
export type Emitted =
  | { readonly record: unknown; readonly timestamp: number }
  | { readonly side: string; readonly record: unknown; readonly timestamp: number }
  | { readonly watermark: number }
  | { readonly idle: boolean };

export interface OperatorTestHarnessOptions {
  readonly clock?: ManualClock;
  /** Processing time at the start, when no clock is given. */
  readonly startTime?: number;
  readonly settings?: Partial<ExecutionSettings>;
  readonly operatorName?: string;
  readonly taskName?: string;
  readonly subtaskIndex?: number;
  readonly parallelism?: number;
  readonly maxParallelism?: number;
  readonly attemptNumber?: number;
}

/**
 * One operator instance on a manual clock (Flink's OneInputStreamOperatorTestHarness and its keyed
 * twin): feed records and watermarks, move processing time, read what it emitted. Processing timers
 * run as mails, which advance()/setProcessingTime() run at once after moving the clock (as the
 * task's loop would between records). setup() happens in the constructor; open() is explicit, so a
 * test can check what happens before it.
 */
export class OperatorTestHarness<IN, OUT> implements Output<OUT> {
  readonly clock: ManualClock;
  readonly operator: StreamOperator<IN, OUT>;
  readonly emitted: Emitted[] = [];
  readonly processingTimeService: MailboxProcessingTimeService;
  private readonly mailbox = new QueueMailbox();
  /** How far take() has read `emitted`. */
  private taken = 0;

  constructor(operator: StreamOperator<IN, OUT>, options: OperatorTestHarnessOptions = {}) {
    this.clock = options.clock ?? new ManualClock(options.startTime ?? 0);
    this.operator = operator;
    this.processingTimeService = new MailboxProcessingTimeService(this.clock, this.mailbox);
    const context: OperatorContext = {
      jobId: '0'.repeat(32),
      operatorId: '1'.repeat(32),
      operatorName: options.operatorName ?? 'test-operator',
      taskName: options.taskName ?? 'test-task',
      subtaskIndex: options.subtaskIndex ?? 0,
      parallelism: options.parallelism ?? 1,
      maxParallelism: options.maxParallelism ?? 128,
      attemptNumber: options.attemptNumber ?? 0,
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

  processElement(record: IN, timestamp: number): this {
    this.operator.collect(record, timestamp);
    return this;
  }

  processWatermark(watermark: number): this {
    this.operator.emitWatermark(watermark);
    return this;
  }

  /** Moves processing time by `ms` and runs the timers that became due. */
  advance(ms: number): this {
    this.clock.advance(ms);
    this.mailbox.run();
    return this;
  }

  /** Moves processing time to `time` and runs the timers that became due. */
  setProcessingTime(time: number): this {
    return this.advance(time - this.clock.now());
  }

  /** End of input, then close (as the task does). */
  async finish(): Promise<void> {
    await this.operator.finish();
    await this.operator.close();
  }

  /** Records of the main output. */
  records(): unknown[] {
    return this.emitted.flatMap((e) => ('record' in e && !('side' in e) ? [e.record] : []));
  }

  sideOutput(tag: string | OutputTag<unknown>): unknown[] {
    const id = typeof tag === 'string' ? tag : tag.id;
    return this.emitted.flatMap((e) => ('side' in e && e.side === id ? [e.record] : []));
  }

  watermarks(): number[] {
    return this.emitted.flatMap((e) => ('watermark' in e ? [e.watermark] : []));
  }

  /**
   * Main-output records emitted since the last take(), as `value@timestamp` (JSON values), sorted
   * when the test does not care about the order.
   */
  take(sorted = false): string[] {
    const out = this.emitted
      .slice(this.taken)
      .flatMap((e) => ('record' in e && !('side' in e) ? [`${JSON.stringify(e.record)}@${e.timestamp}`] : []));
    this.taken = this.emitted.length;
    return sorted ? out.sort() : out;
  }

  /** Every record of side output `tag` so far, as `value@timestamp`. */
  side(tag: string | OutputTag<unknown>): string[] {
    const id = typeof tag === 'string' ? tag : tag.id;
    return this.emitted.flatMap((e) => ('side' in e && e.side === id ? [`${JSON.stringify(e.record)}@${e.timestamp}`] : []));
  }

  /** Drops what was emitted so far. */
  clear(): void {
    this.emitted.length = 0;
    this.taken = 0;
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
