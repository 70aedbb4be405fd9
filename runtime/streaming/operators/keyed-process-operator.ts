import type { OutputTag } from '../../api/output-tag.ts';
import type { KeyedProcessContext, KeyedProcessFunction, KeySelector } from '../functions.ts';
import { HeapKeyedStateBackend, type KeyedValueState } from '../../state/heap-keyed-state-backend.ts';
import { ValueStateDescriptor } from '../../state/state-descriptor.ts';
import type { Output } from '../output.ts';
import { NO_TIMESTAMP } from '../stream-element.ts';
import { AbstractStreamOperator, type OperatorContext } from '../stream-operator.ts';

class MutableKeyedContext<K, O, S> implements KeyedProcessContext<K, O, S> {
  key!: K;
  timestamp: number | undefined = undefined;
  rawTimestamp = NO_TIMESTAMP;
  readonly state: KeyedValueState<S>;
  readonly backend: HeapKeyedStateBackend;
  private readonly out: Output<O>;

  constructor(output: Output<O>, backend: HeapKeyedStateBackend) {
    this.out = output;
    this.backend = backend;
    this.state = backend.getState(new ValueStateDescriptor<S>('state'));
  }

  collect(value: O): void {
    this.out.collect(value, this.rawTimestamp);
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSideOutput(tag, value, this.rawTimestamp);
  }
}

/** process() on a KeyedStream: the function sees the record's key and that key's value state. */
export class KeyedProcessOperator<K, T, O, S> extends AbstractStreamOperator<T, O> {
  private readonly keySelector: KeySelector<T, K>;
  private readonly fn: KeyedProcessFunction<K, T, O, S>;
  private ctx!: MutableKeyedContext<K, O, S>;

  constructor(keySelector: KeySelector<T, K>, fn: KeyedProcessFunction<K, T, O, S>) {
    super();
    this.keySelector = keySelector;
    this.fn = fn;
  }

  override setup(context: OperatorContext, output: Output<O>): void {
    super.setup(context, output);
    this.ctx = new MutableKeyedContext(output, new HeapKeyedStateBackend(context));
  }

  collect(record: T, timestamp: number): void {
    const ctx = this.ctx;
    const key = this.keySelector(record);
    ctx.key = key;
    ctx.backend.setCurrentKey(key);
    ctx.rawTimestamp = timestamp;
    ctx.timestamp = timestamp === NO_TIMESTAMP ? undefined : timestamp;
    this.fn(record, ctx);
  }
}
