import type { OutputTag } from '../api/output-tag.ts';
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

  collectSideOutput<X>(tag: OutputTag<X>, record: X, timestamp: number): void {
    for (const output of this.outputs) output.collectSideOutput(tag, record, timestamp);
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

  /** The main output of an operator: side outputs reach their consumers through a SideOutputFilter. */
  collectSideOutput(): void {}

  emitWatermark(watermark: number): void {
    this.next.emitWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    this.next.emitWatermarkStatus(idle);
  }
}

/**
 * The edge from an operator's side output `tag` to its consumer (a chained operator or a record
 * writer): side-output records with that tag become the consumer's records; main-output records
 * are not for it. Watermarks go to every output, side outputs included, as in Flink.
 */
export class SideOutputFilter<T> implements Output<T> {
  private readonly tagId: string;
  private readonly next: Output<unknown>;
  private readonly copy: boolean;

  constructor(tagId: string, next: Output<unknown>, copy: boolean) {
    this.tagId = tagId;
    this.next = next;
    this.copy = copy;
  }

  collect(): void {}

  collectSideOutput<X>(tag: OutputTag<X>, record: X, timestamp: number): void {
    if (tag.id === this.tagId) this.next.collect(this.copy ? copyRecord(record) : record, timestamp);
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
  collectSideOutput(): void {},
  emitWatermark(): void {},
  emitWatermarkStatus(): void {},
};
