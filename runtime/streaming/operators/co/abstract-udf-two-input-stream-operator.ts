import type { HeapKeyedStateBackend } from '../../../state/heap-keyed-state-backend.ts';
import { AbstractTwoInputStreamOperator } from '../../abstract-two-input-stream-operator.ts';
import type { KeySelector } from '../../functions.ts';
import type { Output } from '../../output.ts';
import type { OperatorContext } from '../../stream-operator.ts';
import { closeFunction, copyUserFunction, openFunction, setFunctionRuntimeContext } from '../abstract-udf-stream-operator.ts';

/**
 * A two-input operator running one user function (Flink's AbstractUdfStreamOperator over a
 * TwoInputStreamOperator): its own copy of the function, the rich lifecycle, and, when both inputs
 * are keyed, one keyed state backend for both: each input's key selector makes its record's key
 * current (Flink's setKeyContextElement1/2), so equal keys of either side share state and timers.
 */
export abstract class AbstractUdfTwoInputStreamOperator<IN1, IN2, OUT, F> extends AbstractTwoInputStreamOperator<IN1, IN2, OUT> {
  protected readonly userFunction: F;
  private readonly stateKeySelector1: KeySelector<IN1, unknown> | undefined;
  private readonly stateKeySelector2: KeySelector<IN2, unknown> | undefined;
  /** Set in setup() when the inputs are keyed. */
  protected keyedBackend: HeapKeyedStateBackend | null = null;

  constructor(userFunction: F, keySelectors?: { readonly key1: KeySelector<IN1, unknown>; readonly key2: KeySelector<IN2, unknown> }) {
    super();
    this.userFunction = copyUserFunction(userFunction);
    this.stateKeySelector1 = keySelectors?.key1;
    this.stateKeySelector2 = keySelectors?.key2;
  }

  override setup(context: OperatorContext, output: Output<OUT>): void {
    super.setup(context, output);
    if (this.stateKeySelector1 !== undefined) this.keyedBackend = this.getKeyedStateBackend();
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

  protected setKeyContextElement1(record: IN1): void {
    const selector = this.stateKeySelector1;
    if (selector !== undefined) (this.keyedBackend as HeapKeyedStateBackend).setCurrentKey(selector(record));
  }

  protected setKeyContextElement2(record: IN2): void {
    const selector = this.stateKeySelector2;
    if (selector !== undefined) (this.keyedBackend as HeapKeyedStateBackend).setCurrentKey(selector(record));
  }

  /** The current key (the record's or the timer's); only on keyed inputs. */
  protected currentKey(): unknown {
    return (this.keyedBackend as HeapKeyedStateBackend).getCurrentKey();
  }
}
