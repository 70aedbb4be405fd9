import type { JobGraph } from '../jobgraph/job-graph.ts';

/** Slots one slot sharing group needs: the highest parallelism among its vertices. */
export interface SlotSharingRequirement {
  readonly group: string;
  readonly slots: number;
}

/**
 * Slot sharing (reference/flink.md §1.3): subtask i of every vertex in a group can share slot i,
 * so a group needs as many slots as its highest parallelism, and a job the sum over its groups.
 * Groups are listed in the order their first vertex appears (topological order).
 */
export function computeSlotSharingRequirements(graph: Pick<JobGraph, 'vertices'>): SlotSharingRequirement[] {
  const needs = new Map<string, number>();
  for (const v of graph.vertices) needs.set(v.slotSharingGroup, Math.max(needs.get(v.slotSharingGroup) ?? 0, v.parallelism));
  return [...needs].map(([group, slots]) => ({ group, slots }));
}

export function totalRequiredSlots(requirements: readonly SlotSharingRequirement[]): number {
  return requirements.reduce((sum, r) => sum + r.slots, 0);
}

/**
 * Which slot each subtask goes to: each group gets a contiguous run of the given slots (in the
 * order given), and subtask i of every vertex in a group goes to that group's slot i. Returns, per
 * JobVertex id, the allocation id of each subtask's slot.
 */
export function planSlotAssignment(graph: Pick<JobGraph, 'vertices'>, allocationIds: readonly string[]): Map<string, string[]> {
  const requirements = computeSlotSharingRequirements(graph);
  const needed = totalRequiredSlots(requirements);
  if (allocationIds.length < needed) throw new Error(`the job needs ${needed} slots but has ${allocationIds.length}`);
  const groupSlots = new Map<string, readonly string[]>();
  let offset = 0;
  for (const r of requirements) {
    groupSlots.set(r.group, allocationIds.slice(offset, offset + r.slots));
    offset += r.slots;
  }
  const plan = new Map<string, string[]>();
  for (const v of graph.vertices) {
    const slots = groupSlots.get(v.slotSharingGroup) ?? [];
    plan.set(
      v.id,
      Array.from({ length: v.parallelism }, (_, i) => slots[i] as string),
    );
  }
  return plan;
}
