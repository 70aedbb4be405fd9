import type { RuntimeContext } from '../api/functions/runtime-context.ts';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.ts';
import type { ValueStateDescriptor } from '../state/state-descriptor.ts';
import type { ValueState } from './keyed-value-state.ts';
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
  private readonly valueStates = new Map<string, ValueState<unknown>>();

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
    const backend = this.keyedStore();
    let state = this.valueStates.get(descriptor.name) as ValueState<T> | undefined;
    if (state === undefined) {
      state = backend.getState(descriptor);
      this.valueStates.set(descriptor.name, state);
    }
    return state;
  }

  private keyedStore(): HeapKeyedStateBackend {
    if (this.keyedStateBackend === null) throw new Error(NOT_KEYED_MESSAGE);
    return this.keyedStateBackend;
  }
}
