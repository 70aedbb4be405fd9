import { WeftError } from '../../../rm/common/errors.ts';
import type { ResourceProfile, SlotReport } from '../../protocol/records.ts';
import { TaskSlot, TaskSlotState, type SlotTask } from './task-slot.ts';

/** A slot request the table cannot serve (occupied slot, unknown index). */
export class SlotAllocationError extends WeftError {
  constructor(message: string) {
    super('IllegalState', message);
    this.name = 'SlotAllocationException';
  }
}

/** What {@link TaskSlotTable.freeSlot} did. */
export interface FreeSlotResult<T> {
  /** The slot's index, or -1 if the allocation was unknown. */
  readonly index: number;
  /** Tasks still running in the slot: the caller cancels them; the slot becomes FREE when they are removed. */
  readonly tasksToCancel: readonly T[];
}

/**
 * The slots of one TaskManager (Flink's TaskSlotTable): FREE -> ALLOCATED (requestSlot) -> ACTIVE
 * (the JobMaster accepted the offer) -> RELEASING (freed while tasks still run) -> FREE. Tasks can
 * only be added to an ACTIVE slot of their own job.
 */
export class TaskSlotTable<T extends SlotTask = SlotTask> {
  readonly resourceId: string;
  private readonly slots: TaskSlot<T>[] = [];
  private readonly byAllocation = new Map<string, TaskSlot<T>>();
  private readonly taskSlots = new Map<string, TaskSlot<T>>();
  private readonly freedListeners: ((index: number, allocationId: string, jobId: string) => void)[] = [];

  constructor(resourceId: string, numberOfSlots: number, slotProfile: ResourceProfile) {
    if (!Number.isInteger(numberOfSlots) || numberOfSlots < 1) throw new RangeError(`a TaskManager needs at least one slot, got ${numberOfSlots}`);
    this.resourceId = resourceId;
    for (let i = 0; i < numberOfSlots; i++) this.slots.push(new TaskSlot<T>(i, slotProfile));
  }

  get numberOfSlots(): number {
    return this.slots.length;
  }

  /** Called whenever a slot becomes FREE again (to report it to the ResourceManager). */
  onSlotFreed(listener: (index: number, allocationId: string, jobId: string) => void): void {
    this.freedListeners.push(listener);
  }

  slot(index: number): TaskSlot<T> | undefined {
    return this.slots[index];
  }

  slotOf(allocationId: string): TaskSlot<T> | undefined {
    return this.byAllocation.get(allocationId);
  }

  /**
   * FREE -> ALLOCATED. Returns false when the slot already holds this very allocation (a repeated
   * request); throws when the slot or the allocation id is taken otherwise.
   */
  allocateSlot(index: number, jobId: string, allocationId: string): boolean {
    const slot = this.slots[index];
    if (!slot) throw new SlotAllocationError(`TaskManager ${this.resourceId} has no slot ${index} (it has ${this.slots.length})`);
    if (slot.isAllocatedTo(jobId, allocationId) && slot.state !== TaskSlotState.RELEASING) return false;
    const other = this.byAllocation.get(allocationId);
    if (other) throw new SlotAllocationError(`allocation ${allocationId} already holds slot ${other.index} of ${this.resourceId}`);
    if (slot.state !== TaskSlotState.FREE) {
      throw new SlotAllocationError(`slot ${index} of ${this.resourceId} is ${slot.state} for allocation ${slot.allocationId ?? '?'} of job ${slot.jobId ?? '?'}`);
    }
    slot.allocate(jobId, allocationId);
    this.byAllocation.set(allocationId, slot);
    return true;
  }

  /** ALLOCATED -> ACTIVE (offer accepted). False if the allocation is unknown or being released. */
  markSlotActive(allocationId: string): boolean {
    const slot = this.byAllocation.get(allocationId);
    if (!slot || slot.state === TaskSlotState.RELEASING) return false;
    slot.markActive();
    return true;
  }

  /**
   * Flink's tryMarkSlotActive: a task deployed into an ALLOCATED slot of its job proves the
   * JobMaster accepted the offer (its answer may still be on the way). False otherwise.
   */
  tryMarkSlotActive(jobId: string, allocationId: string): boolean {
    const slot = this.byAllocation.get(allocationId);
    if (!slot || slot.jobId !== jobId) return false;
    return this.markSlotActive(allocationId);
  }

  /** ACTIVE -> ALLOCATED (its JobMaster connection was lost and must be re-offered). */
  markSlotInactive(allocationId: string): boolean {
    const slot = this.byAllocation.get(allocationId);
    if (!slot || slot.state !== TaskSlotState.ACTIVE) return false;
    slot.markInactive();
    return true;
  }

  isActive(jobId: string, allocationId: string): boolean {
    const slot = this.byAllocation.get(allocationId);
    return slot !== undefined && slot.state === TaskSlotState.ACTIVE && slot.jobId === jobId;
  }

  /**
   * Frees a slot: at once if it is empty, otherwise RELEASING until its tasks are removed. The
   * caller cancels the returned tasks.
   */
  freeSlot(allocationId: string): FreeSlotResult<T> {
    const slot = this.byAllocation.get(allocationId);
    if (!slot) return { index: -1, tasksToCancel: [] };
    if (slot.tasks.size === 0) {
      this.release(slot);
      return { index: slot.index, tasksToCancel: [] };
    }
    slot.markReleasing();
    return { index: slot.index, tasksToCancel: [...slot.tasks.values()] };
  }

  /** Adds a task to the ACTIVE slot of its allocation; throws a clear error otherwise. */
  addTask(task: T, jobId: string, allocationId: string): void {
    const slot = this.checkTaskSlot(task.executionAttemptId, jobId, allocationId);
    slot.tasks.set(task.executionAttemptId, task);
    this.taskSlots.set(task.executionAttemptId, slot);
  }

  /** The ACTIVE slot a task of `jobId` may be deployed into; throws a clear error if there is none. */
  checkTaskSlot(executionAttemptId: string, jobId: string, allocationId: string): TaskSlot<T> {
    const slot = this.byAllocation.get(allocationId);
    if (!slot) throw new SlotAllocationError(`no slot of TaskManager ${this.resourceId} is allocated to ${allocationId}; cannot deploy task ${executionAttemptId}`);
    if (slot.jobId !== jobId) throw new SlotAllocationError(`slot ${slot.index} (allocation ${allocationId}) belongs to job ${slot.jobId ?? '?'}, not to job ${jobId}`);
    if (slot.state !== TaskSlotState.ACTIVE) throw new SlotAllocationError(`slot ${slot.index} (allocation ${allocationId}) is ${slot.state}, not ACTIVE; cannot deploy task ${executionAttemptId}`);
    if (this.taskSlots.has(executionAttemptId)) throw new SlotAllocationError(`task ${executionAttemptId} is already deployed`);
    return slot;
  }

  /** Removes a task (it ended); a RELEASING slot that becomes empty is FREE. */
  removeTask(executionAttemptId: string): T | undefined {
    const slot = this.taskSlots.get(executionAttemptId);
    if (!slot) return undefined;
    const task = slot.tasks.get(executionAttemptId);
    slot.tasks.delete(executionAttemptId);
    this.taskSlots.delete(executionAttemptId);
    if (slot.state === TaskSlotState.RELEASING && slot.tasks.size === 0) this.release(slot);
    return task;
  }

  getTask(executionAttemptId: string): T | undefined {
    return this.taskSlots.get(executionAttemptId)?.tasks.get(executionAttemptId);
  }

  tasks(): T[] {
    return this.slots.flatMap((s) => [...s.tasks.values()]);
  }

  tasksOfJob(jobId: string): T[] {
    return this.slots.filter((s) => s.jobId === jobId).flatMap((s) => [...s.tasks.values()]);
  }

  /** Allocations of a job, in any state but FREE. */
  allocationsOfJob(jobId: string): TaskSlot<T>[] {
    return this.slots.filter((s) => s.state !== TaskSlotState.FREE && s.jobId === jobId);
  }

  /** Jobs that hold at least one slot. */
  jobs(): string[] {
    return [...new Set(this.slots.flatMap((s) => (s.jobId === null ? [] : [s.jobId])))];
  }

  /** Every slot, as the ResourceManager sees it: a RELEASING slot is still taken. */
  createSlotReport(): SlotReport {
    return this.slots.map((s) => ({
      slotId: { resourceId: this.resourceId, slotNumber: s.index },
      resourceProfile: s.resourceProfile,
      allocationId: s.allocationId,
      jobId: s.jobId,
    }));
  }

  private release(slot: TaskSlot<T>): void {
    const allocationId = slot.allocationId;
    const jobId = slot.jobId;
    slot.markFree();
    if (allocationId !== null) this.byAllocation.delete(allocationId);
    if (allocationId !== null && jobId !== null) for (const listener of this.freedListeners) listener(slot.index, allocationId, jobId);
  }
}
