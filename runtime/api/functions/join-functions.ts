import type { Collector } from '../../streaming/output.ts';

/**
 * A window join's function (Flink's JoinFunction): one result per pair of elements with equal keys
 * in the same window. A plain function or an object with join().
 */
export type JoinFunction<IN1, IN2, OUT> = ((first: IN1, second: IN2) => OUT) | { join(first: IN1, second: IN2): OUT };

/**
 * A window coGroup's function (Flink's CoGroupFunction): per key and window, all elements of the
 * first input and all of the second (either may be empty), emitting any number of results.
 */
export type CoGroupFunction<IN1, IN2, OUT> =
  | ((first: Iterable<IN1>, second: Iterable<IN2>, out: Collector<OUT>) => void)
  | { coGroup(first: Iterable<IN1>, second: Iterable<IN2>, out: Collector<OUT>): void };
