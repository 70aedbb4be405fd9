import type { ProcessJoinFunctionContext, ProcessJoinFunctionObject } from '../../../api/functions/process-join-function.ts';
import type { OutputTag } from '../../../api/output-tag.ts';
import type { HeapMapState } from '../../../state/heap-states.ts';
import { MapStateDescriptor } from '../../../state/state-descriptor.ts';
import type { KeySelector } from '../../functions.ts';
import type { Output } from '../../output.ts';
import { NO_TIMESTAMP } from '../../stream-element.ts';
import type { OperatorContext } from '../../stream-operator.ts';
import type { InternalTimer, InternalTimerService, Triggerable } from '../../time/internal-timer-service.ts';
import { TimestampedCollector } from '../../timestamped-collector.ts';
import { AbstractUdfTwoInputStreamOperator } from './abstract-udf-two-input-stream-operator.ts';

/** An element waiting in a buffer; `hasBeenJoined` as Flink's IntervalJoinOperator.BufferEntry keeps it. */
export interface BufferEntry<T> {
  readonly element: T;
  hasBeenJoined: boolean;
}

export interface IntervalJoinSpec<K, IN1, IN2> {
  readonly keySelector1: KeySelector<IN1, K>;
  readonly keySelector2: KeySelector<IN2, K>;
  /** Milliseconds, relative to the left element; inclusive unless lowerBoundExclusive. */
  readonly lowerBound: number;
  readonly upperBound: number;
  readonly lowerBoundExclusive: boolean;
  readonly upperBoundExclusive: boolean;
  readonly leftLateDataOutputTag?: OutputTag<IN1> | undefined;
  readonly rightLateDataOutputTag?: OutputTag<IN2> | undefined;
}

/** Flink's names: the buffers and the cleanup timers are keyed state a checkpoint writes by them. */
export const LEFT_BUFFER = 'LEFT_BUFFER';
export const RIGHT_BUFFER = 'RIGHT_BUFFER';
export const CLEANUP_TIMER_NAME = 'IntervalJoinOperatorCleanupTimer';
export const CLEANUP_NAMESPACE_LEFT = 'CLEANUP_LEFT';
export const CLEANUP_NAMESPACE_RIGHT = 'CLEANUP_RIGHT';

class JoinContextImpl implements ProcessJoinFunctionContext {
  leftTimestamp = NO_TIMESTAMP;
  rightTimestamp = NO_TIMESTAMP;
  resultTimestamp = NO_TIMESTAMP;
  private readonly out: Output<unknown>;

  constructor(output: Output<unknown>) {
    this.out = output;
  }

  getLeftTimestamp(): number {
    return this.leftTimestamp;
  }

  getRightTimestamp(): number {
    return this.rightTimestamp;
  }

  getTimestamp(): number {
    return this.resultTimestamp;
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSideOutput(tag, value, this.resultTimestamp);
  }
}

/**
 * keyedA.intervalJoin(keyedB).between(lower, upper) (Flink's IntervalJoinOperator): each element is
 * buffered under its key and timestamp (MapState "LEFT_BUFFER" / "RIGHT_BUFFER") and joined with
 * the other side's buffered elements of the key whose timestamps fall in its interval; a pair is
 * emitted with timestamp max(left, right). A cleanup timer per element drops it once the watermark
 * says no partner can come any more. Elements behind the watermark are late: they go to the late
 * side output if one is set, else they are dropped.
 */
export class IntervalJoinOperator<K, IN1, IN2, OUT>
  extends AbstractUdfTwoInputStreamOperator<IN1, IN2, OUT, ProcessJoinFunctionObject<IN1, IN2, OUT>>
  implements Triggerable<K, string>
{
  private readonly spec: IntervalJoinSpec<K, IN1, IN2>;
  /** The bounds with exclusiveness folded in: both inclusive from here on. */
  private readonly lowerBound: number;
  private readonly upperBound: number;
  private leftBuffer!: HeapMapState<number, BufferEntry<IN1>[]>;
  private rightBuffer!: HeapMapState<number, BufferEntry<IN2>[]>;
  private timerService!: InternalTimerService<string>;
  private collector!: TimestampedCollector<OUT>;
  private ctx!: JoinContextImpl;

  constructor(fn: ProcessJoinFunctionObject<IN1, IN2, OUT>, spec: IntervalJoinSpec<K, IN1, IN2>) {
    super(fn, { key1: spec.keySelector1, key2: spec.keySelector2 });
    this.spec = spec;
    this.lowerBound = spec.lowerBoundExclusive ? spec.lowerBound + 1 : spec.lowerBound;
    this.upperBound = spec.upperBoundExclusive ? spec.upperBound - 1 : spec.upperBound;
    if (this.lowerBound > this.upperBound) throw new Error(`lowerBound <= upperBound must be fulfilled (between(${spec.lowerBound}, ${spec.upperBound}) with exclusive bounds leaves no interval)`);
  }

  override setup(context: OperatorContext, output: Output<OUT>): void {
    super.setup(context, output);
    const backend = this.getKeyedStateBackend();
    this.leftBuffer = backend.getMapState(new MapStateDescriptor<number, BufferEntry<IN1>[]>(LEFT_BUFFER));
    this.rightBuffer = backend.getMapState(new MapStateDescriptor<number, BufferEntry<IN2>[]>(RIGHT_BUFFER));
    this.timerService = this.getInternalTimerService<K, string>(CLEANUP_TIMER_NAME, this);
    this.collector = new TimestampedCollector(output, NO_TIMESTAMP);
    this.ctx = new JoinContextImpl(output);
  }

  processElement1(record: IN1, timestamp: number): void {
    this.setKeyContextElement1(record);
    if (this.checkLate(timestamp, record, this.spec.leftLateDataOutputTag)) return;
    addToBuffer(this.leftBuffer, record, timestamp);
    const lower = timestamp + this.lowerBound;
    const upper = timestamp + this.upperBound;
    for (const [ts, entries] of this.rightBuffer.entries()) {
      if (ts < lower || ts > upper) continue;
      for (const entry of entries) this.emit(record, entry.element, timestamp, ts);
    }
    const cleanupTime = this.upperBound > 0 ? timestamp + this.upperBound : timestamp;
    this.timerService.registerEventTimeTimer(CLEANUP_NAMESPACE_LEFT, cleanupTime);
  }

  processElement2(record: IN2, timestamp: number): void {
    this.setKeyContextElement2(record);
    if (this.checkLate(timestamp, record, this.spec.rightLateDataOutputTag)) return;
    addToBuffer(this.rightBuffer, record, timestamp);
    // Seen from the right element, the left partners lie in [ts - upper, ts - lower].
    const lower = timestamp - this.upperBound;
    const upper = timestamp - this.lowerBound;
    for (const [ts, entries] of this.leftBuffer.entries()) {
      if (ts < lower || ts > upper) continue;
      for (const entry of entries) this.emit(entry.element, record, ts, timestamp);
    }
    const cleanupTime = -this.lowerBound > 0 ? timestamp - this.lowerBound : timestamp;
    this.timerService.registerEventTimeTimer(CLEANUP_NAMESPACE_RIGHT, cleanupTime);
  }

  /** Drops the bucket the timer was set for: no element of the other side can still join it. */
  onEventTime(timer: InternalTimer<K, string>): void {
    if (timer.namespace === CLEANUP_NAMESPACE_LEFT) {
      this.leftBuffer.remove(this.upperBound <= 0 ? timer.timestamp : timer.timestamp - this.upperBound);
    } else if (timer.namespace === CLEANUP_NAMESPACE_RIGHT) {
      this.rightBuffer.remove(this.lowerBound <= 0 ? timer.timestamp + this.lowerBound : timer.timestamp);
    }
  }

  onProcessingTime(): void {
    throw new Error('An interval join sets no processing-time timers');
  }

  /** How many keys have elements buffered on each side (what cleanup must bring back to 0). */
  get keysBuffered(): { left: number; right: number } {
    return { left: this.leftBuffer.size, right: this.rightBuffer.size };
  }

  private checkLate<T>(timestamp: number, record: T, tag: OutputTag<T> | undefined): boolean {
    if (timestamp === NO_TIMESTAMP) {
      throw new Error('Long.MIN_VALUE timestamp: Elements used in interval stream joins need to have timestamps meaningful timestamps.');
    }
    if (timestamp >= this.timerService.currentWatermark()) return false;
    if (tag !== undefined) this.output.collectSideOutput(tag, record, timestamp);
    return true;
  }

  private emit(left: IN1, right: IN2, leftTimestamp: number, rightTimestamp: number): void {
    const resultTimestamp = Math.max(leftTimestamp, rightTimestamp);
    const ctx = this.ctx;
    ctx.leftTimestamp = leftTimestamp;
    ctx.rightTimestamp = rightTimestamp;
    ctx.resultTimestamp = resultTimestamp;
    this.collector.timestamp = resultTimestamp;
    this.userFunction.processElement(left, right, ctx, this.collector);
  }
}

function addToBuffer<T>(buffer: HeapMapState<number, BufferEntry<T>[]>, element: T, timestamp: number): void {
  const entries = buffer.get(timestamp) ?? [];
  entries.push({ element, hasBeenJoined: false });
  buffer.put(timestamp, entries);
}
