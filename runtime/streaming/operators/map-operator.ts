import type { MapFunction } from '../functions.ts';
import { AbstractStreamOperator } from '../stream-operator.ts';

export class MapOperator<T, R> extends AbstractStreamOperator<T, R> {
  private readonly fn: MapFunction<T, R>;

  constructor(fn: MapFunction<T, R>) {
    super();
    this.fn = fn;
  }

  collect(record: T, timestamp: number): void {
    this.output.collect(this.fn(record), timestamp);
  }
}
