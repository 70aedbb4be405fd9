/**
 * The kinds of keyed state a user function gets from getRuntimeContext() (Flink's
 * org.apache.flink.api.common.state): each scoped to the key of the record or timer being
 * processed. What a key never set reads as: value() the descriptor's default, get() of a list an
 * empty list, of a reducing or aggregating state undefined, a map is empty.
 */
export type { ValueState } from '../streaming/keyed-value-state.ts';

export interface ListState<T> {
  /** The key's elements in the order added; empty when none. */
  get(): T[];
  add(value: T): void;
  addAll(values: Iterable<T>): void;
  /** Replaces the key's elements. */
  update(values: Iterable<T>): void;
  clear(): void;
}

/** Elements are folded into one value with the descriptor's reduce function as they are added. */
export interface ReducingState<T> {
  get(): T | undefined;
  add(value: T): void;
  clear(): void;
}

/** Elements go into an accumulator (AggregateFunction.add); get() is its getResult. */
export interface AggregatingState<IN, OUT> {
  get(): OUT | undefined;
  add(value: IN): void;
  clear(): void;
}

export interface MapState<UK, UV> {
  get(key: UK): UV | undefined;
  put(key: UK, value: UV): void;
  putAll(entries: Iterable<readonly [UK, UV]> | ReadonlyMap<UK, UV>): void;
  remove(key: UK): void;
  contains(key: UK): boolean;
  entries(): IterableIterator<[UK, UV]>;
  keys(): IterableIterator<UK>;
  values(): IterableIterator<UV>;
  isEmpty(): boolean;
  clear(): void;
}
