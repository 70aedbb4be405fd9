import type { HeapKeyedStateBackend, KeyedValueState } from '../../state/heap-keyed-state-backend.ts';
import { ValueStateDescriptor } from '../../state/state-descriptor.ts';
import type { KeySelector, ReduceFunction } from '../functions.ts';
import type { Output } from '../output.ts';
import { AbstractStreamOperator, type OperatorContext } from '../stream-operator.ts';

/**
 * reduce(), sum(), min() and max() on a KeyedStream (Flink's StreamGroupedReduceOperator): keeps the
 * running result per key in keyed value state and emits it after every record.
 */
export class KeyedReduceOperator<T, K> extends AbstractStreamOperator<T, T> {
  private readonly keySelector: KeySelector<T, K>;
  private readonly reducer: ReduceFunction<T>;
  private backend!: HeapKeyedStateBackend;
  private state!: KeyedValueState<T>;

  constructor(keySelector: KeySelector<T, K>, reducer: ReduceFunction<T>) {
    super();
    this.keySelector = keySelector;
    this.reducer = reducer;
  }

  override setup(context: OperatorContext, output: Output<T>): void {
    super.setup(context, output);
    this.backend = this.getKeyedStateBackend();
    // Flink's StreamGroupedReduceOperator names its state "_op_state".
    this.state = this.backend.getState(new ValueStateDescriptor<T>('_op_state'));
  }

  collect(record: T, timestamp: number): void {
    const state = this.state;
    this.backend.setCurrentKey(this.keySelector(record));
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
