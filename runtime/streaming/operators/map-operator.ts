import type { KeySelector, MapFunction } from '../functions.ts';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.ts';

/** map() (Flink's StreamMap): a plain function or a (Rich)MapFunction object. */
export class MapOperator<T, R> extends AbstractUdfStreamOperator<T, R, MapFunction<T, R>> {
  private readonly map: (value: T) => R;

  /** `stateKeySelector`: the input is a KeyedStream, so a rich function's keyed state follows each record's key. */
  constructor(fn: MapFunction<T, R>, stateKeySelector?: KeySelector<T, unknown>) {
    super(fn, stateKeySelector);
    const f = this.userFunction;
    this.map = typeof f === 'function' ? f : (value) => f.map(value);
  }

  collect(record: T, timestamp: number): void {
    if (this.stateKeySelector !== undefined) this.setKeyContextElement(record);
    this.output.collect(this.map(record), timestamp);
  }
}
