import { END_OF_PARTITION } from '../../network/channel-element.ts';
import type { ResultPartitionWriter } from '../../network/result-partition-writer.ts';
import type { InMemoryChannel } from './in-memory-channel.ts';

/**
 * A LocalExecutor subtask's output into one JobEdge: the network partition's contract over one
 * in-memory channel per connected consumer, so the task's record writer is the one a TaskManager
 * uses. Nothing is buffered, so flushing is a no-op; a full channel is back-pressure.
 */
export class InMemoryResultPartition implements ResultPartitionWriter<unknown> {
  private readonly channels: readonly InMemoryChannel[];

  constructor(channels: readonly InMemoryChannel[]) {
    this.channels = channels;
  }

  get numSubpartitions(): number {
    return this.channels.length;
  }

  emitRecord(record: unknown, target: number, timestamp: number): void {
    (this.channels[target] as InMemoryChannel).push(record, timestamp);
  }

  broadcastRecord(record: unknown, timestamp: number): void {
    const channels = this.channels;
    for (let i = 0; i < channels.length; i++) (channels[i] as InMemoryChannel).push(record, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const channel of this.channels) channel.pushWatermark(watermark);
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
