import type { Collector } from '../../streaming/output.ts';
import type { ProcessFunctionContext, ProcessFunctionOnTimerContext } from './process-function.ts';
import { AbstractRichFunction, type OpenContext } from './rich-function.ts';

/**
 * A function over two connected streams (Flink's CoProcessFunction): processElement1 for each
 * element of the first input, processElement2 for each of the second, in the same parallel
 * instance. Rich: open, close, getRuntimeContext(). Timers need keys: on connected streams that
 * were not keyed, registering one fails the job ("Setting timers is only supported on a keyed
 * streams."); on keyed ones prefer KeyedCoProcessFunction, which also gives the key.
 */
export abstract class CoProcessFunction<IN1, IN2, OUT> extends AbstractRichFunction {
  abstract processElement1(value: IN1, ctx: ProcessFunctionContext, out: Collector<OUT>): void;
  abstract processElement2(value: IN2, ctx: ProcessFunctionContext, out: Collector<OUT>): void;

  onTimer(_timestamp: number, _ctx: ProcessFunctionOnTimerContext, _out: Collector<OUT>): void {}
}

/** The plain-object form: `{ processElement1, processElement2, onTimer?, open?, close? }`. */
export interface CoProcessFunctionObject<IN1, IN2, OUT> {
  processElement1(value: IN1, ctx: ProcessFunctionContext, out: Collector<OUT>): void;
  processElement2(value: IN2, ctx: ProcessFunctionContext, out: Collector<OUT>): void;
  onTimer?(timestamp: number, ctx: ProcessFunctionOnTimerContext, out: Collector<OUT>): void;
  open?(openContext: OpenContext): void | Promise<void>;
  close?(): void | Promise<void>;
}
