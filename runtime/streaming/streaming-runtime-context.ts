import type { RuntimeContext } from '../api/functions/runtime-context.ts';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.ts';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../state/keyed-state.ts';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, StateKind, ValueStateDescriptor } from '../state/state-descriptor.ts';
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
  private readonly keyedStateBackend: HeapKeyedStateBackend | null;
  /** Handles by kind and name: a function that asks per record gets the same one. */
  private readonly handles = new Map<string, unknown>();

  /** `keyedStateBackend` is null when the operator's input is not keyed. */
  constructor(context: OperatorContext, keyedStateBackend: HeapKeyedStateBackend | null) {
    this.context = context;
    this.keyedStateBackend = keyedStateBackend;
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
    return this.handle(descriptor, (b) => b.getState(descriptor));
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.handle(descriptor, (b) => b.getListState(descriptor));
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.handle(descriptor, (b) => b.getReducingState(descriptor));
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.handle(descriptor, (b) => b.getAggregatingState(descriptor));
  }

  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.handle(descriptor, (b) => b.getMapState(descriptor));
  }

  private handle<H>(descriptor: { readonly kind: StateKind; readonly name: string }, create: (backend: HeapKeyedStateBackend) => H): H {
    const backend = this.keyedStore();
    const id = `${descriptor.kind}/${descriptor.name}`;
    let handle = this.handles.get(id) as H | undefined;
    if (handle === undefined) {
      handle = create(backend);
      this.handles.set(id, handle);
    }
    return handle;
  }

  private keyedStore(): HeapKeyedStateBackend {
    if (this.keyedStateBackend === null) throw new Error(NOT_KEYED_MESSAGE);
    return this.keyedStateBackend;
  }
}
