import type { OutputTag } from '../api/output-tag.ts';
import type { Collector } from './output.ts';
import type { ValueState } from './keyed-value-state.ts';

/**
 * User function types (Flink's MapFunction, FilterFunction, ...), as plain JS functions or as
 * objects with the method (a RichMapFunction, ... is one; a plain object is copied per subtask).
 */
export type MapFunction<T, R> = ((value: T) => R) | { map(value: T): R };
export type FilterFunction<T> = ((value: T) => boolean) | { filter(value: T): boolean };
/** Emits through `out`, or returns an iterable of results (or both). */
export type FlatMapFunction<T, R> = ((value: T, out: Collector<R>) => Iterable<R> | void) | { flatMap(value: T, out: Collector<R>): Iterable<R> | void };
export type KeySelector<T, K> = (value: T) => K;
export type ReduceFunction<T> = (accumulated: T, value: T) => T;

/** The context of the function form of process(): emit results, read the record's timestamp. */
export interface ProcessContext<O> {
  /** The current record's timestamp, or undefined when it has none. */
  readonly timestamp: number | undefined;
  collect(value: O): void;
  /** Emits `value` to the side output `tag`, with the current record's timestamp. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/** The context of a keyed process function adds the current key and per-key state. */
export interface KeyedProcessContext<K, O, S = unknown> extends ProcessContext<O> {
  readonly key: K;
  /** Value state scoped to `key`. */
  readonly state: ValueState<S>;
}

/**
 * The function form of process() (weft's shorthand for a ProcessFunction with only
 * processElement): `(value, ctx) => ...`, emitting with ctx.collect.
 */
export type ProcessFn<T, O> = (value: T, ctx: ProcessContext<O>) => void;
/** The function form of a keyed process(): ctx.key and ctx.state, one value per key. */
export type KeyedProcessFn<K, T, O, S = unknown> = (value: T, ctx: KeyedProcessContext<K, O, S>) => void;
