import { toFiniteMillis, type DurationLike } from '../duration.ts';
import { AscendingTimestampsWatermarks, BoundedOutOfOrdernessWatermarks, NoWatermarksGenerator } from './bounded-out-of-orderness-watermarks.ts';
import type { TimestampAssigner, WatermarkGenerator, WatermarkGeneratorContext } from './watermark.ts';
import { WatermarksWithIdleness } from './watermarks-with-idleness.ts';

/** Makes the generator of one parallel instance (Flink's WatermarkGeneratorSupplier). */
export type WatermarkGeneratorSupplier<T> = (context: WatermarkGeneratorContext) => WatermarkGenerator<T>;

/** Keeps the timestamp the record already has (Flink's RecordTimestampAssigner), the default. */
const recordTimestamp = <T>(_element: T, timestamp: number): number => timestamp;

/**
 * How a stream gets event time (Flink's WatermarkStrategy): a TimestampAssigner and a
 * WatermarkGenerator, applied on a source or with assignTimestampsAndWatermarks(). Immutable: each
 * with...() returns a new strategy. Every parallel instance creates its own generator.
 */
export class WatermarkStrategy<T> {
  private readonly generator: WatermarkGeneratorSupplier<T>;
  private readonly assigner: TimestampAssigner<T> | undefined;
  /** withIdleness(): ms without events before the input is marked idle. */
  readonly idleTimeoutMs: number | undefined;

  private constructor(generator: WatermarkGeneratorSupplier<T>, assigner?: TimestampAssigner<T>, idleTimeoutMs?: number) {
    this.generator = generator;
    this.assigner = assigner;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /** Events up to `maxOutOfOrderness` late; the watermark is the largest timestamp - that - 1. */
  static forBoundedOutOfOrderness<T>(maxOutOfOrderness: DurationLike): WatermarkStrategy<T> {
    const ms = toFiniteMillis(maxOutOfOrderness, 'maxOutOfOrderness');
    if (ms < 0) throw new Error(`maxOutOfOrderness cannot be negative, got ${ms} ms`);
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrdernessWatermarks<T>(ms));
  }

  /** Timestamps never decrease; the watermark is the largest timestamp - 1. */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new AscendingTimestampsWatermarks<T>());
  }

  /** Timestamps without watermarks (processing-time pipelines, or timestamps only). */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new NoWatermarksGenerator<T>());
  }

  /** A custom generator, periodic (onPeriodicEmit) or punctuated (onEvent). */
  static forGenerator<T>(supplier: WatermarkGeneratorSupplier<T>): WatermarkStrategy<T> {
    if (typeof supplier !== 'function') throw new Error('forGenerator() needs a function that creates a WatermarkGenerator');
    return new WatermarkStrategy<T>(supplier);
  }

  /** Takes each event's timestamp from `assigner(event, recordTimestamp)`. */
  withTimestampAssigner(assigner: TimestampAssigner<T>): WatermarkStrategy<T> {
    if (typeof assigner !== 'function') throw new Error('withTimestampAssigner() needs a function (event, recordTimestamp) => timestamp');
    return new WatermarkStrategy<T>(this.generator, assigner, this.idleTimeoutMs);
  }

  /** Marks the input idle after `idleTimeout` without events, so it stops holding watermarks back. */
  withIdleness(idleTimeout: DurationLike): WatermarkStrategy<T> {
    const ms = toFiniteMillis(idleTimeout, 'idleTimeout');
    if (!(ms > 0)) throw new Error(`The idle timeout must be larger than zero, got ${ms} ms`);
    return new WatermarkStrategy<T>(this.generator, this.assigner, ms);
  }

  createWatermarkGenerator(context: WatermarkGeneratorContext): WatermarkGenerator<T> {
    const generator = this.generator(context);
    return this.idleTimeoutMs === undefined ? generator : new WatermarksWithIdleness(generator, this.idleTimeoutMs, context);
  }

  createTimestampAssigner(): TimestampAssigner<T> {
    return this.assigner ?? recordTimestamp;
  }
}
