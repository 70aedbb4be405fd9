import { TimeWindow } from '../time-window.ts';
import { toMillis } from '../../../api/duration.ts';
import type { TimeSpan } from '../time.ts';
import type { Trigger } from '../triggers/trigger.ts';
import { assignmentTime, checkSpan, defaultTimeTrigger, WindowAssigner, type WindowAssignerContext } from './window-assigner.ts';

/**
 * Windows of `size` starting every `slide` (overlapping when slide < size): an element belongs to
 * about size / slide windows. The shared body of the event- and processing-time assigners.
 */
export abstract class SlidingWindows<T> extends WindowAssigner<T, TimeWindow> {
  readonly size: number;
  readonly slide: number;
  readonly offset: number;
  private readonly name: string;
  private readonly eventTime: boolean;

  protected constructor(name: string, eventTime: boolean, size: TimeSpan, slide: TimeSpan, offset: TimeSpan) {
    super();
    this.name = name;
    this.eventTime = eventTime;
    this.size = checkSpan(name, 'size', toMillis(size));
    this.slide = checkSpan(name, 'slide', toMillis(slide));
    this.offset = checkSpan(name, 'offset', toMillis(offset));
    if (Math.abs(this.offset) >= this.slide || this.size <= 0 || this.slide <= 0) {
      throw new Error(
        `${name} parameters must satisfy abs(offset) < slide and size > 0 and slide > 0 (size ${this.size} ms, slide ${this.slide} ms, offset ${this.offset} ms)`,
      );
    }
  }

  /** Latest window first, as Flink's loop produces them. */
  assignWindows(_element: T, timestamp: number, context: WindowAssignerContext): TimeWindow[] {
    const time = assignmentTime(this.eventTime, timestamp, context);
    const windows: TimeWindow[] = [];
    const lastStart = TimeWindow.getWindowStartWithOffset(time, this.offset, this.slide);
    for (let start = lastStart; start > time - this.size; start -= this.slide) windows.push(new TimeWindow(start, start + this.size));
    return windows;
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return defaultTimeTrigger<T>(this.eventTime);
  }

  isEventTime(): boolean {
    return this.eventTime;
  }

  toString(): string {
    return `${this.name}(${this.size}, ${this.slide})`;
  }
}

export class SlidingEventTimeWindows<T = unknown> extends SlidingWindows<T> {
  private constructor(size: TimeSpan, slide: TimeSpan, offset: TimeSpan) {
    super('SlidingEventTimeWindows', true, size, slide, offset);
  }

  static of<T = unknown>(size: TimeSpan, slide: TimeSpan, offset: TimeSpan = 0): SlidingEventTimeWindows<T> {
    return new SlidingEventTimeWindows<T>(size, slide, offset);
  }
}

export class SlidingProcessingTimeWindows<T = unknown> extends SlidingWindows<T> {
  private constructor(size: TimeSpan, slide: TimeSpan, offset: TimeSpan) {
    super('SlidingProcessingTimeWindows', false, size, slide, offset);
  }

  static of<T = unknown>(size: TimeSpan, slide: TimeSpan, offset: TimeSpan = 0): SlidingProcessingTimeWindows<T> {
    return new SlidingProcessingTimeWindows<T>(size, slide, offset);
  }
}
