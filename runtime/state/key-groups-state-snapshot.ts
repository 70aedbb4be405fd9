import type { KeyGroupRange } from '../jobgraph/key-groups.ts';
import { DataInputView } from '../network/data-input-view.ts';
import { DataOutputView } from '../network/data-output-view.ts';
import { ValueSerializer } from '../network/record-serializer.ts';
import type { StateTable } from './heap-keyed-state-backend.ts';
import type { InternalTimer, KeyGroupedTimerQueue } from './key-grouped-timer-queue.ts';
import type { StateKind } from './state-descriptor.ts';
import { stateKeyOf, type StateKey } from './state-key.ts';

/**
 * The keyed state of one key-group range as bytes (Flink's KeyGroupsStateHandle with the
 * serialisation of a full heap snapshot): what a checkpoint stores and a restore, possibly at
 * another parallelism, reads back. Layout, all integers big-endian:
 *
 *   u32 magic 'WKGS', u32 version, u32 maxParallelism, u32 startKeyGroup, u32 endKeyGroup
 *   u32 states; per state: name, kind, u32 key groups;
 *     per key group: u32 key group, u32 entries; per entry: namespace, key, value
 *   u32 timer queues; per queue: name, u32 timers;
 *     per timer: u32 key group, f64 timestamp, key, state key, namespace, namespace key
 *
 * Keys, namespaces and values are ValueSerializer values; a map state's value is a u32 count of
 * (user key, user value) pairs. Bumping the version is how the layout changes: a reader refuses
 * any version it does not know rather than guessing.
 */
export const KEY_GROUPS_SNAPSHOT_MAGIC = 0x574b4753; // 'WKGS'
export const KEY_GROUPS_SNAPSHOT_VERSION = 1;

const KINDS: readonly StateKind[] = ['value', 'list', 'reducing', 'aggregating', 'map'];
const values = new ValueSerializer();

/** Flink's KeyGroupsStateHandle: the bytes of a snapshot and the key groups they cover. */
export interface KeyGroupsStateHandle {
  readonly keyGroupRange: KeyGroupRange;
  readonly bytes: Buffer;
}

/** One state's entries in one key group, as read from a snapshot. */
export interface SnapshotEntry {
  readonly namespace: StateKey;
  readonly key: StateKey;
  readonly value: unknown;
}

export interface SnapshotState {
  readonly name: string;
  readonly kind: StateKind;
  readonly keyGroups: ReadonlyMap<number, readonly SnapshotEntry[]>;
}

export interface SnapshotTimerQueue {
  readonly name: string;
  readonly timers: readonly Omit<InternalTimer, 'seq' | 'deleted'>[];
}

export interface KeyGroupsSnapshot {
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly states: readonly SnapshotState[];
  readonly timerQueues: readonly SnapshotTimerQueue[];
}

/** Thrown for bytes that are not a snapshot this code can read. */
export class StateSnapshotFormatError extends Error {
  override readonly name = 'StateSnapshotFormatError';
}

export function writeKeyGroupsSnapshot(
  maxParallelism: number,
  range: KeyGroupRange,
  tables: Iterable<StateTable<unknown>>,
  timerQueues: ReadonlyMap<string, KeyGroupedTimerQueue>,
): KeyGroupsStateHandle {
  const out = new DataOutputView(Buffer.allocUnsafe(4096), true);
  out.writeU32(KEY_GROUPS_SNAPSHOT_MAGIC);
  out.writeU32(KEY_GROUPS_SNAPSHOT_VERSION);
  out.writeU32(maxParallelism);
  out.writeU32(range.startKeyGroup);
  out.writeU32(range.endKeyGroup);
  const states = [...tables];
  out.writeU32(states.length);
  for (const table of states) {
    out.writeString(table.name);
    out.writeString(table.kind);
    const groups = [...table.keyGroups()].filter(([g]) => g >= range.startKeyGroup && g <= range.endKeyGroup);
    out.writeU32(groups.length);
    for (const [keyGroup, byNamespace] of groups) {
      out.writeU32(keyGroup);
      let count = 0;
      for (const entries of byNamespace.values()) count += entries.size;
      out.writeU32(count);
      for (const [namespace, entries] of byNamespace) {
        for (const [key, value] of entries) {
          values.serialize(namespace, out);
          values.serialize(key, out);
          writeStateValue(table.kind, value, out);
        }
      }
    }
  }
  out.writeU32(timerQueues.size);
  for (const [name, queue] of timerQueues) {
    const timers = queue.timersOfKeyGroups(range.startKeyGroup, range.endKeyGroup);
    out.writeString(name);
    out.writeU32(timers.length);
    for (const t of timers) {
      out.writeU32(t.keyGroup);
      out.writeF64(t.timestamp);
      values.serialize(t.key, out);
      values.serialize(t.stateKey, out);
      values.serialize(t.namespace, out);
      values.serialize(t.namespaceKey, out);
    }
  }
  return { keyGroupRange: { ...range }, bytes: Buffer.from(out.bytes.subarray(0, out.pos)) };
}

export function readKeyGroupsSnapshot(bytes: Buffer): KeyGroupsSnapshot {
  const input = new DataInputView(bytes);
  try {
    if (bytes.length < 8) throw new StateSnapshotFormatError(`not a keyed state snapshot: ${bytes.length} bytes, shorter than its header`);
    const magic = input.readU32();
    if (magic !== KEY_GROUPS_SNAPSHOT_MAGIC) throw new StateSnapshotFormatError(`not a keyed state snapshot: magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x${KEY_GROUPS_SNAPSHOT_MAGIC.toString(16)}`);
    const version = input.readU32();
    if (version !== KEY_GROUPS_SNAPSHOT_VERSION) throw new StateSnapshotFormatError(`keyed state snapshot version ${version} is not supported (this runtime reads version ${KEY_GROUPS_SNAPSHOT_VERSION})`);
    const maxParallelism = input.readU32();
    const keyGroupRange = { startKeyGroup: input.readU32(), endKeyGroup: input.readU32() };
    if (keyGroupRange.startKeyGroup > keyGroupRange.endKeyGroup || keyGroupRange.endKeyGroup >= maxParallelism) {
      throw new StateSnapshotFormatError(`corrupt keyed state snapshot: key groups [${keyGroupRange.startKeyGroup}, ${keyGroupRange.endKeyGroup}] outside max parallelism ${maxParallelism}`);
    }
    const inRange = (g: number): number => {
      if (g < keyGroupRange.startKeyGroup || g > keyGroupRange.endKeyGroup) throw new StateSnapshotFormatError(`corrupt keyed state snapshot: key group ${g} outside its range [${keyGroupRange.startKeyGroup}, ${keyGroupRange.endKeyGroup}]`);
      return g;
    };
    const states: SnapshotState[] = [];
    for (let s = input.readU32(); s > 0; s--) {
      const name = input.readString();
      const kind = input.readString() as StateKind;
      if (!KINDS.includes(kind)) throw new StateSnapshotFormatError(`corrupt keyed state snapshot: state '${name}' has unknown kind '${kind}'`);
      const keyGroups = new Map<number, SnapshotEntry[]>();
      for (let g = input.readU32(); g > 0; g--) {
        const keyGroup = inRange(input.readU32());
        const entries: SnapshotEntry[] = [];
        for (let e = input.readU32(); e > 0; e--) {
          const namespace = values.deserialize(input) as StateKey;
          const key = values.deserialize(input) as StateKey;
          entries.push({ namespace, key, value: readStateValue(kind, input) });
        }
        keyGroups.set(keyGroup, entries);
      }
      states.push({ name, kind, keyGroups });
    }
    const timerQueues: SnapshotTimerQueue[] = [];
    for (let q = input.readU32(); q > 0; q--) {
      const name = input.readString();
      const timers: Omit<InternalTimer, 'seq' | 'deleted'>[] = [];
      for (let t = input.readU32(); t > 0; t--) {
        const keyGroup = inRange(input.readU32());
        const timestamp = input.readF64();
        const key = values.deserialize(input);
        const stateKey = values.deserialize(input) as StateKey;
        const namespace = values.deserialize(input);
        const namespaceKey = values.deserialize(input) as StateKey;
        timers.push({ timestamp, key, stateKey, keyGroup, namespace, namespaceKey });
      }
      timerQueues.push({ name, timers });
    }
    if (input.pos !== bytes.length) throw new StateSnapshotFormatError(`corrupt keyed state snapshot: ${bytes.length - input.pos} bytes after its end`);
    return { maxParallelism, keyGroupRange, states, timerQueues };
  } catch (e) {
    if (e instanceof StateSnapshotFormatError) throw e;
    // A truncated or garbled body surfaces as a read past the end or an unknown value tag.
    throw new StateSnapshotFormatError(`corrupt keyed state snapshot: ${(e as Error).message}`, { cause: e });
  }
}

function writeStateValue(kind: StateKind, value: unknown, out: DataOutputView): void {
  if (kind !== 'map') {
    values.serialize(value, out);
    return;
  }
  // The heap map keeps state key -> [user key, user value]; the user key alone rebuilds both.
  const map = value as ReadonlyMap<StateKey, readonly [unknown, unknown]>;
  out.writeU32(map.size);
  for (const [userKey, userValue] of map.values()) {
    values.serialize(userKey, out);
    values.serialize(userValue, out);
  }
}

function readStateValue(kind: StateKind, input: DataInputView): unknown {
  if (kind !== 'map') return values.deserialize(input);
  const map = new Map<StateKey, [unknown, unknown]>();
  for (let n = input.readU32(); n > 0; n--) {
    const userKey = values.deserialize(input);
    map.set(stateKeyOf(userKey), [userKey, values.deserialize(input)]);
  }
  return map;
}
