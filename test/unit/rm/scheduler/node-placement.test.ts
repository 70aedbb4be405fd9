import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../../rm/scheduler/create-scheduler.ts';
import { app, ask, capacity, countBy, MAX, MIN, node, nodes, settle } from './scheduler-fixtures.ts';

describe('node selection', () => {
  it('spreads consecutive containers across nodes', () => {
    const a = app({ asks: [ask(4)] });
    const d = capacity().schedule({ nodes: nodes(4), apps: [a] });
    expect(new Set(d.allocations.map((x) => x.nodeId)).size).toBe(4);
  });

  it('honours a host-specific ask and reports the ask it satisfied', () => {
    const a = app({ asks: [ask(1), ask(1, 1024, { resourceName: 'h2' })] });
    const d = capacity().schedule({ nodes: nodes(3), apps: [a] });
    expect(d.allocations.map((x) => [x.nodeId, x.resourceName])).toEqual([['h2:45454', 'h2']]);
  });

  it('also accepts a node id (host:port) as resourceName', () => {
    const a = app({ asks: [ask(1), ask(1, 1024, { resourceName: 'h1:45454' })] });
    expect(capacity().schedule({ nodes: nodes(3), apps: [a] }).allocations[0]?.nodeId).toBe('h1:45454');
  });

  it('with relaxLocality=false places only on the named host', () => {
    const a = app({ asks: [ask(3, 1024, { relaxLocality: false }), ask(3, 1024, { resourceName: 'h1', relaxLocality: false })] });
    const { allocations, waiting } = settle(capacity(), { nodes: [node('h0'), node('h1', 2048)], apps: [a] });
    expect(allocations.map((x) => x.nodeId)).toEqual(['h1:45454', 'h1:45454']);
    expect(waiting.get(a.appId)).toMatch(/no node has <memory:1024, vCores:1> free/);
  });

  it('falls back to any node when a relaxed host ask cannot be met', () => {
    const a = app({ asks: [ask(2), ask(2, 1024, { resourceName: 'h1' })] });
    const { allocations } = settle(capacity(), { nodes: [node('h0'), node('h1', 1024)], apps: [a] });
    expect(countBy(allocations, (x) => x.nodeId)).toEqual({ 'h0:45454': 1, 'h1:45454': 1 });
  });

  it('matches rack asks against the node rack', () => {
    const cluster = [node('h0', 8192, 8, '/r1'), node('h1', 8192, 8, '/r2'), node('h2', 8192, 8, '/r2')];
    const a = app({ asks: [ask(4, 1024, { relaxLocality: false }), ask(4, 1024, { resourceName: '/r2' })] });
    const { allocations } = settle(capacity(), { nodes: cluster, apps: [a] });
    expect(allocations).toHaveLength(4);
    expect(allocations.every((x) => x.nodeId !== 'h0:45454' && x.resourceName === '/r2')).toBe(true);
  });

  it('skips blacklisted hosts', () => {
    const a = app({ asks: [ask(6)], blacklist: new Set(['h0', 'h1']) });
    const { allocations } = settle(capacity(), { nodes: nodes(3, 4096), apps: [a] });
    expect(countBy(allocations, (x) => x.nodeId)).toEqual({ 'h2:45454': 4 });
  });

  it('counts memory only with the default calculator and both with the dominant one', () => {
    const a = app({ asks: [ask(4, 1024, { capability: { memory: 1024, vCores: 4 } })] });
    const cluster = [node('h0', 8192, 4)];
    expect(settle(capacity(), { nodes: cluster, apps: [a] }).allocations).toHaveLength(4);
    const drf = createScheduler({
      type: 'capacity',
      conf: new Map([['yarn.scheduler.capacity.resource-calculator', 'org.apache.hadoop.yarn.util.resource.DominantResourceCalculator']]),
      aclEnable: false,
      minimumAllocation: MIN,
      maximumAllocation: MAX,
    });
    expect(settle(drf, { nodes: cluster, apps: [a] }).allocations).toHaveLength(1);
  });
});
