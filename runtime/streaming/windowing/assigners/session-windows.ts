import { TimeWindow } from '../time-window.ts';
import { toMillis } from '../../../api/duration.ts';
import type { TimeSpan } from '../time.ts';
import type { Trigger } from '../triggers/trigger.ts';
import { assignmentTime, checkSpan, defaultTimeTrigger, MergingWindowAssigner, type WindowAssignerContext } from './window-assigner.ts';

/** Flink's SessionWindowTimeGapExtractor: the gap after this element, in ms. */
export type SessionWindowTimeGapExtractor<T> = (element: T) => number;

/**
 * Session windows: each element opens `[t, t + gap)` and windows that touch or overlap merge, so a
 * session ends after `gap` without elements. The gap is fixed (withGap) or per element
 * (withDynamicGap). The shared body of the event- and processing-time assigners.
 */
export abstract class SessionWindows<T> extends MergingWindowAssigner<T, TimeWindow> {
  readonly gap: number | undefined;
  private readonly extractor: SessionWindowTimeGapExtractor<T>;
  private readonly name: string;
  private readonly eventTime: boolean;

  protected constructor(name: string, eventTime: boolean, gap: TimeSpan | SessionWindowTimeGapExtractor<T>) {
    super();
    this.name = name;
    this.eventTime = eventTime;
    if (typeof gap === 'function') {
      this.gap = undefined;
      this.extractor = gap;
    } else {
      const ms = checkSpan(name, 'session gap', toMillis(gap));
      if (ms <= 0) throw new Error(`${name} parameters must satisfy 0 < size (session gap ${ms} ms)`);
      this.gap = ms;
      this.extractor = () => ms;
    }
  }

  assignWindows(element: T, timestamp: number, context: WindowAssignerContext): TimeWindow[] {
    const time = assignmentTime(this.eventTime, timestamp, context);
    const gap = this.extractor(element);
    // Flink checks a dynamic gap per element, at run time.
    if (!(gap > 0)) throw new Error(`Dynamic session time gap must satisfy 0 < gap, got ${String(gap)} (${this.name})`);
    return [new TimeWindow(time, time + gap)];
  }

  mergeWindows(windows: readonly TimeWindow[], callback: (toMerge: TimeWindow[], mergeResult: TimeWindow) => void): void {
    TimeWindow.mergeWindows(windows, callback);
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return defaultTimeTrigger<T>(this.eventTime);
  }

  isEventTime(): boolean {
    return this.eventTime;
  }

  toString(): string {
    return `${this.name}(${this.gap ?? 'dynamic'})`;
  }
}

export class EventTimeSessionWindows<T = unknown> extends SessionWindows<T> {
  private constructor(gap: TimeSpan | SessionWindowTimeGapExtractor<T>) {
    super('EventTimeSessionWindows', true, gap);
  }

  static withGap<T = unknown>(gap: TimeSpan): EventTimeSessionWindows<T> {
    return new EventTimeSessionWindows<T>(gap);
  }

  static withDynamicGap<T>(extractor: SessionWindowTimeGapExtractor<T>): EventTimeSessionWindows<T> {
    return new EventTimeSessionWindows<T>(extractor);
  }
}

export class ProcessingTimeSessionWindows<T = unknown> extends SessionWindows<T> {
  private constructor(gap: TimeSpan | SessionWindowTimeGapExtractor<T>) {
    super('ProcessingTimeSessionWindows', false, gap);
  }

  static withGap<T = unknown>(gap: TimeSpan): ProcessingTimeSessionWindows<T> {
    return new ProcessingTimeSessionWindows<T>(gap);
  }

  static withDynamicGap<T>(extractor: SessionWindowTimeGapExtractor<T>): ProcessingTimeSessionWindows<T> {
    return new ProcessingTimeSessionWindows<T>(extractor);
  }
}
