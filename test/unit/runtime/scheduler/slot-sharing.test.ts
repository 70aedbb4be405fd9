import { describe, expect, it } from 'vitest';
import { computeSlotSharingRequirements, planSlotAssignment, totalRequiredSlots } from '../../../../runtime/scheduler/slot-sharing.ts';
import { jobGraph, pipeline } from '../jobmaster/test-job-graphs.ts';

describe('slot sharing (flink.md §1.3)', () => {
  it('a job needs its highest parallelism per slot sharing group, summed over groups', () => {
    const graph = jobGraph('groups', [
      { name: 'a', parallelism: 2 },
      { name: 'b', parallelism: 4 },
      { name: 'c', parallelism: 3, group: 'heavy' },
      { name: 'd', parallelism: 1, group: 'heavy' },
    ]);
    const reqs = computeSlotSharingRequirements(graph);
    expect(reqs).toEqual([
      { group: 'default', slots: 4 },
      { group: 'heavy', slots: 3 },
    ]);
    expect(totalRequiredSlots(reqs)).toBe(7);
    expect(totalRequiredSlots(computeSlotSharingRequirements(pipeline(3)))).toBe(3);
  });

  it('puts subtask i of every vertex of a group into that group slot i', () => {
    const graph = jobGraph('plan', [
      { name: 'src', parallelism: 2 },
      { name: 'map', parallelism: 3 },
      { name: 'side', parallelism: 2, group: 'other' },
    ]);
    const plan = planSlotAssignment(graph, ['s0', 's1', 's2', 's3', 's4']);
    const byName = (n: string) => plan.get(graph.vertices.find((v) => v.name === n)!.id);
    expect(byName('src')).toEqual(['s0', 's1']);
    expect(byName('map')).toEqual(['s0', 's1', 's2']);
    expect(byName('side')).toEqual(['s3', 's4']);
  });

  it('refuses to plan with too few slots', () => {
    expect(() => planSlotAssignment(pipeline(2), ['only-one'])).toThrow(/needs 2 slots/);
  });
});
