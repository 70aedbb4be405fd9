import type { ResultPartition } from '../network/result-partition.ts';
import type { ChannelSelector } from '../streaming/channel-selector.ts';
import type { RecordWriterOutput } from '../streaming/output.ts';

/**
 * The end of a task's chain into one JobEdge over the network (Flink's RecordWriter): the
 * partition serialises into its buffers; subclasses decide which subpartitions get a record.
 * Back-pressure is the partition's buffer availability, checked by the task loop between records.
 */
abstract class PartitionRecordWriter implements RecordWriterOutput<unknown> {
  readonly partition: ResultPartition<unknown>;

  constructor(partition: ResultPartition<unknown>) {
    this.partition = partition;
  }

  abstract collect(record: unknown): void;

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

/** FORWARD / REBALANCE / RESCALE / HASH: the partitioner picks one subpartition per record. */
export class NetworkRecordWriter extends PartitionRecordWriter {
  private readonly selector: ChannelSelector<unknown>;

  constructor(partition: ResultPartition<unknown>, selector: ChannelSelector<unknown>) {
    super(partition);
    this.selector = selector;
  }

  collect(record: unknown): void {
    this.partition.emitRecord(record, this.selector.selectChannel(record));
  }
}

/** BROADCAST: every record to every subpartition. */
export class BroadcastNetworkRecordWriter extends PartitionRecordWriter {
  collect(record: unknown): void {
    this.partition.broadcastRecord(record);
  }
}
