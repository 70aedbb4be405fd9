import type { TaskExecutorRegistration, TaskManagerInfoWithSlots } from '../protocol/resource-manager-gateway.ts';
import type { SlotId, SlotReport } from '../protocol/records.ts';
import type { TaskManagerMetricsInfo } from '../protocol/task-manager-metrics-info.ts';
import type { WorkerView } from './slot-manager.ts';

interface SlotEntry {
  allocationId: string | null;
  jobId: string | null;
  /** A requestSlot is on its way to the TaskManager; reports do not override the slot meanwhile. */
  inFlight: boolean;
  /** When the RM last allocated the slot, so a report older than the allocation does not free it. */
  allocatedAt: number;
}

/** A registered TaskManager as the Flink RM keeps it (Flink's WorkerRegistration). */
export interface WorkerRegistration {
  readonly resourceId: string;
  readonly instanceId: string;
  readonly registration: TaskExecutorRegistration;
  readonly registeredAt: number;
  idleSince: number | undefined;
  readonly slots: SlotEntry[];
  /** Memory and buffers as the TaskManager's latest heartbeat reported them. */
  metrics?: TaskManagerMetricsInfo;
}

/**
 * The TaskManagers registered at the Flink RM and the state of their slots, as slot reports and
 * the RM's own allocations tell it (Flink's TaskExecutorManager + SlotTracker, reduced).
 */
export class TaskManagerRegistry {
  private readonly taskManagers = new Map<string, WorkerRegistration>();
  /** How long after an allocation a report still showing the slot free is taken as stale. */
  private readonly reportGraceMs: number;

  constructor(reportGraceMs: number) {
    this.reportGraceMs = reportGraceMs;
  }

  register(registration: TaskExecutorRegistration, instanceId: string, now: number): WorkerRegistration {
    const resourceId = registration.location.resourceId;
    const previous = this.taskManagers.get(resourceId);
    const tm: WorkerRegistration = {
      resourceId,
      instanceId,
      registration,
      registeredAt: now,
      idleSince: previous?.idleSince ?? now,
      // A re-registration keeps what the RM knew; the TaskManager's next slot report corrects it.
      slots: previous?.slots ?? Array.from({ length: registration.numberOfSlots }, () => ({ allocationId: null, jobId: null, inFlight: false, allocatedAt: 0 })),
      ...(previous?.metrics ? { metrics: previous.metrics } : {}),
    };
    this.taskManagers.set(resourceId, tm);
    return tm;
  }

  get(resourceId: string): WorkerRegistration | undefined {
    return this.taskManagers.get(resourceId);
  }

  /** The TaskManager if `instanceId` is its current registration. */
  getCurrent(resourceId: string, instanceId: string): WorkerRegistration | undefined {
    const tm = this.taskManagers.get(resourceId);
    return tm?.instanceId === instanceId ? tm : undefined;
  }

  remove(resourceId: string): WorkerRegistration | undefined {
    const tm = this.taskManagers.get(resourceId);
    this.taskManagers.delete(resourceId);
    return tm;
  }

  all(): readonly WorkerRegistration[] {
    return [...this.taskManagers.values()];
  }

  get size(): number {
    return this.taskManagers.size;
  }

  /** Applies a report; returns whether a "free" was set aside as possibly stale (ask again later). */
  applySlotReport(tm: WorkerRegistration, report: SlotReport, now: number): boolean {
    let deferred = false;
    for (const status of report) {
      const slot = tm.slots[status.slotId.slotNumber];
      if (!slot || slot.inFlight) continue;
      const staleFree = status.allocationId === null && slot.allocationId !== null && now - slot.allocatedAt < this.reportGraceMs;
      if (staleFree) {
        deferred = true;
        continue;
      }
      slot.allocationId = status.allocationId;
      slot.jobId = status.jobId;
    }
    this.updateIdle(tm, now);
    return deferred;
  }

  /**
   * The TaskManager freed a slot: free it here too if it still holds `allocationId` (a later
   * allocation of the same slot is not undone). Returns whether it was freed.
   */
  slotAvailable(tm: WorkerRegistration, slotNumber: number, allocationId: string, now: number): boolean {
    const slot = tm.slots[slotNumber];
    if (!slot || slot.allocationId !== allocationId) return false;
    Object.assign(slot, { allocationId: null, jobId: null, inFlight: false });
    this.updateIdle(tm, now);
    return true;
  }

  get staleReportGraceMs(): number {
    return this.reportGraceMs;
  }

  startAllocation(slotId: SlotId, jobId: string, allocationId: string, now: number): void {
    const tm = this.taskManagers.get(slotId.resourceId);
    const slot = tm?.slots[slotId.slotNumber];
    if (!tm || !slot) return;
    Object.assign(slot, { allocationId, jobId, inFlight: true, allocatedAt: now });
    tm.idleSince = undefined;
  }

  /** The TaskManager answered the requestSlot; on failure the slot counts as free again. */
  finishAllocation(slotId: SlotId, allocationId: string, ok: boolean, now: number): void {
    const tm = this.taskManagers.get(slotId.resourceId);
    const slot = tm?.slots[slotId.slotNumber];
    if (!tm || !slot || slot.allocationId !== allocationId) return;
    slot.inFlight = false;
    // The grace for stale "free" reports counts from the TM's answer, not from the request.
    slot.allocatedAt = now;
    if (!ok) Object.assign(slot, { allocationId: null, jobId: null });
    this.updateIdle(tm, now);
  }

  views(): WorkerView[] {
    return this.all().map((tm) => ({
      resourceId: tm.resourceId,
      idleSince: tm.idleSince,
      slots: tm.slots.map((s, slotNumber) => ({ slotId: { resourceId: tm.resourceId, slotNumber }, jobId: s.jobId })),
    }));
  }

  /** `lastHeartbeat` says when each TaskManager was last heard from (the RM's heartbeat manager knows). */
  infos(lastHeartbeat: (resourceId: string) => number | undefined): TaskManagerInfoWithSlots[] {
    return this.all().map((tm) => {
      const allocatedSlots = tm.slots.flatMap((s, slotNumber) =>
        s.jobId !== null && s.allocationId !== null ? [{ jobId: s.jobId, slotNumber, allocationId: s.allocationId }] : [],
      );
      return {
        resourceId: tm.resourceId,
        location: tm.registration.location,
        numberOfSlots: tm.slots.length,
        freeSlots: tm.slots.length - allocatedSlots.length,
        memoryMb: tm.registration.memoryMb,
        ...(tm.registration.memoryConfiguration ? { memoryConfiguration: tm.registration.memoryConfiguration } : {}),
        slotResourceProfile: tm.registration.defaultSlotResourceProfile,
        lastHeartbeat: lastHeartbeat(tm.resourceId) ?? tm.registeredAt,
        allocatedSlots,
        ...(tm.metrics ? { metrics: tm.metrics } : {}),
      };
    });
  }

  private updateIdle(tm: WorkerRegistration, now: number): void {
    const idle = tm.slots.every((s) => s.jobId === null);
    if (!idle) tm.idleSince = undefined;
    else tm.idleSince ??= now;
  }
}
