import { describe, expect, it } from 'vitest';
import { HeapKeyedStateBackend } from '../../../../runtime/state/heap-keyed-state-backend.ts';
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../../../../runtime/state/state-descriptor.ts';

function backend(): HeapKeyedStateBackend {
  return new HeapKeyedStateBackend({ maxParallelism: 128, parallelism: 1, subtaskIndex: 0 });
}

describe('HeapKeyedStateBackend: the kinds of keyed state, each scoped to the current key', () => {
  it('ValueState: the default for a key never set, one value per key', () => {
    const b = backend();
    const count = b.getState(new ValueStateDescriptor<number>('count', 0));
    b.setCurrentKey('a');
    count.update(count.value()! + 5);
    b.setCurrentKey('b');
    expect(count.value()).toBe(0);
    b.setCurrentKey('a');
    expect(count.value()).toBe(5);
    count.clear();
    expect(count.value()).toBe(0);
  });

  it('ListState: appends per key, empty list when none, update replaces, null refused', () => {
    const b = backend();
    const list = b.getListState(new ListStateDescriptor<string>('seen'));
    b.setCurrentKey(['k', 1]);
    expect(list.get()).toEqual([]);
    list.add('x');
    list.addAll(['y', 'z']);
    b.setCurrentKey(['k', 2]);
    list.add('other');
    b.setCurrentKey(['k', 1]);
    expect(list.get()).toEqual(['x', 'y', 'z']);
    list.update(['only']);
    expect(list.get()).toEqual(['only']);
    expect(() => list.add(null as unknown as string)).toThrow('You cannot add null to a ListState.');
    list.update([]);
    expect(list.get()).toEqual([]);
    expect(list.size).toBe(1); // the other key's list
  });

  it('ReducingState and AggregatingState fold what is added per key', () => {
    const b = backend();
    const max = b.getReducingState(new ReducingStateDescriptor<number>('max', (x, y) => Math.max(x, y)));
    const avg = b.getAggregatingState(
      new AggregatingStateDescriptor<number, [number, number], number>('avg', {
        createAccumulator: () => [0, 0],
        add: (v, [s, n]) => [s + v, n + 1],
        getResult: ([s, n]) => s / n,
        merge: ([s1, n1], [s2, n2]) => [s1 + s2, n1 + n2],
      }),
    );
    b.setCurrentKey('a');
    expect(max.get()).toBeUndefined();
    expect(avg.get()).toBeUndefined();
    for (const v of [3, 9, 6]) {
      max.add(v);
      avg.add(v);
    }
    b.setCurrentKey('b');
    max.add(1);
    b.setCurrentKey('a');
    expect(max.get()).toBe(9);
    expect(avg.get()).toBe(6);
  });

  it('MapState: user keys compare by value, per current key', () => {
    const b = backend();
    const map = b.getMapState(new MapStateDescriptor<[string, number], string>('index'));
    b.setCurrentKey('a');
    expect(map.isEmpty()).toBe(true);
    map.put(['x', 1], 'one');
    map.putAll([[['y', 2], 'two']]);
    expect(map.get(['x', 1])).toBe('one');
    expect(map.contains(['y', 2])).toBe(true);
    expect(map.contains(['x', 2])).toBe(false);
    expect([...map.keys()]).toEqual([['x', 1], ['y', 2]]);
    expect([...map.values()]).toEqual(['one', 'two']);
    b.setCurrentKey('b');
    expect([...map.entries()]).toEqual([]);
    b.setCurrentKey('a');
    map.remove(['x', 1]);
    expect([...map.entries()]).toEqual([[['y', 2], 'two']]);
    map.remove(['y', 2]);
    expect(map.isEmpty()).toBe(true);
  });

  it('refuses one name registered as two kinds, naming the state', () => {
    const b = backend();
    b.getState(new ValueStateDescriptor<number>('s'));
    expect(() => b.getListState(new ListStateDescriptor<number>('s'))).toThrow("State 's' is already registered as value state; it cannot also be list state");
  });

  it('refuses access while no key is current, with Flink message', () => {
    const b = backend();
    const s = b.getState(new ValueStateDescriptor<number>('s'));
    expect(() => s.value()).toThrow('No key set. This method should not be called outside of a keyed context.');
    expect(() => b.getListState(new ListStateDescriptor<number>('l')).add(1)).toThrow('No key set.');
  });
});
