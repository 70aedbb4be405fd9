import type { ResultPartitionWriter } from '../../network/result-partition-writer.ts';
import type { ChannelSelector } from '../channel-selector.ts';
import type { RecordWriterOutput } from '../output.ts';

/**
 * The end of a task's chain into one JobEdge (Flink's RecordWriter behind its RecordWriterOutput):
 * the partition takes the records (network buffers in a TaskManager, in-memory channels in the
 * LocalExecutor); subclasses decide which subpartitions get a record. Back-pressure is the
 * partition's availability, checked by the task's loop between batches.
 */
export abstract class RecordWriter implements RecordWriterOutput<unknown> {
  readonly partition: ResultPartitionWriter<unknown>;

  constructor(partition: ResultPartitionWriter<unknown>) {
    this.partition = partition;
  }

  abstract collect(record: unknown, timestamp: number): void;

  /** A writer is a main output; a side output's writer sits behind a SideOutputFilter. */
  collectSideOutput(): void {}

  emitWatermark(watermark: number): void {
    this.partition.emitWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    this.partition.emitWatermarkStatus(idle);
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
export class ChannelSelectorRecordWriter extends RecordWriter {
  private readonly selector: ChannelSelector<unknown>;

  constructor(partition: ResultPartitionWriter<unknown>, selector: ChannelSelector<unknown>) {
    super(partition);
    this.selector = selector;
  }

  collect(record: unknown, timestamp: number): void {
    this.partition.emitRecord(record, this.selector.selectChannel(record), timestamp);
  }
}

/** BROADCAST: every record to every subpartition. */
export class BroadcastRecordWriter extends RecordWriter {
  collect(record: unknown, timestamp: number): void {
    this.partition.broadcastRecord(record, timestamp);
  }
}

/** The writer for an edge; no selector (createChannelSelector's answer for BROADCAST) broadcasts. */
export function createRecordWriter(partition: ResultPartitionWriter<unknown>, selector: ChannelSelector<unknown> | undefined): RecordWriter {
  return selector ? new ChannelSelectorRecordWriter(partition, selector) : new BroadcastRecordWriter(partition);
}
