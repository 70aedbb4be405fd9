import type { Collector, Output } from './output.ts';

/**
 * The Collector handed to flatMap and process functions: one per operator, re-stamped with the
 * current input's timestamp before each call, so emitting allocates nothing (Flink's
 * TimestampedCollector).
 */
export class TimestampedCollector<T> implements Collector<T> {
  timestamp: number;
  private readonly output: Output<T>;

  constructor(output: Output<T>, timestamp: number) {
    this.output = output;
    this.timestamp = timestamp;
  }

  collect(record: T): void {
    this.output.collect(record, this.timestamp);
  }
}
