import { describe, expect, it } from 'vitest';
import { SlotAllocationError, TaskSlotTable } from '../../../../runtime/taskexecutor/slot/task-slot-table.ts';

const PROFILE = { cpuCores: 1, taskHeapMemoryMb: 256, managedMemoryMb: 0 };
const JOB = 'a'.repeat(32);
const OTHER_JOB = 'b'.repeat(32);
const A1 = '1'.repeat(32);
const A2 = '2'.repeat(32);
const task = (id: string): { executionAttemptId: string } => ({ executionAttemptId: id });

describe('TaskSlotTable', () => {
  it('moves a slot FREE -> ALLOCATED -> ACTIVE -> FREE and reports it', () => {
    const table = new TaskSlotTable('tm-1', 2, PROFILE);
    expect(table.createSlotReport()).toEqual([
      { slotId: { resourceId: 'tm-1', slotNumber: 0 }, resourceProfile: PROFILE, allocationId: null, jobId: null },
      { slotId: { resourceId: 'tm-1', slotNumber: 1 }, resourceProfile: PROFILE, allocationId: null, jobId: null },
    ]);
    expect(table.allocateSlot(1, JOB, A1)).toBe(true);
    expect(table.slot(1)?.state).toBe('ALLOCATED');
    expect(table.createSlotReport()[1]).toMatchObject({ allocationId: A1, jobId: JOB });
    expect(table.isActive(JOB, A1)).toBe(false);
    expect(table.markSlotActive(A1)).toBe(true);
    expect(table.isActive(JOB, A1)).toBe(true);
    expect(table.markSlotInactive(A1)).toBe(true);
    expect(table.slot(1)?.state).toBe('ALLOCATED');
    const freed: number[] = [];
    table.onSlotFreed((index) => freed.push(index));
    expect(table.freeSlot(A1)).toEqual({ index: 1, tasksToCancel: [] });
    expect(table.slot(1)?.state).toBe('FREE');
    expect(freed).toEqual([1]);
    expect(table.jobs()).toEqual([]);
  });

  it('treats a repeated request as a no-op and refuses an occupied slot or a reused allocation id', () => {
    const table = new TaskSlotTable('tm-1', 2, PROFILE);
    table.allocateSlot(0, JOB, A1);
    expect(table.allocateSlot(0, JOB, A1)).toBe(false);
    expect(() => table.allocateSlot(0, OTHER_JOB, A2)).toThrow(/slot 0 of tm-1 is ALLOCATED for allocation 1{32}/);
    expect(() => table.allocateSlot(1, JOB, A1)).toThrow(SlotAllocationError);
    expect(() => table.allocateSlot(5, JOB, A2)).toThrow(/has no slot 5/);
  });

  it('takes tasks only into an ACTIVE slot of their job', () => {
    const table = new TaskSlotTable('tm-1', 1, PROFILE);
    expect(() => table.addTask(task('t1'), JOB, A1)).toThrow(/no slot of TaskManager tm-1 is allocated to 1{32}/);
    table.allocateSlot(0, JOB, A1);
    expect(() => table.addTask(task('t1'), JOB, A1)).toThrow(/is ALLOCATED, not ACTIVE/);
    table.markSlotActive(A1);
    expect(() => table.addTask(task('t1'), OTHER_JOB, A1)).toThrow(/belongs to job a{32}, not to job b{32}/);
    table.addTask(task('t1'), JOB, A1);
    expect(() => table.addTask(task('t1'), JOB, A1)).toThrow(/already deployed/);
    expect(table.tasksOfJob(JOB).map((t) => t.executionAttemptId)).toEqual(['t1']);
  });

  it('keeps a freed slot RELEASING until its tasks are gone, then FREE', () => {
    const table = new TaskSlotTable('tm-1', 1, PROFILE);
    const freed: string[] = [];
    table.onSlotFreed((_i, allocationId) => freed.push(allocationId));
    table.allocateSlot(0, JOB, A1);
    table.markSlotActive(A1);
    table.addTask(task('t1'), JOB, A1);
    table.addTask(task('t2'), JOB, A1);
    const { tasksToCancel } = table.freeSlot(A1);
    expect(tasksToCancel.map((t) => t.executionAttemptId)).toEqual(['t1', 't2']);
    expect(table.slot(0)?.state).toBe('RELEASING');
    expect(table.markSlotActive(A1)).toBe(false);
    expect(table.createSlotReport()[0]?.allocationId).toBe(A1); // still taken for the RM
    table.removeTask('t1');
    expect(table.slot(0)?.state).toBe('RELEASING');
    table.removeTask('t2');
    expect(table.slot(0)?.state).toBe('FREE');
    expect(freed).toEqual([A1]);
    expect(table.freeSlot(A1)).toEqual({ index: -1, tasksToCancel: [] });
  });
});
