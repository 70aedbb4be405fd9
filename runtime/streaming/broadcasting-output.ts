import type { Output } from './output.ts';
import { copyRecord } from './record-copy.ts';

/** An operator with several successors (chained or not) emits to all of them, in order. */
export class BroadcastingOutput<T> implements Output<T> {
  private readonly outputs: readonly Output<T>[];

  constructor(outputs: readonly Output<T>[]) {
    this.outputs = outputs;
  }

  collect(record: T, timestamp: number): void {
    const outputs = this.outputs;
    for (let i = 0; i < outputs.length; i++) (outputs[i] as Output<T>).collect(record, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const output of this.outputs) output.emitWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    for (const output of this.outputs) output.emitWatermarkStatus(idle);
  }
}

/**
 * The edge to a chained operator with object reuse off (Flink's CopyingChainingOutput, the
 * default): the operator gets its own deep copy of each record, so mutating it changes nothing
 * upstream (a keyed reduce's state) or in a sibling branch.
 */
export class CopyingChainingOutput<T> implements Output<T> {
  private readonly next: Output<T>;

  constructor(next: Output<T>) {
    this.next = next;
  }

  collect(record: T, timestamp: number): void {
    this.next.collect(copyRecord(record), timestamp);
  }

  emitWatermark(watermark: number): void {
    this.next.emitWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    this.next.emitWatermarkStatus(idle);
  }
}

/** The output of a sink: nothing follows it. */
export const DISCARDING_OUTPUT: Output<unknown> = {
  collect(): void {},
  emitWatermark(): void {},
  emitWatermarkStatus(): void {},
};
