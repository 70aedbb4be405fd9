import type { RuntimeContext } from './runtime-context.ts';

/**
 * What open() is given (Flink's OpenContext, an empty interface today: it exists so later versions
 * can pass more without changing every function's signature).
 */
export type OpenContext = Readonly<Record<never, never>>;

/** The one OpenContext every function is opened with (Flink's DefaultOpenContext.INSTANCE). */
export const DEFAULT_OPEN_CONTEXT: OpenContext = Object.freeze({});

/**
 * A user function with a lifecycle and a view of where it runs (Flink's RichFunction): open() runs
 * once per parallel instance before the first record, close() after the last one or when the task
 * fails or is cancelled, and getRuntimeContext() gives the subtask and its keyed state.
 */
export interface RichFunction {
  open(openContext: OpenContext): void | Promise<void>;
  close(): void | Promise<void>;
  getRuntimeContext(): RuntimeContext;
  setRuntimeContext(context: RuntimeContext): void;
}

/**
 * The base of every rich function (Flink's AbstractRichFunction): empty open/close, the runtime
 * context. Each parallel instance runs a copy of the object the job built (fields deep-copied,
 * prototype kept), so keep state in fields or keyed state, and do not use JS `#private` fields.
 */
export abstract class AbstractRichFunction implements RichFunction {
  // The operator sets it before open(), on its own copy of the function.
  private runtimeContext: RuntimeContext | undefined;

  open(_openContext: OpenContext): void | Promise<void> {}

  close(): void | Promise<void> {}

  getRuntimeContext(): RuntimeContext {
    if (this.runtimeContext === undefined) throw new Error('The runtime context has not been initialized.');
    return this.runtimeContext;
  }

  setRuntimeContext(context: RuntimeContext): void {
    this.runtimeContext = context;
  }
}

export function isRichFunction(fn: unknown): fn is RichFunction {
  return (
    typeof fn === 'object' &&
    fn !== null &&
    typeof (fn as Partial<RichFunction>).setRuntimeContext === 'function' &&
    typeof (fn as Partial<RichFunction>).open === 'function' &&
    typeof (fn as Partial<RichFunction>).close === 'function'
  );
}
