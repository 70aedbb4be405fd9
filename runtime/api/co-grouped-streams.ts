import type { KeySelector } from '../streaming/functions.ts';
import type { Evictor } from '../streaming/windowing/evictors/evictor.ts';
import { coGroupWindowFunction, type TaggedUnion } from '../streaming/windowing/co-group-window-function.ts';
import type { WindowAssigner } from '../streaming/windowing/assigners/window-assigner.ts';
import type { Trigger } from '../streaming/windowing/triggers/trigger.ts';
import type { Window } from '../streaming/windowing/window.ts';
import type { DataStream } from './data-stream.ts';
import type { DurationLike } from './duration.ts';
import type { CoGroupFunction } from './functions/join-functions.ts';
import type { WindowedStream } from './windowed-stream.ts';

/**
 * `a.coGroup(b)` (Flink's CoGroupedStreams): `.where(k1).equalTo(k2).window(assigner)
 * .apply(CoGroupFunction)` gets, per key and window, the elements of both inputs. Built as Flink
 * builds it: each input tagged (TaggedUnion), the two unioned, keyed by the tag's key selector and
 * windowed by the existing window operator with a CoGroupWindowFunction.
 */
export class CoGroupedStreams<T1, T2> {
  private readonly input1: DataStream<T1>;
  private readonly input2: DataStream<T2>;

  constructor(input1: DataStream<T1>, input2: DataStream<T2>) {
    if (input1.env !== input2.env) throw new Error('coGroup()/join() of streams from different environments');
    this.input1 = input1;
    this.input2 = input2;
  }

  where<K>(keySelector1: KeySelector<T1, K>): CoGroupWhere<T1, T2, K> {
    return new CoGroupWhere(this.input1, this.input2, keySelector1);
  }
}

export class CoGroupWhere<T1, T2, K> {
  private readonly input1: DataStream<T1>;
  private readonly input2: DataStream<T2>;
  private readonly keySelector1: KeySelector<T1, K>;

  /** @internal */
  constructor(input1: DataStream<T1>, input2: DataStream<T2>, keySelector1: KeySelector<T1, K>) {
    this.input1 = input1;
    this.input2 = input2;
    this.keySelector1 = keySelector1;
  }

  equalTo(keySelector2: KeySelector<T2, K>): CoGroupEqualTo<T1, T2, K> {
    return new CoGroupEqualTo(this.input1, this.input2, this.keySelector1, keySelector2);
  }
}

export class CoGroupEqualTo<T1, T2, K> {
  private readonly input1: DataStream<T1>;
  private readonly input2: DataStream<T2>;
  private readonly keySelector1: KeySelector<T1, K>;
  private readonly keySelector2: KeySelector<T2, K>;

  /** @internal */
  constructor(input1: DataStream<T1>, input2: DataStream<T2>, keySelector1: KeySelector<T1, K>, keySelector2: KeySelector<T2, K>) {
    this.input1 = input1;
    this.input2 = input2;
    this.keySelector1 = keySelector1;
    this.keySelector2 = keySelector2;
  }

  window<W extends Window>(assigner: WindowAssigner<TaggedUnion<T1, T2>, W>): CoGroupWithWindow<T1, T2, K, W> {
    return new CoGroupWithWindow(this.taggedAndKeyed().window(assigner));
  }

  /** Flink's Input1Tagger / Input2Tagger maps, their union and the union's key selector. */
  private taggedAndKeyed() {
    const key1 = this.keySelector1;
    const key2 = this.keySelector2;
    const tagged1 = this.input1.map((value): TaggedUnion<T1, T2> => ({ tag: 1, value }));
    const tagged2 = this.input2.map((value): TaggedUnion<T1, T2> => ({ tag: 2, value }));
    const t1 = this.input1.transformation;
    const t2 = this.input2.transformation;
    // Each tagger runs beside its input, so it chains to it (Flink sets the input's parallelism).
    if (t1.isPhysical && t1.parallelism !== undefined) tagged1.setParallelism(t1.parallelism);
    if (t2.isPhysical && t2.parallelism !== undefined) tagged2.setParallelism(t2.parallelism);
    if (t1.nonParallel) tagged1.setParallelism(1);
    if (t2.nonParallel) tagged2.setParallelism(1);
    return tagged1.union(tagged2).keyBy((u): K => (u.tag === 1 ? key1(u.value) : key2(u.value)));
  }
}

/** A coGroup with its window: optional trigger, evictor and allowed lateness, then apply(). */
export class CoGroupWithWindow<T1, T2, K, W extends Window> {
  readonly windowedStream: WindowedStream<TaggedUnion<T1, T2>, K, W>;

  /** @internal */
  constructor(windowed: WindowedStream<TaggedUnion<T1, T2>, K, W>) {
    this.windowedStream = windowed;
  }

  trigger(trigger: Trigger<TaggedUnion<T1, T2>, W>): this {
    this.windowedStream.trigger(trigger);
    return this;
  }

  evictor(evictor: Evictor<TaggedUnion<T1, T2>, W>): this {
    this.windowedStream.evictor(evictor);
    return this;
  }

  allowedLateness(lateness: DurationLike): this {
    this.windowedStream.allowedLateness(lateness);
    return this;
  }

  apply<OUT>(fn: CoGroupFunction<T1, T2, OUT>): DataStream<OUT> {
    return this.windowedStream.processWith(coGroupWindowFunction<T1, T2, OUT, K, W>(fn));
  }
}
