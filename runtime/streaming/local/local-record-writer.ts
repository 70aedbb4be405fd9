import type { ChannelSelector } from '../channel-selector.ts';
import type { RecordWriterOutput } from '../output.ts';
import { END_OF_PARTITION, type InMemoryChannel } from './in-memory-channel.ts';

/** Writes one producer subtask's records of a JobEdge into in-memory channels, one per consumer. */
export class LocalRecordWriter implements RecordWriterOutput<unknown> {
  private readonly channels: readonly InMemoryChannel[];
  private readonly selector: ChannelSelector<unknown>;

  constructor(channels: readonly InMemoryChannel[], selector: ChannelSelector<unknown>) {
    this.channels = channels;
    this.selector = selector;
  }

  collect(record: unknown, timestamp: number): void {
    (this.channels[this.selector.selectChannel(record)] as InMemoryChannel).push(record, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const channel of this.channels) channel.pushEvent({ kind: 'watermark', watermark });
  }

  isAvailable(): boolean {
    return isAvailable(this.channels);
  }

  availability(): Promise<void> {
    return availability(this.channels);
  }

  flush(): void {}

  async finish(): Promise<void> {
    for (const channel of this.channels) channel.pushEvent(END_OF_PARTITION);
  }
}

/** BROADCAST: every record into every channel. */
export class LocalBroadcastRecordWriter implements RecordWriterOutput<unknown> {
  private readonly channels: readonly InMemoryChannel[];

  constructor(channels: readonly InMemoryChannel[]) {
    this.channels = channels;
  }

  collect(record: unknown, timestamp: number): void {
    const channels = this.channels;
    for (let i = 0; i < channels.length; i++) (channels[i] as InMemoryChannel).push(record, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const channel of this.channels) channel.pushEvent({ kind: 'watermark', watermark });
  }

  isAvailable(): boolean {
    return isAvailable(this.channels);
  }

  availability(): Promise<void> {
    return availability(this.channels);
  }

  flush(): void {}

  async finish(): Promise<void> {
    for (const channel of this.channels) channel.pushEvent(END_OF_PARTITION);
  }
}

function isAvailable(channels: readonly InMemoryChannel[]): boolean {
  for (let i = 0; i < channels.length; i++) if ((channels[i] as InMemoryChannel).isFull()) return false;
  return true;
}

async function availability(channels: readonly InMemoryChannel[]): Promise<void> {
  for (const channel of channels) await channel.waitForSpace();
}
