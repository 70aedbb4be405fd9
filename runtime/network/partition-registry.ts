import type { ResultPartition } from './result-partition.ts';

type Waiter = (partition: ResultPartition<unknown>) => void;

/**
 * The result partitions produced in this TaskManager, by id. A consumer may ask before its
 * producer is deployed (Flink retries PartitionNotFound); here the request simply waits for
 * the registration.
 */
export class PartitionRegistry {
  private readonly partitions = new Map<string, ResultPartition<unknown>>();
  private readonly waiters = new Map<string, Waiter[]>();

  register(partition: ResultPartition<unknown>): void {
    if (this.partitions.has(partition.id)) throw new Error(`result partition ${partition.id} is already registered`);
    this.partitions.set(partition.id, partition);
    const waiting = this.waiters.get(partition.id);
    if (waiting) {
      this.waiters.delete(partition.id);
      for (const waiter of waiting) waiter(partition);
    }
  }

  unregister(id: string): void {
    this.partitions.delete(id);
  }

  get(id: string): ResultPartition<unknown> | undefined {
    return this.partitions.get(id);
  }

  /** Calls back now or on registration; the returned function withdraws the request. */
  request(id: string, onRegistered: Waiter): () => void {
    const partition = this.partitions.get(id);
    if (partition) {
      onRegistered(partition);
      return () => {};
    }
    const waiting = this.waiters.get(id) ?? [];
    waiting.push(onRegistered);
    this.waiters.set(id, waiting);
    return () => {
      const list = this.waiters.get(id);
      const i = list?.indexOf(onRegistered) ?? -1;
      if (list && i >= 0) list.splice(i, 1);
      if (list?.length === 0) this.waiters.delete(id);
    };
  }

  get size(): number {
    return this.partitions.size;
  }

  clear(): void {
    this.partitions.clear();
    this.waiters.clear();
  }
}
