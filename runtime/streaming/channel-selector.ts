import { assignKeyToParallelOperator } from '../jobgraph/key-groups.ts';
import { Partitioner } from '../jobgraph/partitioner.ts';
import type { KeySelector } from './functions.ts';

/**
 * Picks the channel (index into the writer's connected consumers) for a record: Flink's
 * StreamPartitioner#selectChannel. BROADCAST has no selector; its writer sends to every channel.
 */
export interface ChannelSelector<T> {
  selectChannel(record: T): number;
}

class FirstChannelSelector implements ChannelSelector<unknown> {
  selectChannel(): number {
    return 0;
  }
}

/**
 * REBALANCE / RESCALE: round-robin. Flink starts at a random channel so that producers do not all
 * hit channel 0 first; starting at the producer's subtask index spreads them as well and keeps
 * runs reproducible.
 */
export class RoundRobinChannelSelector implements ChannelSelector<unknown> {
  private next: number;
  private readonly channels: number;

  constructor(channels: number, start: number) {
    this.channels = channels;
    this.next = start % channels;
  }

  selectChannel(): number {
    const channel = this.next;
    this.next = channel + 1 === this.channels ? 0 : channel + 1;
    return channel;
  }
}

/** HASH (keyBy): the consumer subtask whose key-group range holds the record key's key group. */
export class KeyGroupChannelSelector<T> implements ChannelSelector<T> {
  private readonly keySelector: KeySelector<T, unknown>;
  private readonly maxParallelism: number;
  private readonly channels: number;

  constructor(keySelector: KeySelector<T, unknown>, maxParallelism: number, channels: number) {
    this.keySelector = keySelector;
    this.maxParallelism = maxParallelism;
    this.channels = channels;
  }

  selectChannel(record: T): number {
    return assignKeyToParallelOperator(this.keySelector(record), this.maxParallelism, this.channels);
  }
}

export interface ChannelSelectorSpec {
  readonly partitioner: Partitioner;
  /** Consumers this producer subtask writes to (all of them, or its pointwise subset). */
  readonly channels: number;
  readonly producerIndex: number;
  /** HASH only: the key selector and the consumer vertex's max parallelism. */
  readonly keySelector?: KeySelector<unknown, unknown>;
  readonly maxParallelism?: number;
}

/** The selector for one producer subtask of a JobEdge; undefined means broadcast to all channels. */
export function createChannelSelector(spec: ChannelSelectorSpec): ChannelSelector<unknown> | undefined {
  switch (spec.partitioner) {
    case Partitioner.BROADCAST:
      return undefined;
    case Partitioner.FORWARD:
      return new FirstChannelSelector();
    case Partitioner.REBALANCE:
    case Partitioner.RESCALE:
      return spec.channels === 1 ? new FirstChannelSelector() : new RoundRobinChannelSelector(spec.channels, spec.producerIndex);
    case Partitioner.HASH:
      if (!spec.keySelector || spec.maxParallelism === undefined) throw new Error('A HASH edge needs a key selector and the max parallelism');
      return new KeyGroupChannelSelector(spec.keySelector, spec.maxParallelism, spec.channels);
  }
}
