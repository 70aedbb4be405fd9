import type { Collector } from '../../streaming/output.ts';

/**
 * A map over two connected streams (Flink's CoMapFunction): map1 for each element of the first,
 * map2 for each of the second, one result each. A plain object or a class instance; both methods
 * run in the same parallel instance, so they may share fields.
 */
export interface CoMapFunction<IN1, IN2, OUT> {
  map1(value: IN1): OUT;
  map2(value: IN2): OUT;
}

/** A flatMap over two connected streams (Flink's CoFlatMapFunction): any number of results each. */
export interface CoFlatMapFunction<IN1, IN2, OUT> {
  flatMap1(value: IN1, out: Collector<OUT>): void;
  flatMap2(value: IN2, out: Collector<OUT>): void;
}
