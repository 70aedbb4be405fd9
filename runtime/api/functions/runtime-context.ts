import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../../state/keyed-state.ts';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../state/state-descriptor.ts';

/**
 * Where a rich function runs and its keyed state (Flink's RuntimeContext). The state getters work
 * on a keyed stream only (after keyBy()), and the state they return is scoped to the key of the
 * record (or timer) being processed.
 */
export interface RuntimeContext {
  getJobId(): string;
  /** The task's name: the chain's, e.g. "Source: numbers -> Map". */
  getTaskName(): string;
  /** "Map (2/4)#0": the task name, the 1-based subtask of the parallelism, and the attempt. */
  getTaskNameWithSubtasks(): string;
  /** 0-based. */
  getIndexOfThisSubtask(): number;
  getNumberOfParallelSubtasks(): number;
  /** The number of key groups (the upper bound for rescaling). */
  getMaxNumberOfParallelSubtasks(): number;
  /** 0 on the first execution, +1 on each restart. */
  getAttemptNumber(): number;
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV>;
}
