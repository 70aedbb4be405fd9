import type { Clock } from '../../rm/common/clock.ts';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.ts';
import type { CollectOutput } from './collect-output.ts';
import type { Output } from './output.ts';
import type { TextOutput } from './text-output.ts';
import { InternalTimeServiceManager } from './time/internal-time-service-manager.ts';
import type { InternalTimerService, Triggerable } from './time/internal-timer-service.ts';
import type { ProcessingTimeService } from './time/processing-time-service.ts';
import { NO_TIMESTAMP } from './stream-element.ts';
import type { ExecutionSettings } from './user-code.ts';

/** What a TaskManager (or the LocalExecutor) provides to the operators of its tasks. */
export interface TaskServices {
  readonly clock: Clock;
  /** print() sinks write here. */
  readonly stdout: TextOutput;
  /** collect() sinks deliver here. */
  readonly collectOutput: CollectOutput;
}

/** Who an operator instance is: Flink's StreamingRuntimeContext, reduced to what is used now. */
export interface OperatorContext {
  readonly jobId: string;
  readonly operatorId: string;
  readonly operatorName: string;
  /** The task's (chain's) name without the subtask suffix: "Source: Foo -> Map" (getTaskName()). */
  readonly taskName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly attemptNumber: number;
  readonly services: TaskServices;
  /** Processing time and timers run in the task's mailbox (Flink's getProcessingTimeService()). */
  readonly processingTimeService: ProcessingTimeService;
  /** What env.getConfig() set: object reuse, the auto-watermark interval. */
  readonly settings: ExecutionSettings;
}

/**
 * - `forwards`: emits the records it is given unchanged, or drops them, and holds on to none
 *   (filter, timestamp assignment): what it emits is as much its own as what it was given.
 * - `reads`: reads each record during collect() and keeps nothing of it (print and text sinks
 *   format it at once), so it may share the record of its predecessor.
 */
export type RecordUse = 'forwards' | 'reads';

/**
 * One operator instance in one subtask. It is the Output of its chained predecessor: collect() is
 * Flink's processElement and emitWatermark() its processWatermark, so a chain is direct calls.
 */
export interface StreamOperator<IN, OUT> extends Output<IN> {
  /**
   * What the operator does with the records it is given, so that a chain with object reuse off
   * copies a record only where another holder could see a change (see OperatorChain); unset, it
   * may keep and change them, as user functions may.
   */
  readonly recordUse?: RecordUse;
  setup(context: OperatorContext, output: Output<OUT>): void;
  /**
   * Flink's operator-scope metrics of this instance by their Flink names (currentInputWatermark,
   * currentOutputWatermark, numLateRecordsDropped, ...), read when the task reports or is scraped.
   */
  metrics?(): OperatorMetrics;
  /** The WatermarkStatus this operator last sent downstream: IDLE (true) or ACTIVE. */
  readonly isOutputIdle?: boolean;
  open(): void | Promise<void>;
  /** No more input will come (Flink's BoundedOneInput.endInput + finish); flush what is buffered. */
  finish(): void | Promise<void>;
  /** Release resources; called after finish() and also when the task fails or is cancelled. */
  close(): void | Promise<void>;
}

/** A source: the head of its chain, driven by its task's loop instead of by input. */
export interface SourceOperator<OUT> extends StreamOperator<never, OUT> {
  readonly isSource: true;
  /** Emits up to `max` records; returns how many, 0 if none are due yet, END_OF_INPUT when done. */
  emitNext(max: number): number;
  /** When emitNext() returned 0: milliseconds until more records are due (rate limit). */
  nextDelayMs(): number;
}

/** Metric name -> value; watermarks use NO_TIMESTAMP (Long.MIN_VALUE) for "none yet". */
export type OperatorMetrics = Record<string, number>;

/**
 * An operator with two inputs (Flink's TwoInputStreamOperator): the head of its chain, fed by a
 * TwoInputStreamTask, which calls the methods of the input each element came from. Its collect()
 * is not an input: nothing chains into it.
 */
export interface TwoInputStreamOperator<IN1, IN2, OUT> extends StreamOperator<never, OUT> {
  readonly isTwoInput: true;
  processElement1(record: IN1, timestamp: number): void;
  processElement2(record: IN2, timestamp: number): void;
  processWatermark1(watermark: number): void;
  processWatermark2(watermark: number): void;
  /** IDLE (true) or ACTIVE (false) of input 1, as its watermark valve decided. */
  processWatermarkStatus1(idle: boolean): void;
  processWatermarkStatus2(idle: boolean): void;
  /** Its event time: the minimum over both inputs' watermarks (NO_TIMESTAMP before both had one). */
  readonly currentWatermark: number;
}

export function isTwoInputStreamOperator(operator: StreamOperator<unknown, unknown>): operator is TwoInputStreamOperator<unknown, unknown, unknown> {
  return (operator as Partial<TwoInputStreamOperator<unknown, unknown, unknown>>).isTwoInput === true;
}

export function isSourceOperator(operator: StreamOperator<unknown, unknown>): operator is SourceOperator<unknown> {
  return (operator as Partial<SourceOperator<unknown>>).isSource === true;
}

export abstract class AbstractStreamOperator<IN, OUT> implements StreamOperator<IN, OUT> {
  // Set in setup(), before anything else is called; the chain guarantees the order.
  protected output!: Output<OUT>;
  protected context!: OperatorContext;
  private keyedStateBackend: HeapKeyedStateBackend | null = null;
  private timeServiceManager: InternalTimeServiceManager | null = null;
  /** The last watermark that reached this operator (Flink's currentInputWatermark gauge); set per watermark, never per record. */
  protected inputWatermark = NO_TIMESTAMP;
  private outputIdle = false;

  setup(context: OperatorContext, output: Output<OUT>): void {
    this.context = context;
    this.output = output;
  }

  open(): void | Promise<void> {}

  abstract collect(record: IN, timestamp: number): void;

  /** An operator's input is its predecessor's main output; side outputs come to it as records. */
  collectSideOutput(): void {}

  /** Flink's processWatermark: fire the event-time timers the watermark passed, then forward it. */
  emitWatermark(watermark: number): void {
    this.inputWatermark = watermark;
    this.timeServiceManager?.advanceWatermark(watermark);
    this.output.emitWatermark(watermark);
  }

  /** What this operator forwarded last: its input watermark, unless it makes its own. */
  get currentOutputWatermark(): number {
    return this.inputWatermark;
  }

  get isOutputIdle(): boolean {
    return this.outputIdle;
  }

  metrics(): OperatorMetrics {
    return { currentInputWatermark: this.inputWatermark, currentOutputWatermark: this.currentOutputWatermark };
  }

  /**
   * The keyed state of this operator in this subtask, created on first use: keyed operators set
   * its current key per record; timers and windows keep their state in it.
   */
  protected getKeyedStateBackend(): HeapKeyedStateBackend {
    this.keyedStateBackend ??= new HeapKeyedStateBackend(this.context);
    return this.keyedStateBackend;
  }

  /** A named timer service of this keyed operator, calling `triggerable` when its timers fire. */
  protected getInternalTimerService<K, N>(name: string, triggerable: Triggerable<K, N>): InternalTimerService<N> {
    this.timeServiceManager ??= new InternalTimeServiceManager(this.getKeyedStateBackend(), this.context.processingTimeService);
    return this.timeServiceManager.getInternalTimerService(name, triggerable);
  }

  protected getProcessingTimeService(): ProcessingTimeService {
    return this.context.processingTimeService;
  }

  emitWatermarkStatus(idle: boolean): void {
    this.outputIdle = idle;
    this.output.emitWatermarkStatus(idle);
  }

  finish(): void | Promise<void> {}

  close(): void | Promise<void> {}
}

/** Base of sources: no input; the task loop calls emitNext(). */
export abstract class AbstractSourceOperator<OUT> extends AbstractStreamOperator<never, OUT> implements SourceOperator<OUT> {
  readonly isSource = true as const;

  collect(): void {
    throw new Error(`Source '${this.context.operatorName}' has no input`);
  }

  abstract emitNext(max: number): number;

  nextDelayMs(): number {
    return 0;
  }

  /** A source has no input watermark (Flink registers none for it). */
  override metrics(): OperatorMetrics {
    return { currentOutputWatermark: this.currentOutputWatermark };
  }
}
