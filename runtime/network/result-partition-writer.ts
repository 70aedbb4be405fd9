/**
 * What a task's record writer writes to (Flink's ResultPartitionWriter): one producing subtask's
 * output, one subpartition per consumer. The network's {@link ResultPartition} serialises into
 * buffers; the LocalExecutor's in-memory partition queues values. Emitting never blocks: the
 * writer checks isAvailable() between batches and awaits availability() when it is false.
 */
export interface ResultPartitionWriter<T = unknown> {
  readonly numSubpartitions: number;
  /** `timestamp` absent or NO_TIMESTAMP: the record has none. */
  emitRecord(record: T, target: number, timestamp?: number): boolean | void;
  broadcastRecord(record: T, timestamp?: number): boolean | void;
  /** To every consumer, in line with the records. */
  emitWatermark(timestamp: number): boolean | void;
  /** WatermarkStatus IDLE (true) or ACTIVE (false), to every consumer, in line with the records. */
  emitWatermarkStatus(idle: boolean): boolean | void;
  isAvailable(): boolean;
  availability(): Promise<void>;
  /** Sends what is buffered now (the buffer timeout does this on its own). */
  flushAll(): void;
  /** Flushes and sends end-of-partition to every consumer. */
  finish(): void;
}
