import { describe, expect, it } from 'vitest';
import { app, ask, capacity, countBy, nodes, settle } from './scheduler-fixtures.ts';

const twoQueues = (a: number, b: number, extra: Record<string, string | number> = {}): Record<string, string | number> => ({
  'root.queues': 'a,b',
  'root.a.capacity': a,
  'root.b.capacity': b,
  ...extra,
});

describe('CapacityScheduler queue capacities', () => {
  it('defaults to a single leaf root.default at 100%', () => {
    const s = capacity();
    expect(s.leafQueues()).toEqual(['root.default']);
    expect(s.root.children[0]?.absoluteCapacity).toBe(1);
  });

  it('shares a contended cluster 70/30 by serving the least-used queue first', () => {
    // user-limit-factor 10 so that only queue ordering, not user limits, produces the split
    const s = capacity(twoQueues(70, 30, { 'root.a.user-limit-factor': 10, 'root.b.user-limit-factor': 10 }));
    const a = app({ queue: 'a', asks: [ask(10)] });
    const b = app({ queue: 'b', asks: [ask(10)] });
    const { allocations } = settle(s, { nodes: nodes(10, 1024, 1), apps: [a, b] });
    const byApp = countBy(allocations, (x) => x.attemptId);
    expect(byApp[a.attemptId]).toBe(7);
    expect(byApp[b.attemptId]).toBe(3);
  });

  it('lets a queue alone grow to its maximum capacity, not past it', () => {
    const s = capacity(twoQueues(30, 70, { 'root.a.maximum-capacity': 60, 'root.a.user-limit-factor': 10 }));
    const a = app({ queue: 'a', asks: [ask(10)] });
    const { allocations, waiting } = settle(s, { nodes: nodes(10, 1024, 1), apps: [a] });
    expect(allocations).toHaveLength(6);
    expect(waiting.get(a.appId)).toMatch(/Queue root\.a is at its maximum capacity/);
    expect(waiting.get(a.appId)).toContain('yarn.scheduler.capacity.root.a.maximum-capacity');
  });

  it('counts the whole container against the maximum capacity', () => {
    const s = capacity(twoQueues(30, 70, { 'root.a.maximum-capacity': 50, 'root.a.user-limit-factor': 10 }));
    const a = app({ queue: 'a', asks: [ask(5, 2048)] });
    // 50% of 10240 MB is 5120 MB: two 2048 MB containers fit, a third would make 6144 MB
    const { allocations, waiting } = settle(s, { nodes: nodes(5, 2048, 2), apps: [a] });
    expect(allocations).toHaveLength(2);
    expect(waiting.get(a.appId)).toMatch(/Queue root\.a is at its maximum capacity: used <memory:4096, vCores:2> of <memory:5120, vCores:5>/);
  });

  it('treats maximum-capacity -1 as 100%', () => {
    const s = capacity(twoQueues(30, 70, { 'root.a.maximum-capacity': -1, 'root.a.user-limit-factor': 10 }));
    const a = app({ queue: 'a', asks: [ask(10)] });
    expect(settle(s, { nodes: nodes(10, 1024, 1), apps: [a] }).allocations).toHaveLength(10);
  });

  it('caps a parent queue for all its children', () => {
    const s = capacity({
      'root.queues': 'p,q',
      'root.p.capacity': 50,
      'root.p.maximum-capacity': 50,
      'root.q.capacity': 50,
      'root.p.queues': 'p1,p2',
      'root.p.p1.capacity': 50,
      'root.p.p2.capacity': 50,
      'root.p.p1.user-limit-factor': 10,
    });
    const a = app({ queue: 'p1', asks: [ask(10)] });
    const { allocations, waiting } = settle(s, { nodes: nodes(10, 1024, 1), apps: [a] });
    expect(allocations).toHaveLength(5);
    expect(waiting.get(a.appId)).toMatch(/Queue root\.p is at its maximum capacity/);
  });
});

describe('CapacityScheduler configuration validation', () => {
  it('rejects sibling capacities that do not sum to 100, naming the parent and the sum', () => {
    expect(() => capacity(twoQueues(60, 30))).toThrow(/Illegal capacity of 90 for children of queue root/);
    expect(() =>
      capacity({ ...twoQueues(50, 50), 'root.a.queues': 'a1,a2', 'root.a.a1.capacity': 20, 'root.a.a2.capacity': 30 }),
    ).toThrow(/children of queue root\.a.*root\.a\.a1 \(20\)/);
  });

  it('rejects a capacity above the maximum capacity, naming the queue', () => {
    expect(() => capacity(twoQueues(60, 40, { 'root.a.maximum-capacity': 50 }))).toThrow(/queue root\.a: capacity \(60\) > maximum-capacity \(50\)/);
  });

  it('rejects values it cannot read, naming the key', () => {
    expect(() => capacity(twoQueues(60, 40, { 'root.a.state': 'PAUSED' }))).toThrow(/root\.a\.state/);
    expect(() => capacity({ 'root.queues': 'a', 'root.a.capacity': '2w' })).toThrow(/root\.a\.capacity.*weight/);
  });
});
