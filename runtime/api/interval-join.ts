import { IntervalJoinOperator } from '../streaming/operators/co/interval-join-operator.ts';
import { toFiniteMillis, type DurationLike } from './duration.ts';
import type { DataStream } from './data-stream.ts';
import type { ProcessJoinFunction, ProcessJoinFunctionObject } from './functions/process-join-function.ts';
import { asRichFunction } from './functions/plain-function-object.ts';
import type { KeyedStream } from './keyed-stream.ts';
import type { OutputTag } from './output-tag.ts';

/**
 * `keyedA.intervalJoin(keyedB)` (Flink's KeyedStream.IntervalJoin): give the interval with
 * between(lower, upper), relative to each left element's timestamp.
 */
export class IntervalJoin<T1, T2, K> {
  private readonly left: KeyedStream<T1, K>;
  private readonly right: KeyedStream<T2, K>;

  /** @internal Built by KeyedStream.intervalJoin(). */
  constructor(left: KeyedStream<T1, K>, right: KeyedStream<T2, K>) {
    if (left.env !== right.env) throw new Error('intervalJoin() of streams from different environments');
    this.left = left;
    this.right = right;
  }

  /**
   * Joins a left element at time t with every right element of its key in [t + lower, t + upper]
   * (both inclusive until lowerBoundExclusive() / upperBoundExclusive()), in event time.
   */
  between(lowerBound: DurationLike, upperBound: DurationLike): IntervalJoined<T1, T2, K> {
    const lower = toFiniteMillis(lowerBound, 'intervalJoin().between() lowerBound');
    const upper = toFiniteMillis(upperBound, 'intervalJoin().between() upperBound');
    if (lower > upper) throw new Error(`intervalJoin().between(${lower}, ${upper}): lowerBound <= upperBound must be fulfilled`);
    return new IntervalJoined(this.left, this.right, lower, upper);
  }
}

/** An interval join with its bounds (Flink's IntervalJoined): process(ProcessJoinFunction) ends it. */
export class IntervalJoined<T1, T2, K> {
  private readonly left: KeyedStream<T1, K>;
  private readonly right: KeyedStream<T2, K>;
  private readonly lowerBound: number;
  private readonly upperBound: number;
  private lowerExclusive = false;
  private upperExclusive = false;
  private leftLateTag: OutputTag<T1> | undefined;
  private rightLateTag: OutputTag<T2> | undefined;

  /** @internal */
  constructor(left: KeyedStream<T1, K>, right: KeyedStream<T2, K>, lowerBound: number, upperBound: number) {
    this.left = left;
    this.right = right;
    this.lowerBound = lowerBound;
    this.upperBound = upperBound;
  }

  lowerBoundExclusive(): this {
    this.lowerExclusive = true;
    return this;
  }

  upperBoundExclusive(): this {
    this.upperExclusive = true;
    return this;
  }

  /** Left elements behind the watermark go to `tag` instead of being dropped. */
  sideOutputLeftLateData(tag: OutputTag<T1>): this {
    this.leftLateTag = tag;
    return this;
  }

  sideOutputRightLateData(tag: OutputTag<T2>): this {
    this.rightLateTag = tag;
    return this;
  }

  /** `fn.processElement(left, right, ctx, out)` per pair; results carry max(left ts, right ts). */
  process<OUT>(fn: ProcessJoinFunction<T1, T2, OUT> | ProcessJoinFunctionObject<T1, T2, OUT>): DataStream<OUT> {
    const rich = asRichFunction(fn);
    const spec = {
      keySelector1: this.left.keySelector,
      keySelector2: this.right.keySelector,
      lowerBound: this.lowerBound,
      upperBound: this.upperBound,
      lowerBoundExclusive: this.lowerExclusive,
      upperBoundExclusive: this.upperExclusive,
      leftLateDataOutputTag: this.leftLateTag,
      rightLateDataOutputTag: this.rightLateTag,
    };
    // Built once here, so bounds that leave no interval are refused when the job is built.
    new IntervalJoinOperator<K, T1, T2, OUT>(rich, spec);
    const config = { lowerBound: spec.lowerBound, upperBound: spec.upperBound, lowerBoundExclusive: spec.lowerBoundExclusive, upperBoundExclusive: spec.upperBoundExclusive };
    return this.left.connect(this.right).transform<OUT>('Interval Join', () => new IntervalJoinOperator<K, T1, T2, OUT>(rich, spec) as never, config);
  }
}
