/**
 * Where Flink takes a java.time.Duration (or its old windowing Time), weft takes milliseconds or any
 * object with toMillis(): Time.seconds(5), Duration.ofSeconds(5). The one conversion every API
 * that takes a span uses (watermark strategies, window sizes, slides, offsets, gaps, lateness).
 */
export type DurationLike = number | { toMillis(): number };

/** Milliseconds of `d`, as given: callers refuse what they cannot use, naming themselves. */
export function toMillis(d: DurationLike): number {
  return typeof d === 'number' ? d : d.toMillis();
}

/** Milliseconds of `d`; refuses what is not a finite number, naming `what`. */
export function toFiniteMillis(d: DurationLike, what: string): number {
  const ms = toMillis(d);
  if (!Number.isFinite(ms)) throw new Error(`${what} must be a finite number of milliseconds, got ${String(ms)}`);
  return ms;
}
