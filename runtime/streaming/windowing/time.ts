import type { DurationLike } from '../../api/duration.ts';

/**
 * Flink's windowing `Time` (and the `java.time.Duration` it accepts): a span in milliseconds.
 * Window sizes, slides, offsets, gaps and lateness are taken either as plain milliseconds or as
 * one of these, e.g. `TumblingEventTimeWindows.of(Time.seconds(5))`.
 */
export class Time {
  readonly milliseconds: number;

  private constructor(milliseconds: number) {
    this.milliseconds = milliseconds;
  }

  static of(size: number, unit: TimeUnit = 'ms'): Time {
    return new Time(size * UNIT_MS[unit]);
  }

  static milliseconds(ms: number): Time {
    return new Time(ms);
  }

  static seconds(s: number): Time {
    return new Time(s * 1000);
  }

  static minutes(m: number): Time {
    return new Time(m * 60_000);
  }

  static hours(h: number): Time {
    return new Time(h * 3_600_000);
  }

  static days(d: number): Time {
    return new Time(d * 86_400_000);
  }

  toMilliseconds(): number {
    return this.milliseconds;
  }

  /** java.time.Duration's spelling, so a Time goes wherever Flink takes a Duration (watermark strategies). */
  toMillis(): number {
    return this.milliseconds;
  }

  toString(): string {
    return `${this.milliseconds} ms`;
  }
}

export type TimeUnit = 'ms' | 's' | 'min' | 'h' | 'd';

const UNIT_MS: Readonly<Record<TimeUnit, number>> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** The `java.time.Duration` spellings Flink's newer APIs use; the same spans as {@link Time}. */
export const Duration = {
  ofMillis: (ms: number): Time => Time.milliseconds(ms),
  ofSeconds: (s: number): Time => Time.seconds(s),
  ofMinutes: (m: number): Time => Time.minutes(m),
  ofHours: (h: number): Time => Time.hours(h),
  ofDays: (d: number): Time => Time.days(d),
} as const;

/** A span given as milliseconds or as a Time/Duration (anything with toMillis()). */
export type TimeSpan = DurationLike;
