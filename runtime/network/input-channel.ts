import type { NetworkBuffer } from './network-buffer.ts';
import type { PartitionRegistry } from './partition-registry.ts';
import type { ResultSubpartition, SubpartitionListener } from './result-subpartition.ts';

/** What a channel tells its gate. */
export interface InputChannelOwner {
  notifyChannelNonEmpty(channelIndex: number): void;
  notifyChannelError(channelIndex: number, cause: Error): void;
}

/** One producer subtask's subpartition, as seen by the consuming gate. */
export interface InputChannel {
  readonly channelIndex: number;
  /** Asks the producer for the subpartition; data arrives afterwards. */
  requestSubpartition(): void;
  /** The next buffer or event, or null. The gate recycles data buffers when it has decoded them. */
  pollNext(): NetworkBuffer | null;
  hasNext(): boolean;
  /** Buffers received but not yet taken by the gate. */
  readonly queuedBuffers: number;
  /** Stops consuming (done or cancelled) and gives back every buffer. */
  release(): void;
}

/**
 * A channel to a partition in the same process: reads the producer's subpartition queue directly,
 * so buffers are handed over without copying and without a second queue. The producer's buffer
 * pool bounds what is in flight: a buffer returns to it only when this consumer recycles it, so a
 * slow consumer stops its producer exactly as credits do for remote channels.
 */
export class LocalInputChannel implements InputChannel, SubpartitionListener {
  readonly channelIndex: number;
  private readonly owner: InputChannelOwner;
  private readonly registry: PartitionRegistry;
  private readonly partitionId: string;
  private readonly subpartitionIndex: number;
  private subpartition: ResultSubpartition | null = null;
  private cancelRequest: (() => void) | null = null;
  private released = false;

  constructor(owner: InputChannelOwner, channelIndex: number, registry: PartitionRegistry, partitionId: string, subpartitionIndex: number) {
    this.owner = owner;
    this.channelIndex = channelIndex;
    this.registry = registry;
    this.partitionId = partitionId;
    this.subpartitionIndex = subpartitionIndex;
  }

  requestSubpartition(): void {
    if (this.subpartition !== null || this.cancelRequest !== null) return;
    this.cancelRequest = this.registry.request(this.partitionId, (partition) => {
      this.cancelRequest = null;
      if (this.released) return;
      const subpartition = partition.subpartitions[this.subpartitionIndex];
      if (subpartition === undefined) {
        this.owner.notifyChannelError(this.channelIndex, new Error(`result partition ${this.partitionId} has no subpartition ${this.subpartitionIndex}`));
        return;
      }
      this.subpartition = subpartition;
      subpartition.subscribe(this);
    });
  }

  pollNext(): NetworkBuffer | null {
    return this.subpartition === null ? null : this.subpartition.poll();
  }

  hasNext(): boolean {
    return this.subpartition !== null && this.subpartition.queuedBuffers > 0;
  }

  get queuedBuffers(): number {
    return this.subpartition?.queuedBuffers ?? 0;
  }

  onDataAvailable(): void {
    this.owner.notifyChannelNonEmpty(this.channelIndex);
  }

  onReleased(cause: Error): void {
    this.owner.notifyChannelError(this.channelIndex, cause);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.cancelRequest?.();
    this.cancelRequest = null;
    this.subpartition?.unsubscribe(this);
    this.subpartition = null;
  }
}
