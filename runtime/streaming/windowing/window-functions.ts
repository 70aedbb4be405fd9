import type { OutputTag } from '../../api/output-tag.ts';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../../state/keyed-state.ts';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../state/state-descriptor.ts';
import type { Collector } from '../output.ts';
import type { Window } from './window.ts';

/**
 * Incremental aggregation (Flink's AggregateFunction): the window keeps one accumulator per key
 * and window; `merge` combines two when session windows merge.
 */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge(a: ACC, b: ACC): ACC;
}

/** Keyed state by descriptor (Flink's KeyedStateStore), scoped to the current key. */
export interface KeyedStateStore {
  getState<S>(descriptor: ValueStateDescriptor<S>): ValueState<S>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV>;
}

/** What a ProcessWindowFunction sees besides the elements (Flink's ProcessWindowFunction.Context). */
export interface ProcessWindowContext<W extends Window> {
  window(): W;
  currentProcessingTime(): number;
  currentWatermark(): number;
  /** State of the current key in this window; cleared with the window (clear()). */
  windowState(): KeyedStateStore;
  /** State of the current key across all windows. */
  globalState(): KeyedStateStore;
  /** Emits to a side output. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/**
 * Flink's ProcessWindowFunction: called with all elements of a window (or the one incremental
 * result, after reduce/aggregate) when it fires. A plain function, or an object that also clears
 * its per-window state when the window is removed.
 */
export type ProcessWindowFunction<IN, OUT, K, W extends Window> =
  | ((key: K, context: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>) => void)
  | {
      process(key: K, context: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>): void;
      clear?(context: ProcessWindowContext<W>): void;
    };

/** windowAll's function: as ProcessWindowFunction without a key (Flink's ProcessAllWindowFunction). */
export type ProcessAllWindowFunction<IN, OUT, W extends Window> =
  | ((context: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>) => void)
  | {
      process(context: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>): void;
      clear?(context: ProcessWindowContext<W>): void;
    };
