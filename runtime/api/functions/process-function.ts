import type { Collector } from '../../streaming/output.ts';
import type { TimeDomain } from '../../streaming/time/time-domain.ts';
import type { TimerService } from '../../streaming/time/timer-service.ts';
import type { OutputTag } from '../output-tag.ts';
import { AbstractRichFunction } from './rich-function.ts';

/** What processElement sees besides the record (Flink's ProcessFunction.Context). */
export interface ProcessFunctionContext {
  /** The record's timestamp, or null when it has none (no WatermarkStrategy upstream). */
  timestamp(): number | null;
  /** The time and, on a keyed stream, timers. */
  timerService(): TimerService;
  /** Emits `value` to the side output `tag`, with the current timestamp. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/** What onTimer sees (Flink's ProcessFunction.OnTimerContext): timestamp() is the timer's. */
export interface ProcessFunctionOnTimerContext extends ProcessFunctionContext {
  timeDomain(): TimeDomain;
}

/**
 * A function called for each record, with its timestamp, the time and side outputs (Flink's
 * ProcessFunction). Extend it and implement processElement. It is rich: open, close and
 * getRuntimeContext(). Timers need keys: on a DataStream that was not keyed, registering one
 * fails the job ("Setting timers is only supported on a keyed streams.").
 */
export abstract class ProcessFunction<I, O> extends AbstractRichFunction {
  abstract processElement(value: I, ctx: ProcessFunctionContext, out: Collector<O>): void;

  /** Called when a timer set through ctx.timerService() fires. */
  onTimer(_timestamp: number, _ctx: ProcessFunctionOnTimerContext, _out: Collector<O>): void {}
}
