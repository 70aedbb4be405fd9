import { TimeWindow } from '../time-window.ts';
import { toMillis } from '../../../api/duration.ts';
import type { TimeSpan } from '../time.ts';
import type { Trigger } from '../triggers/trigger.ts';
import { assignmentTime, checkSpan, defaultTimeTrigger, WindowAssigner, type WindowAssignerContext } from './window-assigner.ts';

/**
 * Fixed-size, non-overlapping windows `[start, start + size)` with starts at `offset + k * size`:
 * the shared body of TumblingEventTimeWindows and TumblingProcessingTimeWindows.
 */
export abstract class TumblingWindows<T> extends WindowAssigner<T, TimeWindow> {
  readonly size: number;
  readonly offset: number;
  private readonly name: string;
  private readonly eventTime: boolean;
  private lastWindow: TimeWindow | undefined = undefined;

  protected constructor(name: string, eventTime: boolean, size: TimeSpan, offset: TimeSpan) {
    super();
    this.name = name;
    this.eventTime = eventTime;
    this.size = checkSpan(name, 'size', toMillis(size));
    this.offset = checkSpan(name, 'offset', toMillis(offset));
    if (Math.abs(this.offset) >= this.size || this.size <= 0) {
      throw new Error(`${name} parameters must satisfy abs(offset) < size and size > 0 (size ${this.size} ms, offset ${this.offset} ms)`);
    }
  }

  assignWindows(_element: T, timestamp: number, context: WindowAssignerContext): TimeWindow[] {
    const time = assignmentTime(this.eventTime, timestamp, context);
    const start = TimeWindow.getWindowStartWithOffset(time, this.offset, this.size);
    // Consecutive records mostly fall in one window: windows are immutable, so hand out the same
    // one (and its namespace key, made once) instead of a new one per record.
    let window = this.lastWindow;
    if (window === undefined || window.start !== start) this.lastWindow = window = new TimeWindow(start, start + this.size);
    return [window];
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return defaultTimeTrigger<T>(this.eventTime);
  }

  isEventTime(): boolean {
    return this.eventTime;
  }

  toString(): string {
    return `${this.name}(${this.size})`;
  }
}

export class TumblingEventTimeWindows<T = unknown> extends TumblingWindows<T> {
  private constructor(size: TimeSpan, offset: TimeSpan) {
    super('TumblingEventTimeWindows', true, size, offset);
  }

  /** Windows of `size`, shifted by `offset` (e.g. -8 h for days in China's time zone). */
  static of<T = unknown>(size: TimeSpan, offset: TimeSpan = 0): TumblingEventTimeWindows<T> {
    return new TumblingEventTimeWindows<T>(size, offset);
  }
}

export class TumblingProcessingTimeWindows<T = unknown> extends TumblingWindows<T> {
  private constructor(size: TimeSpan, offset: TimeSpan) {
    super('TumblingProcessingTimeWindows', false, size, offset);
  }

  static of<T = unknown>(size: TimeSpan, offset: TimeSpan = 0): TumblingProcessingTimeWindows<T> {
    return new TumblingProcessingTimeWindows<T>(size, offset);
  }
}
