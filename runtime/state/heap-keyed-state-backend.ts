import { assignToKeyGroup, computeKeyGroupRangeForOperatorIndex, type KeyGroupRange } from '../jobgraph/key-groups.ts';
import { HeapAggregatingState, HeapListState, HeapMapState, HeapReducingState, KeyedValueState } from './heap-states.ts';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, StateDescriptor, StateKind } from './state-descriptor.ts';
import { stateKeyOf, type StateKey } from './state-key.ts';
import { KeyGroupedTimerQueue } from './key-grouped-timer-queue.ts';
import { readKeyGroupsSnapshot, writeKeyGroupsSnapshot, type KeyGroupsStateHandle } from './key-groups-state-snapshot.ts';

/** The namespace of state that belongs to no window (Flink's VoidNamespace). */
export const VOID_NAMESPACE: StateKey = undefined;

export { KeyedValueState } from './heap-states.ts';

/** The namespace -> key -> value maps of one key group (Flink's StateMap). */
export type KeyGroupState<V> = Map<StateKey, Map<StateKey, V>>;

/**
 * One registered state's values: key group -> namespace -> key -> value (Flink's StateTable of
 * StateMaps, one per key group), so a checkpoint can write and a restore read one key-group range.
 * The key groups sit in an array indexed by key group (read once or twice per record), over all
 * of max parallelism: a test harness may hand a subtask keys outside its own range.
 */
export class StateTable<V> {
  readonly name: string;
  readonly kind: StateKind;
  private readonly groups: (KeyGroupState<V> | undefined)[];
  /**
   * Bumped whenever an emptied namespace map is dropped, so that a state handle holding on to a
   * map it looked up (AbstractHeapState) knows it may be stale.
   */
  dropped = 0;

  constructor(name: string, kind: StateKind, maxParallelism: number) {
    this.name = name;
    this.kind = kind;
    this.groups = new Array<KeyGroupState<V> | undefined>(maxParallelism).fill(undefined);
  }

  get(keyGroup: number, namespace: StateKey, key: StateKey): V | undefined {
    return this.entries(keyGroup, namespace)?.get(key);
  }

  put(keyGroup: number, namespace: StateKey, key: StateKey, value: V): void {
    this.entriesToWrite(keyGroup, namespace).set(key, value);
  }

  remove(keyGroup: number, namespace: StateKey, key: StateKey): void {
    const group = this.groups[keyGroup];
    const entries = group?.get(namespace);
    if (!entries?.delete(key) || entries.size > 0) return;
    this.dropped++;
    group!.delete(namespace);
    if (group!.size === 0) this.groups[keyGroup] = undefined;
  }

  /** The key -> value map of one key group and namespace, if it holds any entry. */
  entries(keyGroup: number, namespace: StateKey): Map<StateKey, V> | undefined {
    return this.groups[keyGroup]?.get(namespace);
  }

  /** The key -> value map of one key group and namespace, created when missing. */
  entriesToWrite(keyGroup: number, namespace: StateKey): Map<StateKey, V> {
    if (keyGroup < 0 || keyGroup >= this.groups.length) throw new RangeError(`key group ${keyGroup} is outside max parallelism ${this.groups.length}`);
    let group = this.groups[keyGroup];
    if (!group) this.groups[keyGroup] = group = new Map<StateKey, Map<StateKey, V>>();
    let entries = group.get(namespace);
    if (!entries) group.set(namespace, (entries = new Map<StateKey, V>()));
    return entries;
  }

  /** The key groups that hold entries, in order (what a snapshot of a key-group range writes). */
  *keyGroups(): IterableIterator<[keyGroup: number, state: ReadonlyMap<StateKey, ReadonlyMap<StateKey, V>>]> {
    for (let i = 0; i < this.groups.length; i++) {
      const group = this.groups[i];
      if (group !== undefined) yield [i, group];
    }
  }

  /** Entries over every key group and namespace. */
  get size(): number {
    let n = 0;
    for (const group of this.groups) if (group !== undefined) for (const entries of group.values()) n += entries.size;
    return n;
  }
}

export interface HeapKeyedStateBackendOptions {
  readonly maxParallelism: number;
  readonly parallelism: number;
  readonly subtaskIndex: number;
}

export interface RestoreOptions {
  /** Turns a timer's restored namespace (plain fields) back into the window it was. */
  readonly timerNamespace?: (timerQueue: string, namespace: unknown) => unknown;
}

/**
 * The keyed state of one operator in one subtask, on the heap (Flink's HeapKeyedStateBackend):
 * the current key (set per record, or per timer), its key group, and every registered state and
 * timer queue, all grouped by key group within this subtask's range.
 */
export class HeapKeyedStateBackend {
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  private readonly tables = new Map<string, StateTable<unknown>>();
  private readonly timerQueues = new Map<string, KeyGroupedTimerQueue>();
  private currentKey: unknown = undefined;
  private currentStateKey: StateKey = undefined;
  private currentKeyGroup = -1;

  constructor(options: HeapKeyedStateBackendOptions) {
    this.maxParallelism = options.maxParallelism;
    this.keyGroupRange = computeKeyGroupRangeForOperatorIndex(options.maxParallelism, options.parallelism, options.subtaskIndex);
  }

  setCurrentKey(key: unknown): void {
    this.currentKey = key;
    this.currentStateKey = stateKeyOf(key);
    this.currentKeyGroup = assignToKeyGroup(key, this.maxParallelism);
  }

  /** For timers, which store the key group and state key they were registered under. */
  setCurrentKeyFrom(key: unknown, stateKey: StateKey, keyGroup: number): void {
    this.currentKey = key;
    this.currentStateKey = stateKey;
    this.currentKeyGroup = keyGroup;
  }

  getCurrentKey(): unknown {
    return this.currentKey;
  }

  getCurrentStateKey(): StateKey {
    return this.currentStateKey;
  }

  getCurrentKeyGroupIndex(): number {
    return this.currentKeyGroup;
  }

  /** The state of `descriptor`, scoped to the current key and, by default, the void namespace. */
  getState<T>(descriptor: StateDescriptor<T>): KeyedValueState<T> {
    return new KeyedValueState<T>(this, this.table<T>(descriptor.name, descriptor.kind), descriptor.defaultValue);
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): HeapListState<T> {
    return new HeapListState<T>(this, this.table<T[]>(descriptor.name, descriptor.kind));
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): HeapReducingState<T> {
    return new HeapReducingState<T>(this, this.table<T>(descriptor.name, descriptor.kind), descriptor.reduceFunction);
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): HeapAggregatingState<IN, ACC, OUT> {
    return new HeapAggregatingState<IN, ACC, OUT>(this, this.table<ACC>(descriptor.name, descriptor.kind), descriptor.aggregateFunction);
  }

  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): HeapMapState<UK, UV> {
    return new HeapMapState<UK, UV>(this, this.table(descriptor.name, descriptor.kind));
  }

  /** The named timer queue (Flink's PriorityQueueSetFactory#create), kept with the keyed state. */
  timerQueue(name: string): KeyGroupedTimerQueue {
    let queue = this.timerQueues.get(name);
    if (!queue) this.timerQueues.set(name, (queue = new KeyGroupedTimerQueue()));
    return queue;
  }

  /** Registered states by name (what a snapshot writes). */
  get stateTables(): ReadonlyMap<string, StateTable<unknown>> {
    return this.tables;
  }

  get timerQueueNames(): string[] {
    return [...this.timerQueues.keys()];
  }

  /** The bytes of every state and timer of `range` (by default this subtask's whole range). */
  snapshot(range: KeyGroupRange = this.keyGroupRange): KeyGroupsStateHandle {
    return writeKeyGroupsSnapshot(this.maxParallelism, range, this.tables.values(), this.timerQueues);
  }

  /**
   * Adds the state of snapshots taken at any parallelism, keeping only the key groups of this
   * subtask's range (Flink restores the handles whose ranges intersect its own, then skips the
   * groups outside it). A snapshot of another max parallelism is refused: its key groups are not
   * these key groups. A timer's namespace is written as a plain value, so a window comes back as
   * its fields: `timerNamespace` rebuilds it (the part of Flink's namespace serializer a value
   * format cannot carry).
   */
  restore(handles: Iterable<KeyGroupsStateHandle>, options: RestoreOptions = {}): void {
    const rebuild = options.timerNamespace;
    const { startKeyGroup: start, endKeyGroup: end } = this.keyGroupRange;
    for (const handle of handles) {
      if (handle.keyGroupRange.endKeyGroup < start || handle.keyGroupRange.startKeyGroup > end) continue;
      const snapshot = readKeyGroupsSnapshot(handle.bytes);
      if (snapshot.maxParallelism !== this.maxParallelism) {
        throw new Error(`Cannot restore keyed state written with max parallelism ${snapshot.maxParallelism} into max parallelism ${this.maxParallelism}: the max parallelism of a keyed operator cannot change`);
      }
      for (const state of snapshot.states) {
        const table = this.table<unknown>(state.name, state.kind);
        for (const [keyGroup, entries] of state.keyGroups) {
          if (keyGroup < start || keyGroup > end) continue;
          for (const e of entries) table.put(keyGroup, e.namespace, e.key, e.value);
        }
      }
      for (const { name, timers } of snapshot.timerQueues) {
        const queue = this.timerQueue(name);
        for (const t of timers) {
          if (t.keyGroup < start || t.keyGroup > end) continue;
          queue.addTimer(t.timestamp, t.key, t.stateKey, t.keyGroup, rebuild ? rebuild(name, t.namespace) : t.namespace, t.namespaceKey);
        }
      }
    }
  }

  private table<T>(name: string, kind: StateKind): StateTable<T> {
    const existing = this.tables.get(name);
    if (existing) {
      if (existing.kind !== kind) throw new Error(`State '${name}' is already registered as ${String(existing.kind)} state; it cannot also be ${String(kind)} state`);
      return existing as StateTable<T>;
    }
    const table = new StateTable<T>(name, kind, this.maxParallelism);
    this.tables.set(name, table);
    return table;
  }
}
