import type { InternalTimerService } from './internal-timer-service.ts';
import type { ProcessingTimeService } from './processing-time-service.ts';

/**
 * The timers a process function sees (Flink's TimerService): time in milliseconds, timers for the
 * current key, at most one per key and timestamp, fired through the function's onTimer.
 */
export interface TimerService {
  currentProcessingTime(): number;
  /** The operator's last watermark; NO_WATERMARK before the first. */
  currentWatermark(): number;
  registerProcessingTimeTimer(time: number): void;
  registerEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
}

/** Flink's TimerService.UNSUPPORTED_REGISTER_TIMER_MSG / UNSUPPORTED_DELETE_TIMER_MSG. */
export const UNSUPPORTED_REGISTER_TIMER_MSG = 'Setting timers is only supported on a keyed streams.';
export const UNSUPPORTED_DELETE_TIMER_MSG = 'Deleting timers is only supported on a keyed streams.';

/** A keyed operator's user timers: its internal timer service in the void namespace (Flink's SimpleTimerService). */
export class SimpleTimerService implements TimerService {
  private readonly internal: InternalTimerService<undefined>;

  constructor(internal: InternalTimerService<undefined>) {
    this.internal = internal;
  }

  currentProcessingTime(): number {
    return this.internal.currentProcessingTime();
  }

  currentWatermark(): number {
    return this.internal.currentWatermark();
  }

  registerProcessingTimeTimer(time: number): void {
    this.internal.registerProcessingTimeTimer(undefined, time);
  }

  registerEventTimeTimer(time: number): void {
    this.internal.registerEventTimeTimer(undefined, time);
  }

  deleteProcessingTimeTimer(time: number): void {
    this.internal.deleteProcessingTimeTimer(undefined, time);
  }

  deleteEventTimeTimer(time: number): void {
    this.internal.deleteEventTimeTimer(undefined, time);
  }
}

/**
 * The timer service of an operator without keys (Flink's ProcessOperator.ContextImpl): it tells the
 * time, but a timer needs a key to fire for, so setting or deleting one is refused.
 */
export class NonKeyedTimerService implements TimerService {
  private readonly processingTimeService: ProcessingTimeService;
  private readonly watermark: () => number;

  constructor(processingTimeService: ProcessingTimeService, watermark: () => number) {
    this.processingTimeService = processingTimeService;
    this.watermark = watermark;
  }

  currentProcessingTime(): number {
    return this.processingTimeService.getCurrentProcessingTime();
  }

  currentWatermark(): number {
    return this.watermark();
  }

  registerProcessingTimeTimer(): void {
    throw unsupported(UNSUPPORTED_REGISTER_TIMER_MSG);
  }

  registerEventTimeTimer(): void {
    throw unsupported(UNSUPPORTED_REGISTER_TIMER_MSG);
  }

  deleteProcessingTimeTimer(): void {
    throw unsupported(UNSUPPORTED_DELETE_TIMER_MSG);
  }

  deleteEventTimeTimer(): void {
    throw unsupported(UNSUPPORTED_DELETE_TIMER_MSG);
  }
}

function unsupported(message: string): Error {
  const err = new Error(message);
  err.name = 'UnsupportedOperationException';
  return err;
}
