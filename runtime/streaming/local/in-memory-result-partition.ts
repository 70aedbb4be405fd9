import { END_OF_PARTITION } from '../../network/channel-element.ts';
import type { ResultPartitionWriter } from '../../network/result-partition-writer.ts';
import { copyRecord } from '../record-copy.ts';
import type { InMemoryChannel } from './in-memory-channel.ts';

/**
 * A LocalExecutor subtask's output into one JobEdge: the network partition's contract over one
 * in-memory channel per connected consumer, so the task's record writer is the one a TaskManager
 * uses. Nothing is buffered, so flushing is a no-op; a full channel is back-pressure. With object
 * reuse off each consumer gets its own copy of a record, as the network's serialisation gives
 * each consumer its own object.
 */
export class InMemoryResultPartition implements ResultPartitionWriter<unknown> {
  private readonly channels: readonly InMemoryChannel[];
  private readonly objectReuse: boolean;

  constructor(channels: readonly InMemoryChannel[], objectReuse = false) {
    this.channels = channels;
    this.objectReuse = objectReuse;
  }

  get numSubpartitions(): number {
    return this.channels.length;
  }

  emitRecord(record: unknown, target: number, timestamp: number): void {
    (this.channels[target] as InMemoryChannel).push(this.objectReuse ? record : copyRecord(record), timestamp);
  }

  broadcastRecord(record: unknown, timestamp: number): void {
    const channels = this.channels;
    for (let i = 0; i < channels.length; i++) (channels[i] as InMemoryChannel).push(this.objectReuse ? record : copyRecord(record), timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const channel of this.channels) channel.pushWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    for (const channel of this.channels) channel.pushWatermarkStatus(idle);
  }

  isAvailable(): boolean {
    const channels = this.channels;
    for (let i = 0; i < channels.length; i++) if ((channels[i] as InMemoryChannel).isFull()) return false;
    return true;
  }

  async availability(): Promise<void> {
    for (const channel of this.channels) await channel.waitForSpace();
  }

  flushAll(): void {}

  finish(): void {
    for (const channel of this.channels) channel.pushEvent(END_OF_PARTITION);
  }
}
