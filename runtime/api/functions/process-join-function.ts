import type { Collector } from '../../streaming/output.ts';
import type { OutputTag } from '../output-tag.ts';
import { AbstractRichFunction, type OpenContext } from './rich-function.ts';

/** What processElement sees of a joined pair (Flink's ProcessJoinFunction.Context). */
export interface ProcessJoinFunctionContext {
  getLeftTimestamp(): number;
  getRightTimestamp(): number;
  /** The pair's timestamp: max(left, right), also the timestamp of what is emitted. */
  getTimestamp(): number;
  output<X>(tag: OutputTag<X>, value: X): void;
}

/**
 * Called for each pair of an interval join (Flink's ProcessJoinFunction): a left element and a
 * right element of the same key with `left.ts + lower <= right.ts <= left.ts + upper`.
 */
export abstract class ProcessJoinFunction<IN1, IN2, OUT> extends AbstractRichFunction {
  abstract processElement(left: IN1, right: IN2, ctx: ProcessJoinFunctionContext, out: Collector<OUT>): void;
}

/** The plain-object form: `{ processElement(left, right, ctx, out) { ... } }`. */
export interface ProcessJoinFunctionObject<IN1, IN2, OUT> {
  processElement(left: IN1, right: IN2, ctx: ProcessJoinFunctionContext, out: Collector<OUT>): void;
  open?(openContext: OpenContext): void | Promise<void>;
  close?(): void | Promise<void>;
}
