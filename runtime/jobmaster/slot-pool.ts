import type { ResourceProfile, SlotOffer, TaskManagerLocation } from '../protocol/records.ts';

/** A slot a TaskManager offered and the JobMaster accepted. */
export interface PooledSlot {
  readonly allocationId: string;
  readonly slotIndex: number;
  readonly resourceProfile: ResourceProfile;
  readonly location: TaskManagerLocation;
}

/**
 * The JobMaster's slots (Flink's DeclarativeSlotPool, reduced): accepts offers up to what the job
 * needs, refuses the rest, and drops a TaskManager's slots when it is lost. Slots keep the order
 * they were accepted in, so the deployment plan is stable across restarts.
 */
export class SlotPool {
  private readonly slots = new Map<string, PooledSlot>();

  get size(): number {
    return this.slots.size;
  }

  all(): PooledSlot[] {
    return [...this.slots.values()];
  }

  get(allocationId: string): PooledSlot | undefined {
    return this.slots.get(allocationId);
  }

  /**
   * Accepts offers while the pool holds fewer than `capacity` slots. An offer for a slot already
   * held is accepted again (offers are retried), without counting twice.
   */
  offer(location: TaskManagerLocation, offers: readonly SlotOffer[], capacity: number): string[] {
    const accepted: string[] = [];
    for (const offer of offers) {
      const held = this.slots.get(offer.allocationId);
      if (held) {
        if (held.location.resourceId === location.resourceId) accepted.push(offer.allocationId);
        continue;
      }
      if (this.slots.size >= capacity) continue;
      this.slots.set(offer.allocationId, { allocationId: offer.allocationId, slotIndex: offer.slotIndex, resourceProfile: offer.resourceProfile, location });
      accepted.push(offer.allocationId);
    }
    return accepted;
  }

  /** Removes and returns every slot of a TaskManager. */
  releaseTaskManager(resourceId: string): PooledSlot[] {
    const released = this.all().filter((s) => s.location.resourceId === resourceId);
    for (const s of released) this.slots.delete(s.allocationId);
    return released;
  }

  /** Removes and returns every slot. */
  releaseAll(): PooledSlot[] {
    const released = this.all();
    this.slots.clear();
    return released;
  }
}
