import type { FilterFunction, KeySelector } from '../functions.ts';
import type { RecordUse } from '../stream-operator.ts';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.ts';

/** filter() (Flink's StreamFilter): a plain predicate or a (Rich)FilterFunction object. */
export class FilterOperator<T> extends AbstractUdfStreamOperator<T, T, FilterFunction<T>> {
  private readonly filter: (value: T) => boolean;
  /**
   * A plain predicate only decides, and the record passes on as it came; a rich function might
   * keep it (in its keyed state), so what it passes on is copied again.
   */
  readonly recordUse: RecordUse | undefined;

  constructor(fn: FilterFunction<T>, stateKeySelector?: KeySelector<T, unknown>) {
    super(fn, stateKeySelector);
    const f = this.userFunction;
    this.filter = typeof f === 'function' ? f : (value) => f.filter(value);
    this.recordUse = typeof f === 'function' ? 'forwards' : undefined;
  }

  collect(record: T, timestamp: number): void {
    if (this.stateKeySelector !== undefined) this.setKeyContextElement(record);
    if (this.filter(record)) this.output.collect(record, timestamp);
  }
}
