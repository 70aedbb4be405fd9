import { describe, expect, it } from 'vitest';
import { app, apply, ask, capacity, nodes, res } from './scheduler-fixtures.ts';

type Queue = Record<string, unknown> & { queues?: { queue: Queue[] } };

describe('CapacityScheduler schedulerInfo (yarn.md §1.6)', () => {
  const conf = {
    'root.queues': 'a,b',
    'root.a.capacity': 60,
    'root.b.capacity': 40,
    'root.b.maximum-capacity': 80,
    'root.a.queues': 'a1,a2',
    'root.a.a1.capacity': 50,
    'root.a.a2.capacity': 50,
    'root.a.a1.user-limit-factor': 100,
  };

  const infoAfterScheduling = (): { root: Record<string, unknown>; a: Queue; a1: Queue; b: Queue } => {
    const s = capacity(conf);
    const running = app({ queue: 'a1', user: 'alice', asks: [ask(2)], used: res(1024), amUsed: res(1024) });
    const pending = app({ queue: 'a1', user: 'bob', amRequest: res(1024) });
    const start = { nodes: nodes(2, 8192), apps: [running, pending] };
    const state = apply(start, s.schedule(start).allocations);
    const root = (s.schedulerInfo(state) as { scheduler: { schedulerInfo: Record<string, unknown> & { queues: { queue: Queue[] } } } }).scheduler.schedulerInfo;
    const [a, b] = root.queues.queue;
    return { root, a: a!, b: b!, a1: a!.queues!.queue[0]! };
  };

  it('has the root fields', () => {
    const { root } = infoAfterScheduling();
    expect(root).toMatchObject({ type: 'capacityScheduler', capacity: 100, maxCapacity: 100, queueName: 'root' });
    expect(typeof root.usedCapacity).toBe('number');
  });

  it('describes parent queues with absolute capacities and string and object usage', () => {
    const { a, b } = infoAfterScheduling();
    expect(a).toMatchObject({ queueName: 'a', capacity: 60, maxCapacity: 100, absoluteCapacity: 60, absoluteMaxCapacity: 100, state: 'RUNNING', numApplications: 2 });
    expect(a.type).toBeUndefined();
    expect(a.usedResources).toMatch(/^<memory:\d+, vCores:\d+>$/);
    expect(a.resourcesUsed).toEqual({ memory: expect.any(Number) as number, vCores: expect.any(Number) as number });
    expect(b).toMatchObject({ queueName: 'b', capacity: 40, maxCapacity: 80, absoluteMaxCapacity: 80, type: 'capacitySchedulerLeafQueueInfo', users: null });
  });

  it('describes leaf queues with application counts, limits and users', () => {
    const { a1 } = infoAfterScheduling();
    // alice had 1024 MB and got 2 more containers; bob's AM was placed
    expect(a1).toMatchObject({
      type: 'capacitySchedulerLeafQueueInfo',
      queueName: 'a1',
      absoluteCapacity: 30,
      absoluteUsedCapacity: 25,
      usedResources: '<memory:4096, vCores:4>',
      resourcesUsed: { memory: 4096, vCores: 4 },
      numApplications: 2,
      numActiveApplications: 2,
      numPendingApplications: 0,
      maxApplications: 3000,
      maxApplicationsPerUser: 300000,
      userLimit: 100,
      userLimitFactor: 100,
    });
    expect(a1.usedCapacity).toBeCloseTo((4096 / (16384 * 0.3)) * 100, 2);
    for (const key of ['numContainers', 'maxActiveApplications', 'maxActiveApplicationsPerUser']) expect(typeof a1[key]).toBe('number');
    expect(a1.users).toEqual({
      user: [
        { username: 'alice', resourcesUsed: { memory: 3072, vCores: 3 }, numActiveApplications: 1, numPendingApplications: 0, AMResourceUsed: { memory: 1024, vCores: 1 } },
        { username: 'bob', resourcesUsed: { memory: 1024, vCores: 1 }, numActiveApplications: 1, numPendingApplications: 0, AMResourceUsed: { memory: 1024, vCores: 1 } },
      ],
    });
  });
});

describe('CapacityScheduler schedulerInfo: the AM limit (CapacitySchedulerLeafQueueInfo)', () => {
  const leafOf = (conf: Record<string, string | number>, apps: ReturnType<typeof app>[]): Queue => {
    const s = capacity(conf);
    const info = s.schedulerInfo({ nodes: nodes(2, 8192), apps }) as { scheduler: { schedulerInfo: { queues: { queue: Queue[] } } } };
    return info.scheduler.schedulerInfo.queues.queue[0]!;
  };

  it("reports the limit, the AMs' usage and the configured share of the default queue", () => {
    const session = app({ user: 'alice', used: res(2048), amUsed: res(2048) });
    const waiting = app({ user: 'bob', amRequest: res(2048) });
    const leaf = leafOf({}, [session, waiting]);
    // 10 % of 16 GB and 16 vcores, rounded up to the 1024 MB / 1 vcore minimum allocation
    expect(leaf).toMatchObject({
      configuredMaxAMResourceLimit: 0.1,
      AMResourceLimit: { memory: 2048, vCores: 2 },
      usedAMResource: { memory: 2048, vCores: 1 },
      userAMResourceLimit: { memory: 2048, vCores: 2 },
      numActiveApplications: 1,
      numPendingApplications: 1,
    });
  });

  it('follows yarn.scheduler.capacity.maximum-am-resource-percent', () => {
    const leaf = leafOf({ 'maximum-am-resource-percent': 0.5 }, []);
    expect(leaf).toMatchObject({ configuredMaxAMResourceLimit: 0.5, AMResourceLimit: { memory: 8192, vCores: 8 }, usedAMResource: { memory: 0, vCores: 0 } });
  });
});
