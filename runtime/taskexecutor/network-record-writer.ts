import type { ResultPartition } from '../network/result-partition.ts';
import type { ChannelSelector } from '../streaming/channel-selector.ts';
import type { RecordWriterOutput } from '../streaming/output.ts';

/**
 * The end of a task's chain into one JobEdge over the network (Flink's RecordWriter): the
 * partitioner picks the subpartition, the partition serialises into its buffer. Back-pressure is
 * the partition's buffer availability, checked by the task loop between records.
 */
export class NetworkRecordWriter implements RecordWriterOutput<unknown> {
  readonly partition: ResultPartition<unknown>;
  private readonly selector: ChannelSelector<unknown>;

  constructor(partition: ResultPartition<unknown>, selector: ChannelSelector<unknown>) {
    this.partition = partition;
    this.selector = selector;
  }

  collect(record: unknown): void {
    this.partition.emitRecord(record, this.selector.selectChannel(record));
  }

  emitWatermark(watermark: number): void {
    this.partition.emitWatermark(watermark);
  }

  isAvailable(): boolean {
    return this.partition.isAvailable();
  }

  availability(): Promise<void> {
    return this.partition.availability();
  }

  flush(): void {
    this.partition.flushAll();
  }

  async finish(): Promise<void> {
    this.partition.finish();
  }
}

/** BROADCAST: every record to every subpartition. */
export class BroadcastNetworkRecordWriter implements RecordWriterOutput<unknown> {
  readonly partition: ResultPartition<unknown>;

  constructor(partition: ResultPartition<unknown>) {
    this.partition = partition;
  }

  collect(record: unknown): void {
    this.partition.broadcastRecord(record);
  }

  emitWatermark(watermark: number): void {
    this.partition.emitWatermark(watermark);
  }

  isAvailable(): boolean {
    return this.partition.isAvailable();
  }

  availability(): Promise<void> {
    return this.partition.availability();
  }

  flush(): void {
    this.partition.flushAll();
  }

  async finish(): Promise<void> {
    this.partition.finish();
  }
}
