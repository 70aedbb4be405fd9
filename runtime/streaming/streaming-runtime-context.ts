import type { RuntimeContext } from '../api/functions/runtime-context.ts';
import { DefaultKeyedStateStore } from '../state/default-keyed-state-store.ts';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.ts';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../state/keyed-state.ts';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../state/state-descriptor.ts';
import type { OperatorContext } from './stream-operator.ts';

/** Flink's message when a function asks for keyed state where there are no keys. */
export const NOT_KEYED_MESSAGE = "Keyed state can only be used on a 'keyed stream', i.e., after a 'keyBy()' operation.";

/**
 * The RuntimeContext of one operator's user function (Flink's StreamingRuntimeContext): the
 * subtask's identity from the operator context, and keyed state from the operator's keyed state
 * backend, the same one its timers (and a window's contents) live in, so a checkpoint takes all.
 */
export class StreamingRuntimeContext implements RuntimeContext {
  private readonly context: OperatorContext;
  private readonly keyedStateStore: DefaultKeyedStateStore | null;

  /** `keyedStateBackend` is null when the operator's input is not keyed. */
  constructor(context: OperatorContext, keyedStateBackend: HeapKeyedStateBackend | null) {
    this.context = context;
    this.keyedStateStore = keyedStateBackend === null ? null : new DefaultKeyedStateStore(keyedStateBackend);
  }

  getJobId(): string {
    return this.context.jobId;
  }

  getTaskName(): string {
    return this.context.taskName;
  }

  getTaskNameWithSubtasks(): string {
    const c = this.context;
    return `${c.taskName} (${c.subtaskIndex + 1}/${c.parallelism})#${c.attemptNumber}`;
  }

  getIndexOfThisSubtask(): number {
    return this.context.subtaskIndex;
  }

  getNumberOfParallelSubtasks(): number {
    return this.context.parallelism;
  }

  getMaxNumberOfParallelSubtasks(): number {
    return this.context.maxParallelism;
  }

  getAttemptNumber(): number {
    return this.context.attemptNumber;
  }

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.keyedStore().getState(descriptor);
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.keyedStore().getListState(descriptor);
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.keyedStore().getReducingState(descriptor);
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.keyedStore().getAggregatingState(descriptor);
  }

  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.keyedStore().getMapState(descriptor);
  }

  private keyedStore(): DefaultKeyedStateStore {
    if (this.keyedStateStore === null) throw new Error(NOT_KEYED_MESSAGE);
    return this.keyedStateStore;
  }
}
