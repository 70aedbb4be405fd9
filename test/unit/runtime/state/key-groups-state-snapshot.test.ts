import { describe, expect, it } from 'vitest';
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from '../../../../runtime/jobgraph/key-groups.ts';
import { HeapKeyedStateBackend } from '../../../../runtime/state/heap-keyed-state-backend.ts';
import { KEY_GROUPS_SNAPSHOT_VERSION, StateSnapshotFormatError, readKeyGroupsSnapshot } from '../../../../runtime/state/key-groups-state-snapshot.ts';
import { ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../../../runtime/state/state-descriptor.ts';
import { stateKeyOf } from '../../../../runtime/state/state-key.ts';
import { TimeWindow } from '../../../../runtime/streaming/windowing/time-window.ts';

const MAX_PARALLELISM = 128;
const KEYS = Array.from({ length: 40 }, (_, i) => `user-${i}`);

const count = new ValueStateDescriptor<number>('count', 0);
const seen = new ListStateDescriptor<string>('seen');
const sum = new ReducingStateDescriptor<number>('sum', (a, b) => a + b);
const last = new MapStateDescriptor<string, { at: number; tags: string[] }>('last');
const windowSum = new ReducingStateDescriptor<number>('window-contents', (a, b) => a + b);

function backend(parallelism: number, subtaskIndex: number): HeapKeyedStateBackend {
  return new HeapKeyedStateBackend({ maxParallelism: MAX_PARALLELISM, parallelism, subtaskIndex });
}

/** Every kind of state, a window namespace and a timer per key, as a windowed job leaves them. */
function fill(b: HeapKeyedStateBackend, keys: readonly unknown[]): void {
  const window = new TimeWindow(0, 1000);
  for (const [i, key] of keys.entries()) {
    b.setCurrentKey(key);
    b.getState(count).update(i);
    b.getListState(seen).update([`a${i}`, `b${i}`]);
    b.getReducingState(sum).add(i);
    b.getReducingState(sum).add(0.5);
    b.getMapState(last).put(`k${i}`, { at: -0, tags: ['x', String(i)] });
    const ws = b.getReducingState(windowSum);
    ws.setCurrentNamespace(window.namespaceKey);
    ws.add(i * 10);
    b.timerQueue('window-timers').addTimer(window.maxTimestamp(), key, b.getCurrentStateKey(), b.getCurrentKeyGroupIndex(), window, window.namespaceKey);
  }
}

function expectState(b: HeapKeyedStateBackend, key: unknown, i: number): void {
  b.setCurrentKey(key);
  expect(b.getState(count).value()).toBe(i);
  expect(b.getListState(seen).get()).toEqual([`a${i}`, `b${i}`]);
  expect(b.getReducingState(sum).get()).toBe(i + 0.5);
  const map = b.getMapState(last);
  expect([...map.entries()]).toEqual([[`k${i}`, { at: -0, tags: ['x', String(i)] }]]);
  expect(Object.is(map.get(`k${i}`)!.at, -0)).toBe(true);
  const ws = b.getReducingState(windowSum);
  ws.setCurrentNamespace('0:1000');
  expect(ws.get()).toBe(i * 10);
}

function timerKeys(b: HeapKeyedStateBackend): unknown[] {
  const queue = b.timerQueue('window-timers');
  const keys: unknown[] = [];
  for (let t = queue.poll(); t; t = queue.poll()) keys.push(t.key);
  return keys.sort();
}

describe('keyed state snapshots by key-group range', () => {
  it('round-trips value, list, reducing, map and window-namespaced state and the timers of every key', () => {
    const source = backend(1, 0);
    const keys: unknown[] = [...KEYS, 7, ['tuple', 3], { id: 1, region: 'eu' }];
    fill(source, keys);
    const restored = backend(1, 0);
    restored.restore([source.snapshot()], { timerNamespace: (_queue, ns) => { const w = ns as TimeWindow; return new TimeWindow(w.start, w.end); } });
    keys.forEach((key, i) => expectState(restored, key, i));
    const queue = restored.timerQueue('window-timers');
    expect(queue.size).toBe(keys.length);
    const first = queue.peek()!;
    expect(first.timestamp).toBe(999);
    expect(first.namespace).toBeInstanceOf(TimeWindow);
    expect(first.stateKey).toBe(stateKeyOf(first.key));
    expect(first.keyGroup).toBe(assignToKeyGroup(first.key, MAX_PARALLELISM));
    expect(timerKeys(restored)).toEqual(timerKeys(source));
  });

  it('restores two subtasks (p=2) into one (p=1): every key of both', () => {
    const [left, right] = [backend(2, 0), backend(2, 1)];
    // One fill() per key, so every key holds the values fill() gives its first key.
    for (const key of KEYS) fill(assignKeyTo(key, 2) === 0 ? left : right, [key]);
    const one = backend(1, 0);
    one.restore([left.snapshot(), right.snapshot()]);
    for (const key of KEYS) expectState(one, key, 0);
    expect(timerKeys(one)).toEqual([...KEYS].sort());
    expect(one.stateTables.get('count')!.size).toBe(KEYS.length);
  });

  it('restores one subtask (p=1) into two (p=2): each key only where its key group belongs', () => {
    const one = backend(1, 0);
    fill(one, KEYS);
    const handle = one.snapshot();
    const subtasks = [backend(2, 0), backend(2, 1)];
    for (const s of subtasks) s.restore([handle]);
    const owned = subtasks.map(() => [] as string[]);
    KEYS.forEach((key, i) => {
      const owner = assignKeyTo(key, 2);
      owned[owner]!.push(key);
      expectState(subtasks[owner]!, key, i);
      const other = subtasks[1 - owner]!;
      other.setCurrentKey(key);
      expect(other.getListState(seen).get()).toEqual([]);
    });
    expect(owned[0]!.length).toBeGreaterThan(0);
    expect(owned[1]!.length).toBeGreaterThan(0);
    subtasks.forEach((s, i) => {
      expect(s.stateTables.get('count')!.size).toBe(owned[i]!.length);
      expect(timerKeys(s)).toEqual(owned[i]!.sort());
    });
  });

  it('a snapshot of a sub-range holds only those key groups', () => {
    const one = backend(1, 0);
    fill(one, KEYS);
    const range = { startKeyGroup: 0, endKeyGroup: 63 };
    const snapshot = readKeyGroupsSnapshot(one.snapshot(range).bytes);
    expect(snapshot.keyGroupRange).toEqual(range);
    const groups = snapshot.states.flatMap((s) => [...s.keyGroups.keys()]);
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.every((g) => g <= 63)).toBe(true);
  });

  it('refuses bytes that are not a snapshot, of an unknown version, truncated or of another max parallelism', () => {
    const one = backend(1, 0);
    fill(one, KEYS);
    const { bytes, keyGroupRange } = one.snapshot();
    const restore = (b: Buffer): void => backend(1, 0).restore([{ keyGroupRange, bytes: b }]);

    const notSnapshot = Buffer.from(bytes);
    notSnapshot.writeUInt32BE(0xdeadbeef, 0);
    expect(() => restore(notSnapshot)).toThrow(StateSnapshotFormatError);
    expect(() => restore(notSnapshot)).toThrow(/not a keyed state snapshot: magic 0xdeadbeef/);

    const future = Buffer.from(bytes);
    future.writeUInt32BE(KEY_GROUPS_SNAPSHOT_VERSION + 1, 4);
    expect(() => restore(future)).toThrow(`keyed state snapshot version ${KEY_GROUPS_SNAPSHOT_VERSION + 1} is not supported`);

    expect(() => restore(bytes.subarray(0, bytes.length - 3))).toThrow(/corrupt keyed state snapshot/);
    expect(() => restore(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/1 bytes after its end/);
    expect(() => restore(Buffer.alloc(3))).toThrow(StateSnapshotFormatError);

    const other = new HeapKeyedStateBackend({ maxParallelism: 256, parallelism: 1, subtaskIndex: 0 });
    expect(() => other.restore([{ keyGroupRange, bytes }])).toThrow(/max parallelism 128 into max parallelism 256/);
  });

  it('refuses a snapshot whose state was registered as another kind', () => {
    const one = backend(1, 0);
    fill(one, KEYS);
    const b = backend(1, 0);
    b.getState(new ValueStateDescriptor<number>('seen'));
    expect(() => b.restore([one.snapshot()])).toThrow(/'seen' is already registered as value state/);
  });
});

function assignKeyTo(key: unknown, parallelism: number): number {
  return computeOperatorIndexForKeyGroup(MAX_PARALLELISM, parallelism, assignToKeyGroup(key, MAX_PARALLELISM));
}
