import type { ValueState } from '../streaming/keyed-value-state.ts';
import type { AggregateFunction } from '../streaming/windowing/window-functions.ts';
import type { HeapKeyedStateBackend, StateTable } from './heap-keyed-state-backend.ts';
import type { AggregatingState, ListState, MapState, ReducingState } from './keyed-state.ts';
import { stateKeyOf, type StateKey } from './state-key.ts';

/** Flink's message for state read or written while no key is current (e.g. in open()). */
export const NO_KEY_SET_MESSAGE = 'No key set. This method should not be called outside of a keyed context.';

/**
 * A state handle bound to the backend's current key and to its own current namespace (Flink's
 * AbstractHeapState): every kind keeps one entry per key group, namespace and key in its table.
 */
abstract class AbstractHeapState<S> {
  protected readonly backend: HeapKeyedStateBackend;
  protected readonly table: StateTable<S>;
  private namespace: StateKey = undefined;
  // The map of the key group and namespace last used: a keyed operator reads and then writes the
  // same key, so the write skips the key-group and namespace lookups.
  private lastEntries: Map<StateKey, S> | undefined = undefined;
  private lastKeyGroup = -1;
  private lastDropped = -1;

  constructor(backend: HeapKeyedStateBackend, table: StateTable<S>) {
    this.backend = backend;
    this.table = table;
  }

  /** Windows scope state to a window: Flink's InternalKvState#setCurrentNamespace. */
  setCurrentNamespace(namespace: unknown): void {
    const key = stateKeyOf(namespace);
    if (key === this.namespace) return;
    this.namespace = key;
    this.lastEntries = undefined;
  }

  clear(): void {
    const b = this.backend;
    this.table.remove(this.keyGroup(), this.namespace, b.getCurrentStateKey());
  }

  /** Entries over every key and namespace. */
  get size(): number {
    return this.table.size;
  }

  protected getInternal(): S | undefined {
    return this.entriesOf(this.keyGroup())?.get(this.backend.getCurrentStateKey());
  }

  protected updateInternal(value: S | undefined): void {
    if (value === undefined || value === null) {
      this.clear();
      return;
    }
    const keyGroup = this.keyGroup();
    let entries = this.entriesOf(keyGroup);
    if (entries === undefined) {
      entries = this.table.entriesToWrite(keyGroup, this.namespace);
      this.remember(keyGroup, entries);
    }
    entries.set(this.backend.getCurrentStateKey(), value);
  }

  private keyGroup(): number {
    const group = this.backend.getCurrentKeyGroupIndex();
    if (group < 0) throw new Error(NO_KEY_SET_MESSAGE);
    return group;
  }

  private entriesOf(keyGroup: number): Map<StateKey, S> | undefined {
    if (keyGroup === this.lastKeyGroup && this.lastEntries !== undefined && this.lastDropped === this.table.dropped) return this.lastEntries;
    const entries = this.table.entries(keyGroup, this.namespace);
    if (entries !== undefined) this.remember(keyGroup, entries);
    return entries;
  }

  private remember(keyGroup: number, entries: Map<StateKey, S>): void {
    this.lastEntries = entries;
    this.lastKeyGroup = keyGroup;
    this.lastDropped = this.table.dropped;
  }
}

export class KeyedValueState<T> extends AbstractHeapState<T> implements ValueState<T> {
  private readonly defaultValue: T | undefined;

  constructor(backend: HeapKeyedStateBackend, table: StateTable<T>, defaultValue: T | undefined) {
    super(backend, table);
    this.defaultValue = defaultValue;
  }

  value(): T | undefined {
    const v = this.getInternal();
    return v === undefined ? this.defaultValue : v;
  }

  update(value: T): void {
    this.updateInternal(value);
  }
}

export class HeapListState<T> extends AbstractHeapState<T[]> implements ListState<T> {
  get(): T[] {
    return this.getInternal() ?? [];
  }

  add(value: T): void {
    if (value === undefined || value === null) throw new Error('You cannot add null to a ListState.');
    const list = this.getInternal();
    if (list === undefined) this.updateInternal([value]);
    else list.push(value);
  }

  addAll(values: Iterable<T>): void {
    for (const v of values) this.add(v);
  }

  update(values: Iterable<T>): void {
    const list = [...values];
    if (list.some((v) => v === undefined || v === null)) throw new Error('You cannot add null to a ListState.');
    this.updateInternal(list.length === 0 ? undefined : list);
  }
}

export class HeapReducingState<T> extends AbstractHeapState<T> implements ReducingState<T> {
  private readonly reduce: (a: T, b: T) => T;

  constructor(backend: HeapKeyedStateBackend, table: StateTable<T>, reduce: (a: T, b: T) => T) {
    super(backend, table);
    this.reduce = reduce;
  }

  get(): T | undefined {
    return this.getInternal();
  }

  add(value: T): void {
    const current = this.getInternal();
    this.updateInternal(current === undefined ? value : this.reduce(current, value));
  }
}

export class HeapAggregatingState<IN, ACC, OUT> extends AbstractHeapState<ACC> implements AggregatingState<IN, OUT> {
  private readonly fn: AggregateFunction<IN, ACC, OUT>;

  constructor(backend: HeapKeyedStateBackend, table: StateTable<ACC>, fn: AggregateFunction<IN, ACC, OUT>) {
    super(backend, table);
    this.fn = fn;
  }

  get(): OUT | undefined {
    const acc = this.getInternal();
    return acc === undefined ? undefined : this.fn.getResult(acc);
  }

  add(value: IN): void {
    const acc = this.getInternal();
    this.updateInternal(this.fn.add(value, acc === undefined ? this.fn.createAccumulator() : acc));
  }
}

/** The key's map: user key (compared by value, as state keys are) -> [user key, value]. */
type UserMap<UK, UV> = Map<StateKey, [UK, UV]>;

export class HeapMapState<UK, UV> extends AbstractHeapState<UserMap<UK, UV>> implements MapState<UK, UV> {
  get(key: UK): UV | undefined {
    return this.getInternal()?.get(stateKeyOf(key))?.[1];
  }

  put(key: UK, value: UV): void {
    let map = this.getInternal();
    if (map === undefined) this.updateInternal((map = new Map()));
    map.set(stateKeyOf(key), [key, value]);
  }

  putAll(entries: Iterable<readonly [UK, UV]> | ReadonlyMap<UK, UV>): void {
    for (const [k, v] of entries) this.put(k, v);
  }

  remove(key: UK): void {
    const map = this.getInternal();
    if (map === undefined) return;
    map.delete(stateKeyOf(key));
    if (map.size === 0) this.clear();
  }

  contains(key: UK): boolean {
    return this.getInternal()?.has(stateKeyOf(key)) ?? false;
  }

  *entries(): IterableIterator<[UK, UV]> {
    for (const [k, v] of this.getInternal()?.values() ?? []) yield [k, v];
  }

  *keys(): IterableIterator<UK> {
    for (const [k] of this.getInternal()?.values() ?? []) yield k;
  }

  *values(): IterableIterator<UV> {
    for (const [, v] of this.getInternal()?.values() ?? []) yield v;
  }

  isEmpty(): boolean {
    return this.getInternal() === undefined;
  }
}
