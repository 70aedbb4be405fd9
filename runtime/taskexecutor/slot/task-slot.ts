import type { ResourceProfile } from '../../protocol/records.ts';

/** Flink's TaskSlotState. RELEASING: freed while tasks still run; FREE once they are gone. */
export const TaskSlotState = {
  FREE: 'FREE',
  ALLOCATED: 'ALLOCATED',
  ACTIVE: 'ACTIVE',
  RELEASING: 'RELEASING',
} as const;
export type TaskSlotState = (typeof TaskSlotState)[keyof typeof TaskSlotState];

const TRANSITIONS: Readonly<Record<TaskSlotState, readonly TaskSlotState[]>> = {
  FREE: ['ALLOCATED'],
  ALLOCATED: ['ACTIVE', 'RELEASING', 'FREE'],
  ACTIVE: ['ALLOCATED', 'RELEASING', 'FREE'],
  RELEASING: ['FREE'],
};

/** What a slot needs to know about the tasks it holds. */
export interface SlotTask {
  readonly executionAttemptId: string;
}

/** One slot of a TaskManager (Flink's TaskSlot): its allocation, state and the tasks running in it. */
export class TaskSlot<T extends SlotTask = SlotTask> {
  readonly index: number;
  readonly resourceProfile: ResourceProfile;
  readonly tasks = new Map<string, T>();
  private current: TaskSlotState = TaskSlotState.FREE;
  private allocation: { readonly allocationId: string; readonly jobId: string } | null = null;

  constructor(index: number, resourceProfile: ResourceProfile) {
    this.index = index;
    this.resourceProfile = resourceProfile;
  }

  get state(): TaskSlotState {
    return this.current;
  }

  get allocationId(): string | null {
    return this.allocation?.allocationId ?? null;
  }

  get jobId(): string | null {
    return this.allocation?.jobId ?? null;
  }

  isAllocatedTo(jobId: string, allocationId: string): boolean {
    return this.allocation !== null && this.allocation.jobId === jobId && this.allocation.allocationId === allocationId;
  }

  allocate(jobId: string, allocationId: string): void {
    this.transition(TaskSlotState.ALLOCATED);
    this.allocation = { jobId, allocationId };
  }

  markActive(): void {
    this.transition(TaskSlotState.ACTIVE);
  }

  markInactive(): void {
    this.transition(TaskSlotState.ALLOCATED);
  }

  markReleasing(): void {
    this.transition(TaskSlotState.RELEASING);
  }

  markFree(): void {
    if (this.tasks.size > 0) throw new Error(`slot ${this.index} still runs ${this.tasks.size} task(s)`);
    this.transition(TaskSlotState.FREE);
    this.allocation = null;
  }

  private transition(to: TaskSlotState): void {
    if (this.current === to) return;
    if (!TRANSITIONS[this.current].includes(to)) throw new Error(`slot ${this.index}: invalid transition ${this.current} -> ${to}`);
    this.current = to;
  }
}
