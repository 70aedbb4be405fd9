import type { Collector } from '../../streaming/output.ts';
import type { CoFlatMapFunction, CoMapFunction } from './co-map-function.ts';
import { AbstractRichFunction } from './rich-function.ts';

/** A CoMapFunction with open, close and getRuntimeContext() (Flink's RichCoMapFunction). */
export abstract class RichCoMapFunction<IN1, IN2, OUT> extends AbstractRichFunction implements CoMapFunction<IN1, IN2, OUT> {
  abstract map1(value: IN1): OUT;
  abstract map2(value: IN2): OUT;
}

/** A CoFlatMapFunction with open, close and getRuntimeContext() (Flink's RichCoFlatMapFunction). */
export abstract class RichCoFlatMapFunction<IN1, IN2, OUT> extends AbstractRichFunction implements CoFlatMapFunction<IN1, IN2, OUT> {
  abstract flatMap1(value: IN1, out: Collector<OUT>): void;
  abstract flatMap2(value: IN2, out: Collector<OUT>): void;
}
