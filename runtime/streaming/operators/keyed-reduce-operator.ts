import type { KeySelector, ReduceFunction } from '../functions.ts';
import { HeapValueState } from '../keyed-value-state.ts';
import { AbstractStreamOperator } from '../stream-operator.ts';

/**
 * reduce(), sum(), min() and max() on a KeyedStream (Flink's StreamGroupedReduceOperator): keeps the
 * running result per key and emits it after every record.
 */
export class KeyedReduceOperator<T, K> extends AbstractStreamOperator<T, T> {
  private readonly keySelector: KeySelector<T, K>;
  private readonly reducer: ReduceFunction<T>;
  private readonly state = new HeapValueState<T>();

  constructor(keySelector: KeySelector<T, K>, reducer: ReduceFunction<T>) {
    super();
    this.keySelector = keySelector;
    this.reducer = reducer;
  }

  collect(record: T, timestamp: number): void {
    const state = this.state;
    state.setCurrentKey(this.keySelector(record));
    const current = state.value();
    const next = current === undefined ? record : this.reducer(current, record);
    state.update(next);
    this.output.collect(next, timestamp);
  }

  /** Number of keys this subtask holds state for. */
  get keyCount(): number {
    return this.state.size;
  }
}
