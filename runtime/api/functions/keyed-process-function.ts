import type { Collector } from '../../streaming/output.ts';
import type { ProcessFunctionContext, ProcessFunctionOnTimerContext } from './process-function.ts';
import { AbstractRichFunction } from './rich-function.ts';

/** processElement's context on a keyed stream (Flink's KeyedProcessFunction.Context). */
export interface KeyedProcessFunctionContext<K> extends ProcessFunctionContext {
  /** The key of the record being processed. */
  getCurrentKey(): K;
}

/** onTimer's context on a keyed stream: the timer's key is the current key. */
export interface KeyedProcessFunctionOnTimerContext<K> extends ProcessFunctionOnTimerContext {
  getCurrentKey(): K;
}

/**
 * A function over a keyed stream with per-key state and timers (Flink's KeyedProcessFunction):
 * processElement for each record and onTimer when an event-time timer's timestamp is reached by
 * the watermark, or a processing-time timer's by the clock. Timers are per key and timestamp (a
 * second registration for the same pair is the same timer) and fire in timestamp order; keyed
 * state from getRuntimeContext().getState(...) is the key's, in both methods.
 */
export abstract class KeyedProcessFunction<K, I, O> extends AbstractRichFunction {
  abstract processElement(value: I, ctx: KeyedProcessFunctionContext<K>, out: Collector<O>): void;

  onTimer(_timestamp: number, _ctx: KeyedProcessFunctionOnTimerContext<K>, _out: Collector<O>): void {}
}
