import type { FilterFunction } from '../functions.ts';
import { AbstractStreamOperator } from '../stream-operator.ts';

export class FilterOperator<T> extends AbstractStreamOperator<T, T> {
  private readonly fn: FilterFunction<T>;

  constructor(fn: FilterFunction<T>) {
    super();
    this.fn = fn;
  }

  collect(record: T, timestamp: number): void {
    if (this.fn(record)) this.output.collect(record, timestamp);
  }
}
