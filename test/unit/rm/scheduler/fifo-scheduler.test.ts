import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../../rm/scheduler/create-scheduler.ts';
import type { Scheduler } from '../../../../rm/scheduler/scheduler.ts';
import { app, apply, ask, countBy, MAX, MIN, node, nodes, res } from './scheduler-fixtures.ts';

const fifo = (): Scheduler => createScheduler({ type: 'fifo', conf: new Map(), aclEnable: true, minimumAllocation: MIN, maximumAllocation: MAX, resourceCalculator: 'default' });

describe('FifoScheduler', () => {
  it('serves applications strictly in submission order: the first takes all it can', () => {
    const first = app({ asks: [ask(6)], submitTime: 1 });
    const second = app({ asks: [ask(6)], submitTime: 2 });
    const d = fifo().schedule({ nodes: nodes(8, 1024, 1), apps: [second, first] });
    expect(countBy(d.allocations, (a) => a.attemptId)).toEqual({ [first.attemptId]: 6, [second.attemptId]: 2 });
    expect(d.waiting.get(second.appId)).toMatch(/no node has <memory:1024, vCores:1> free/);
  });

  it('puts higher application priority first', () => {
    const early = app({ asks: [ask(4)], submitTime: 1, priority: 0 });
    const urgent = app({ asks: [ask(4)], submitTime: 2, priority: 5 });
    const d = fifo().schedule({ nodes: nodes(4, 1024, 1), apps: [early, urgent] });
    expect(countBy(d.allocations, (a) => a.attemptId)).toEqual({ [urgent.attemptId]: 4 });
  });

  it('has no AM limit and accepts any queue name into default', () => {
    const apps = Array.from({ length: 8 }, () => app({ amRequest: res(1024) }));
    expect(fifo().schedule({ nodes: [node('h0')], apps }).allocations.filter((a) => a.isAm)).toHaveLength(8);
    expect(fifo().checkSubmit('anything', 'bob', 0)).toEqual({ ok: true, queue: 'default' });
    expect(fifo().leafQueues()).toEqual(['default']);
  });

  it('reports the fifo schedulerInfo shape', () => {
    const a = app({ asks: [ask(2)] });
    const s = fifo();
    const state = apply({ nodes: nodes(2, 4096), apps: [a] }, s.schedule({ nodes: nodes(2, 4096), apps: [a] }).allocations);
    const info = (s.schedulerInfo(state) as { scheduler: { schedulerInfo: Record<string, unknown> } }).scheduler.schedulerInfo;
    expect(info).toEqual({
      type: 'fifoScheduler',
      capacity: 1,
      usedCapacity: 0.25,
      qstate: 'RUNNING',
      minQueueMemoryCapacity: 1024,
      maxQueueMemoryCapacity: 8192,
      numNodes: 2,
      usedNodeCapacity: 2048,
      availNodeCapacity: 6144,
      totalNodeCapacity: 8192,
      numContainers: 0,
    });
    const empty = (s.schedulerInfo({ nodes: [], apps: [] }) as { scheduler: { schedulerInfo: Record<string, unknown> } }).scheduler.schedulerInfo;
    expect(empty.usedCapacity).toBe('NaN');
  });
});
