import type { Collector } from '../../streaming/output.ts';
import { AbstractRichFunction } from './rich-function.ts';

/**
 * The rich forms of map, flatMap and filter (Flink's RichMapFunction, RichFlatMapFunction,
 * RichFilterFunction): extend one, and open(), close() and getRuntimeContext() come with it. On a
 * keyed stream (`keyBy(...).map(new MyRichMap())`) the runtime context's keyed state is the
 * current record's key's.
 */
export abstract class RichMapFunction<T, R> extends AbstractRichFunction {
  abstract map(value: T): R;
}

export abstract class RichFlatMapFunction<T, R> extends AbstractRichFunction {
  /** Emits through `out`, or returns an iterable of results (or both). */
  abstract flatMap(value: T, out: Collector<R>): Iterable<R> | void;
}

export abstract class RichFilterFunction<T> extends AbstractRichFunction {
  abstract filter(value: T): boolean;
}
