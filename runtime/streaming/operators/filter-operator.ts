import type { FilterFunction, KeySelector } from '../functions.ts';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.ts';

/** filter() (Flink's StreamFilter): a plain predicate or a (Rich)FilterFunction object. */
export class FilterOperator<T> extends AbstractUdfStreamOperator<T, T, FilterFunction<T>> {
  private readonly filter: (value: T) => boolean;

  constructor(fn: FilterFunction<T>, stateKeySelector?: KeySelector<T, unknown>) {
    super(fn, stateKeySelector);
    const f = this.userFunction;
    this.filter = typeof f === 'function' ? f : (value) => f.filter(value);
  }

  collect(record: T, timestamp: number): void {
    if (this.stateKeySelector !== undefined) this.setKeyContextElement(record);
    if (this.filter(record)) this.output.collect(record, timestamp);
  }
}
