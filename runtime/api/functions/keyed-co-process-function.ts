import type { Collector } from '../../streaming/output.ts';
import type { KeyedProcessFunctionContext, KeyedProcessFunctionOnTimerContext } from './keyed-process-function.ts';
import { AbstractRichFunction, type OpenContext } from './rich-function.ts';

/**
 * A function over two connected streams keyed the same way (Flink's KeyedCoProcessFunction, from
 * `a.connect(b).keyBy(k1, k2).process(...)`): elements of both inputs with equal keys meet in the
 * same subtask, see the same keyed state (getRuntimeContext().getState(...)) and share the key's
 * timers; onTimer runs with the timer's key current. The classic use is a join that buffers each
 * side in state until the other side's match arrives.
 */
export abstract class KeyedCoProcessFunction<K, IN1, IN2, OUT> extends AbstractRichFunction {
  abstract processElement1(value: IN1, ctx: KeyedProcessFunctionContext<K>, out: Collector<OUT>): void;
  abstract processElement2(value: IN2, ctx: KeyedProcessFunctionContext<K>, out: Collector<OUT>): void;

  onTimer(_timestamp: number, _ctx: KeyedProcessFunctionOnTimerContext<K>, _out: Collector<OUT>): void {}
}

/**
 * The plain-object form. Its methods run with `this` bound to a KeyedCoProcessFunction holding the
 * object's fields, so `this.getRuntimeContext().getState(...)` works in open() and after.
 */
export interface KeyedCoProcessFunctionObject<K, IN1, IN2, OUT> {
  processElement1(value: IN1, ctx: KeyedProcessFunctionContext<K>, out: Collector<OUT>): void;
  processElement2(value: IN2, ctx: KeyedProcessFunctionContext<K>, out: Collector<OUT>): void;
  onTimer?(timestamp: number, ctx: KeyedProcessFunctionOnTimerContext<K>, out: Collector<OUT>): void;
  open?(openContext: OpenContext): void | Promise<void>;
  close?(): void | Promise<void>;
}
