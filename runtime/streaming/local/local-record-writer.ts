import type { ChannelSelector } from '../channel-selector.ts';
import type { RecordWriterOutput } from '../output.ts';
import { END_OF_PARTITION } from '../../network/channel-element.ts';
import type { InMemoryChannel } from './in-memory-channel.ts';

/**
 * Writes one producer subtask's records of a JobEdge into in-memory channels, one per consumer;
 * subclasses decide which channels get a record.
 */
abstract class ChannelsRecordWriter implements RecordWriterOutput<unknown> {
  protected readonly channels: readonly InMemoryChannel[];

  constructor(channels: readonly InMemoryChannel[]) {
    this.channels = channels;
  }

  abstract collect(record: unknown, timestamp: number): void;

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

  flush(): void {}

  async finish(): Promise<void> {
    for (const channel of this.channels) channel.pushEvent(END_OF_PARTITION);
  }
}

/** The partitioner picks one channel per record. */
export class LocalRecordWriter extends ChannelsRecordWriter {
  private readonly selector: ChannelSelector<unknown>;

  constructor(channels: readonly InMemoryChannel[], selector: ChannelSelector<unknown>) {
    super(channels);
    this.selector = selector;
  }

  collect(record: unknown, timestamp: number): void {
    (this.channels[this.selector.selectChannel(record)] as InMemoryChannel).push(record, timestamp);
  }
}

/** BROADCAST: every record into every channel. */
export class LocalBroadcastRecordWriter extends ChannelsRecordWriter {
  collect(record: unknown, timestamp: number): void {
    const channels = this.channels;
    for (let i = 0; i < channels.length; i++) (channels[i] as InMemoryChannel).push(record, timestamp);
  }
}
