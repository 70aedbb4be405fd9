import { describe, expect, it } from 'vitest';
import { app, ask, capacity, countBy, node, nodes, res, settle } from './scheduler-fixtures.ts';

describe('CapacityScheduler AM limit (maximum-am-resource-percent)', () => {
  it('activates the first application and holds the next with YARN\'s AM-limit diagnostic', () => {
    // 10% of 8192 MB, rounded up to the 1024 MB minimum allocation = 1024 MB for AMs
    const s = capacity();
    const first = app({ amRequest: res(1024) });
    const second = app({ amRequest: res(1024) });
    const d = s.schedule({ nodes: [node('h0')], apps: [first, second] });
    expect(d.allocations.map((a) => [a.attemptId, a.isAm])).toEqual([[first.attemptId, true]]);
    const msg = d.waiting.get(second.appId) ?? '';
    expect(msg).toMatch(/^Application is added to the scheduler and is not yet activated\. Queue's AM resource limit exceeded\./);
    expect(msg).toContain('AM Resource Request = <memory:1024, vCores:1>; Queue Resource Limit for AM = <memory:1024, vCores:1>;');
    expect(msg).toContain('Queue AM Resource Usage = <memory:1024, vCores:1>;');
    expect(msg).toContain('yarn.scheduler.capacity.root.default.maximum-am-resource-percent');
  });

  it('always lets one application start, even when its AM alone exceeds the limit', () => {
    const s = capacity();
    const big = app({ amRequest: res(4096) });
    const next = app({ amRequest: res(1024) });
    const d = s.schedule({ nodes: [node('h0')], apps: [big, next] });
    expect(d.allocations.map((a) => a.attemptId)).toEqual([big.attemptId]);
    expect(d.waiting.get(next.appId)).toContain("Queue's AM resource limit exceeded");
  });

  it('admits more AMs when maximum-am-resource-percent is raised', () => {
    const s = capacity({ 'maximum-am-resource-percent': 0.5 });
    const apps = Array.from({ length: 6 }, () => app({ amRequest: res(1024) }));
    expect(s.schedule({ nodes: [node('h0')], apps }).allocations).toHaveLength(4);
  });

  it('says the cluster is empty when no node is running', () => {
    const a = app({ amRequest: res(1024) });
    expect(capacity().schedule({ nodes: [], apps: [a] }).waiting.get(a.appId)).toMatch(
      /^Application is added to the scheduler and is not yet activated\. Skipping AM assignment as cluster resource is empty\./,
    );
  });

  it('says when no node is big enough for the request', () => {
    const a = app({ asks: [ask(1, 4096)] });
    const msg = capacity().schedule({ nodes: nodes(2, 2048), apps: [a] }).waiting.get(a.appId);
    expect(msg).toMatch(/No node is big enough for <memory:4096, vCores:1>: the largest node has <memory:2048, vCores:8>/);
  });
});

describe('CapacityScheduler user limits', () => {
  const twoUsers = (): ReturnType<typeof app>[] => [app({ user: 'alice', asks: [ask(8)] }), app({ user: 'bob', asks: [ask(8)] })];

  it('with minimum-user-limit-percent 100 (default) the first app in FIFO order takes the queue', () => {
    const [alice, bob] = twoUsers();
    const { allocations } = settle(capacity(), { nodes: nodes(8, 1024, 1), apps: [alice!, bob!] });
    expect(countBy(allocations, (a) => a.attemptId)).toEqual({ [alice!.attemptId]: 8 });
  });

  it('with minimum-user-limit-percent 50 two active users get half each', () => {
    const [alice, bob] = twoUsers();
    const { allocations, waiting } = settle(capacity({ 'root.default.minimum-user-limit-percent': 50 }), { nodes: nodes(8, 1024, 1), apps: [alice!, bob!] });
    expect(countBy(allocations, (a) => a.attemptId)).toEqual({ [alice!.attemptId]: 4, [bob!.attemptId]: 4 });
    expect(waiting.size).toBe(2);
  });

  it('user-limit-factor 1 keeps a single user within the queue guarantee; 2 lets it grow', () => {
    const conf = { 'root.queues': 'a,b', 'root.a.capacity': 50, 'root.b.capacity': 50 };
    const alice = app({ queue: 'a', asks: [ask(8)] });
    const one = settle(capacity(conf), { nodes: nodes(8, 1024, 1), apps: [alice] });
    expect(one.allocations).toHaveLength(4);
    expect(one.waiting.get(alice.appId)).toMatch(/User alice reached the user limit of queue root\.a: used <memory:4096, vCores:4>/);
    expect(one.waiting.get(alice.appId)).toContain('user-limit-factor');
    const two = settle(capacity({ ...conf, 'root.a.user-limit-factor': 2 }), { nodes: nodes(8, 1024, 1), apps: [alice] });
    expect(two.allocations).toHaveLength(8);
  });
});

describe('CapacityScheduler headroom', () => {
  const cluster = [node('h0', 2048), { ...node('h1', 2048), available: res(0, 6) }, node('h2', 2048), node('h3', 2048)];

  it('is what the queue and cluster still allow', () => {
    const a = app({ used: res(2048, 2), asks: [ask(1)] });
    expect(capacity().headroom({ nodes: cluster, apps: [a] }, a.attemptId)).toEqual(res(6144, 30));
  });

  it('is bounded by the user limit', () => {
    const a = app({ queue: 'a', used: res(2048, 2), asks: [ask(1)] });
    const s = capacity({ 'root.queues': 'a,b', 'root.a.capacity': 50, 'root.b.capacity': 50 });
    expect(s.headroom({ nodes: cluster, apps: [a] }, a.attemptId).memory).toBe(2048);
  });

  it('is bounded by the queue maximum capacity and never negative', () => {
    const a = app({ queue: 'a', used: res(2048, 2), asks: [ask(1)] });
    const conf = { 'root.queues': 'a,b', 'root.a.capacity': 25, 'root.a.maximum-capacity': 25, 'root.b.capacity': 75, 'root.a.user-limit-factor': 10 };
    expect(capacity(conf).headroom({ nodes: cluster, apps: [a] }, a.attemptId).memory).toBe(0);
    expect(capacity(conf).headroom({ nodes: cluster, apps: [a] }, 'appattempt_unknown').memory).toBe(0);
  });
});
