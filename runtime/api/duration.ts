/**
 * Where Flink takes a java.time.Duration (or its old Time), weft takes milliseconds or any object
 * with toMillis() (a Duration/Time helper).
 */
export type DurationLike = number | { toMillis(): number };

/** Milliseconds of `d`; refuses what is not a finite number, naming `what`. */
export function toMillis(d: DurationLike, what: string): number {
  const ms = typeof d === 'number' ? d : d.toMillis();
  if (!Number.isFinite(ms)) throw new Error(`${what} must be a finite number of milliseconds, got ${String(ms)}`);
  return ms;
}
