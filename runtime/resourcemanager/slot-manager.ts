import type { SlotId } from '../protocol/records.ts';

/**
 * The SlotManager as a pure decision (after Flink's DeclarativeSlotManager and
 * ActiveResourceManager.checkResourceDeclarations, flink.md §1.4): given every job's declared
 * slot total, the slots of the registered TaskManagers and the workers already on their way,
 * decide which free slots go to which job, how many new workers to ask for and which idle
 * TaskManagers to let go. The ResourceManager applies the decision.
 */
export interface JobSlotDemand {
  readonly jobId: string;
  /** Absolute: the job's latest declaration replaces any earlier one. */
  readonly requiredSlots: number;
}

export interface SlotView {
  readonly slotId: SlotId;
  /** The job the slot is allocated (or being allocated) to; null when free. */
  readonly jobId: string | null;
}

export interface WorkerView {
  readonly resourceId: string;
  readonly slots: readonly SlotView[];
  /** When every slot of the worker became free; undefined while any is in use. */
  readonly idleSince: number | undefined;
}

export interface SlotManagerInput {
  readonly jobs: readonly JobSlotDemand[];
  readonly workers: readonly WorkerView[];
  /** Requested workers without a container yet (requests that can still be withdrawn). */
  readonly requestedWorkers: number;
  /** Workers with a container whose TaskManager has not registered yet. */
  readonly startingWorkers: number;
  readonly slotsPerWorker: number;
  readonly now: number;
  /** `resourcemanager.taskmanager-timeout`. */
  readonly idleTimeoutMs: number;
  /** False while worker creation is paused after too many start failures. */
  readonly canStartWorkers: boolean;
}

export interface SlotAssignment {
  readonly slotId: SlotId;
  readonly jobId: string;
}

export interface SlotDecision {
  readonly assignments: readonly SlotAssignment[];
  /** Slots still missing after every free slot was handed out. */
  readonly missingSlots: number;
  readonly workersToRequest: number;
  /** Requested workers no longer needed, to withdraw while they have no container. */
  readonly requestsToWithdraw: number;
  readonly workersToRelease: readonly string[];
}

export function decideSlots(input: SlotManagerInput): SlotDecision {
  const allocated = new Map<string, number>();
  for (const w of input.workers) {
    for (const s of w.slots) if (s.jobId !== null) allocated.set(s.jobId, (allocated.get(s.jobId) ?? 0) + 1);
  }
  // Pack: fill TaskManagers that are already in use first, so the others can go idle and be released.
  const byUse = [...input.workers].sort((a, b) => usedSlots(b) - usedSlots(a) || a.resourceId.localeCompare(b.resourceId));
  const free = byUse.flatMap((w) => w.slots.filter((s) => s.jobId === null).map((s) => s.slotId));
  const assignments: SlotAssignment[] = [];
  const assignedTo = new Set<string>();
  let missingSlots = 0;
  for (const job of input.jobs) {
    let missing = Math.max(0, job.requiredSlots - (allocated.get(job.jobId) ?? 0));
    while (missing > 0) {
      const slotId = free.shift();
      if (!slotId) break;
      assignments.push({ slotId, jobId: job.jobId });
      assignedTo.add(slotId.resourceId);
      missing--;
    }
    missingSlots += missing;
  }
  const workersNeeded = Math.ceil(missingSlots / Math.max(1, input.slotsPerWorker));
  const pending = input.requestedWorkers + input.startingWorkers;
  const workersToRequest = input.canStartWorkers ? Math.max(0, workersNeeded - pending) : 0;
  const requestsToWithdraw = Math.min(input.requestedWorkers, Math.max(0, pending - workersNeeded));
  const workersToRelease = input.workers
    .filter((w) => !assignedTo.has(w.resourceId) && w.idleSince !== undefined && input.now - w.idleSince >= input.idleTimeoutMs)
    .map((w) => w.resourceId);
  return { assignments, missingSlots, workersToRequest, requestsToWithdraw, workersToRelease };
}

const usedSlots = (w: WorkerView): number => w.slots.filter((s) => s.jobId !== null).length;
