import type { AggregateFunction } from '../streaming/windowing/window-functions.ts';

/**
 * Flink's StateDescriptors: a state's name, kind and what the kind needs (a default, a reduce or
 * aggregate function). Keyed state is looked up by them, and a name registered twice with another
 * kind is refused (the checkpoint layer writes by name).
 */
export type StateKind = 'value' | 'list' | 'reducing' | 'aggregating' | 'map';

abstract class AbstractStateDescriptor {
  abstract readonly kind: StateKind;
  readonly name: string;

  constructor(name: string) {
    if (typeof name !== 'string' || name.length === 0) throw new Error('A state descriptor needs a non-empty name');
    this.name = name;
  }
}

/** One value per key (ValueState). */
export class ValueStateDescriptor<T> extends AbstractStateDescriptor {
  readonly kind = 'value' as const;
  /** What value() returns for a key without a value (Flink's deprecated default value). */
  readonly defaultValue: T | undefined;

  constructor(name: string, defaultValue?: T) {
    super(name);
    this.defaultValue = defaultValue;
  }
}

/** A list per key (ListState). */
export class ListStateDescriptor<T> extends AbstractStateDescriptor {
  readonly kind = 'list' as const;
  /** Phantom: carries T; never set. */
  declare readonly __type?: T;
}

/** One value per key, folded with `reduceFunction` on add (ReducingState). */
export class ReducingStateDescriptor<T> extends AbstractStateDescriptor {
  readonly kind = 'reducing' as const;
  readonly reduceFunction: (a: T, b: T) => T;

  constructor(name: string, reduceFunction: (a: T, b: T) => T) {
    super(name);
    if (typeof reduceFunction !== 'function') throw new Error(`ReducingStateDescriptor '${name}' needs a reduce function (a, b) => c`);
    this.reduceFunction = reduceFunction;
  }
}

/** An accumulator per key, fed and read through `aggregateFunction` (AggregatingState). */
export class AggregatingStateDescriptor<IN, ACC, OUT> extends AbstractStateDescriptor {
  readonly kind = 'aggregating' as const;
  readonly aggregateFunction: AggregateFunction<IN, ACC, OUT>;

  constructor(name: string, aggregateFunction: AggregateFunction<IN, ACC, OUT>) {
    super(name);
    if (typeof aggregateFunction?.createAccumulator !== 'function' || typeof aggregateFunction.add !== 'function' || typeof aggregateFunction.getResult !== 'function') {
      throw new Error(`AggregatingStateDescriptor '${name}' needs an AggregateFunction (createAccumulator, add, getResult, merge)`);
    }
    this.aggregateFunction = aggregateFunction;
  }
}

/** A map per key (MapState); user keys compare by value, as keyBy keys do. */
export class MapStateDescriptor<UK, UV> extends AbstractStateDescriptor {
  readonly kind = 'map' as const;
  /** Phantom: carries UK and UV; never set. */
  declare readonly __types?: [UK, UV];
}

export type StateDescriptor<T> = ValueStateDescriptor<T>;
