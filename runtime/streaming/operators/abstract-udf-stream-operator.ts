import type { HeapKeyedStateBackend } from '../../state/heap-keyed-state-backend.ts';
import { DEFAULT_OPEN_CONTEXT, isRichFunction } from '../../api/functions/rich-function.ts';
import type { KeySelector } from '../functions.ts';
import type { Output } from '../output.ts';
import { copyRecord } from '../record-copy.ts';
import { AbstractStreamOperator, type OperatorContext } from '../stream-operator.ts';
import { StreamingRuntimeContext } from '../streaming-runtime-context.ts';

/**
 * Each parallel instance gets its own copy of a function object, as Flink's deserialisation of the
 * function per subtask gives it: fields a rich function sets in open() or per record must not be
 * shared by the subtasks of one process. Plain functions (closures) cannot be copied. The copy
 * keeps the prototype and deep-copies own fields (TypeScript `private` ones too); JS `#private`
 * fields exist only on objects a constructor made, so a function class must not use them (as a
 * Flink function must be serializable).
 */
export function copyUserFunction<F>(fn: F): F {
  return typeof fn === 'object' && fn !== null ? copyRecord(fn) : fn;
}

/** Gives a rich function its runtime context (Flink's FunctionUtils.setFunctionRuntimeContext). */
export function setFunctionRuntimeContext(fn: unknown, context: OperatorContext, keyedStateBackend: HeapKeyedStateBackend | null): void {
  if (isRichFunction(fn)) fn.setRuntimeContext(new StreamingRuntimeContext(context, keyedStateBackend));
}

export async function openFunction(fn: unknown): Promise<void> {
  if (isRichFunction(fn)) await fn.open(DEFAULT_OPEN_CONTEXT);
}

export async function closeFunction(fn: unknown): Promise<void> {
  if (isRichFunction(fn)) await fn.close();
}

/**
 * An operator that runs one user function (Flink's AbstractUdfStreamOperator, which one- and
 * two-input operators share): its own copy of the function, the rich lifecycle (runtime context in
 * setup, open before the first record, close after the last or on failure), and, when the input
 * is a KeyedStream, the key context: keyed
 * state (Flink's stateKeySelector) is scoped to each record's key by setKeyContextElement.
 */
export abstract class AbstractUdfStreamOperator<IN, OUT, F> extends AbstractStreamOperator<IN, OUT> {
  protected readonly userFunction: F;
  protected readonly stateKeySelector: KeySelector<IN, unknown> | undefined;
  /** Set in setup() when the input is keyed. */
  protected keyedBackend: HeapKeyedStateBackend | null = null;

  constructor(userFunction: F, stateKeySelector?: KeySelector<IN, unknown>) {
    super();
    this.userFunction = copyUserFunction(userFunction);
    // A plain function cannot reach keyed state: no key context per record for it.
    this.stateKeySelector = isRichFunction(this.userFunction) ? stateKeySelector : undefined;
  }

  /** Whether the input is keyed, so the operator needs the keyed state backend (two-input operators say so for both inputs). */
  protected get isKeyed(): boolean {
    return this.stateKeySelector !== undefined;
  }

  override setup(context: OperatorContext, output: Output<OUT>): void {
    super.setup(context, output);
    if (this.isKeyed) this.keyedBackend = this.getKeyedStateBackend();
    setFunctionRuntimeContext(this.userFunction, context, this.keyedBackend);
  }

  override async open(): Promise<void> {
    await super.open();
    await openFunction(this.userFunction);
  }

  override async close(): Promise<void> {
    try {
      await closeFunction(this.userFunction);
    } finally {
      await super.close();
    }
  }

  /** Makes `record`'s key the current key, when the input is keyed (Flink's setKeyContextElement1). */
  protected setKeyContextElement(record: IN): void {
    const selector = this.stateKeySelector;
    if (selector !== undefined) (this.keyedBackend as HeapKeyedStateBackend).setCurrentKey(selector(record));
  }

  /** The current key (the record's or the timer's); only on keyed inputs. */
  protected currentKey(): unknown {
    return (this.keyedBackend as HeapKeyedStateBackend).getCurrentKey();
  }
}
