import type { KeySelector } from '../streaming/functions.ts';
import type { Evictor } from '../streaming/windowing/evictors/evictor.ts';
import type { TaggedUnion } from '../streaming/windowing/co-group-window-function.ts';
import type { WindowAssigner } from '../streaming/windowing/assigners/window-assigner.ts';
import type { Trigger } from '../streaming/windowing/triggers/trigger.ts';
import type { Window } from '../streaming/windowing/window.ts';
import { CoGroupedStreams, type CoGroupEqualTo, type CoGroupWithWindow } from './co-grouped-streams.ts';
import type { DataStream } from './data-stream.ts';
import type { DurationLike } from './duration.ts';
import type { JoinFunction } from './functions/join-functions.ts';

/**
 * `a.join(b)` (Flink's JoinedStreams): `.where(k1).equalTo(k2).window(assigner).apply(JoinFunction)`
 * gives one result per pair of elements with equal keys in the same window (an inner join). Flink
 * builds it as a coGroup whose function pairs every element of one side with every one of the
 * other (JoinCoGroupFunction); so does weft.
 */
export class JoinedStreams<T1, T2> {
  private readonly coGrouped: CoGroupedStreams<T1, T2>;

  constructor(input1: DataStream<T1>, input2: DataStream<T2>) {
    this.coGrouped = new CoGroupedStreams(input1, input2);
  }

  where<K>(keySelector1: KeySelector<T1, K>): { equalTo(keySelector2: KeySelector<T2, K>): JoinEqualTo<T1, T2, K> } {
    const where = this.coGrouped.where(keySelector1);
    return { equalTo: (keySelector2) => new JoinEqualTo(where.equalTo(keySelector2)) };
  }
}

export class JoinEqualTo<T1, T2, K> {
  private readonly coGroup: CoGroupEqualTo<T1, T2, K>;

  /** @internal */
  constructor(coGroup: CoGroupEqualTo<T1, T2, K>) {
    this.coGroup = coGroup;
  }

  window<W extends Window>(assigner: WindowAssigner<TaggedUnion<T1, T2>, W>): JoinWithWindow<T1, T2, K, W> {
    return new JoinWithWindow(this.coGroup.window(assigner));
  }
}

export class JoinWithWindow<T1, T2, K, W extends Window> {
  private readonly coGroup: CoGroupWithWindow<T1, T2, K, W>;

  /** @internal */
  constructor(coGroup: CoGroupWithWindow<T1, T2, K, W>) {
    this.coGroup = coGroup;
  }

  trigger(trigger: Trigger<TaggedUnion<T1, T2>, W>): this {
    this.coGroup.trigger(trigger);
    return this;
  }

  evictor(evictor: Evictor<TaggedUnion<T1, T2>, W>): this {
    this.coGroup.evictor(evictor);
    return this;
  }

  allowedLateness(lateness: DurationLike): this {
    this.coGroup.allowedLateness(lateness);
    return this;
  }

  /** One `fn(first, second)` result per pair; each carries the window's maxTimestamp. */
  apply<OUT>(fn: JoinFunction<T1, T2, OUT>): DataStream<OUT> {
    const join = typeof fn === 'function' ? fn : fn.join.bind(fn);
    return this.coGroup.apply<OUT>((first, second, out) => {
      for (const a of first) for (const b of second) out.collect(join(a, b));
    });
  }
}
