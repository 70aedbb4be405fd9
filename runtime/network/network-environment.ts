import { SystemClock, type Clock } from '../../rm/common/clock.ts';
import { ConnectionManager } from './connection-manager.ts';
import { InputGate } from './input-gate.ts';
import { LocalInputChannel } from './input-channel.ts';
import type { IOCounters } from './io-counters.ts';
import { LocalBufferPool } from './local-buffer-pool.ts';
import { NETWORK_DEFAULTS, type NetworkEnvironmentOptions } from './network-options.ts';
import { NetworkBufferPool } from './network-buffer-pool.ts';
import { PartitionRegistry } from './partition-registry.ts';
import { ValueSerializer, type RecordSerializer } from './record-serializer.ts';
import { RemoteInputChannel } from './remote-input-channel.ts';
import { ResultPartition } from './result-partition.ts';

/** Where a gate's channel reads from: a producer subtask's partition and the subpartition index. */
export interface InputChannelSpec {
  readonly partitionId: string;
  readonly subpartitionIndex: number;
  /** `host:port` of the producer's TaskManager data port; omitted (or this TM's own) = local. */
  readonly producerAddress?: string;
}

export interface ResultPartitionSpec<T> {
  readonly id: string;
  readonly numSubpartitions: number;
  readonly serializer?: RecordSerializer<T>;
  readonly bufferTimeoutMs?: number;
  readonly counters?: IOCounters;
}

export interface InputGateSpec<T> {
  readonly channels: readonly InputChannelSpec[];
  readonly serializer?: RecordSerializer<T>;
  readonly counters?: IOCounters;
}

/**
 * The network stack of one TaskManager (Flink's NettyShuffleEnvironment): its buffer memory, the
 * partitions its tasks produce, and its data port. Tasks get their outputs and inputs from here.
 */
export class NetworkEnvironment {
  readonly bufferPool: NetworkBufferPool;
  readonly partitions = new PartitionRegistry();
  readonly connections: ConnectionManager;
  readonly clock: Clock;
  private readonly buffersPerChannel: number;
  private readonly floatingBuffersPerGate: number;
  private readonly bufferTimeoutMs: number;
  private readonly gates = new Set<InputGate<unknown>>();
  private readonly produced = new Set<ResultPartition<unknown>>();

  constructor(options: NetworkEnvironmentOptions = {}) {
    this.clock = options.clock ?? new SystemClock();
    this.bufferPool = new NetworkBufferPool(
      options.totalBuffers ?? NETWORK_DEFAULTS.totalBuffers,
      options.bufferSizeBytes ?? NETWORK_DEFAULTS.bufferSizeBytes,
    );
    this.buffersPerChannel = options.buffersPerChannel ?? NETWORK_DEFAULTS.buffersPerChannel;
    this.floatingBuffersPerGate = options.floatingBuffersPerGate ?? NETWORK_DEFAULTS.floatingBuffersPerGate;
    this.bufferTimeoutMs = options.bufferTimeoutMs ?? NETWORK_DEFAULTS.bufferTimeoutMs;
    this.connections = new ConnectionManager(this.partitions, { host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  }

  /** Opens the data port; returns its `host:port`. */
  start(): Promise<string> {
    return this.connections.start();
  }

  get address(): string {
    return this.connections.address;
  }

  /**
   * A partition with Flink's pool sizing: at least one buffer per subpartition plus one, at most
   * buffersPerChannel per subpartition plus the floating share. It is registered, so consumers can
   * request it, and unregistered once every consumer has read its end.
   */
  createResultPartition<T = unknown>(spec: ResultPartitionSpec<T>): ResultPartition<T> {
    const n = spec.numSubpartitions;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`a result partition needs at least one subpartition, got ${n}`);
    const pool = new LocalBufferPool(this.bufferPool, n + 1, n * this.buffersPerChannel + this.floatingBuffersPerGate, `result partition ${spec.id}`);
    const partition = new ResultPartition<T>({
      id: spec.id,
      numSubpartitions: n,
      pool,
      serializer: spec.serializer ?? (new ValueSerializer() as RecordSerializer<T>),
      clock: this.clock,
      bufferTimeoutMs: spec.bufferTimeoutMs ?? this.bufferTimeoutMs,
      counters: spec.counters,
    });
    const erased = partition as ResultPartition<unknown>;
    this.partitions.register(erased);
    this.produced.add(erased);
    void partition.whenConsumed().then(() => {
      this.partitions.unregister(spec.id);
      this.produced.delete(erased);
    });
    return partition;
  }

  /** Cancel or failure of the producing task. */
  releasePartition(partition: ResultPartition<unknown>, cause?: Error): void {
    partition.release(cause);
    this.partitions.unregister(partition.id);
    this.produced.delete(partition);
  }

  /**
   * A gate with one channel per descriptor (index = position). Remote channels get
   * buffersPerChannel exclusive buffers each and share floatingBuffersPerGate floating ones.
   * Call `requestPartitions()` on it to start receiving.
   */
  createInputGate<T = unknown>(spec: InputGateSpec<T>): InputGate<T> {
    const own = this.connections.localAddress;
    const isLocal = (d: InputChannelSpec): boolean => d.producerAddress === undefined || d.producerAddress === own;
    const anyRemote = spec.channels.some((d) => !isLocal(d));
    const floatingPool = anyRemote ? new LocalBufferPool(this.bufferPool, 0, this.floatingBuffersPerGate, 'floating buffers') : null;
    const gate = new InputGate<T>({
      numChannels: spec.channels.length,
      serializer: spec.serializer ?? (new ValueSerializer() as RecordSerializer<T>),
      counters: spec.counters,
      floatingPool,
    });
    spec.channels.forEach((d, index) => {
      if (isLocal(d)) {
        gate.setChannel(new LocalInputChannel(gate, index, this.partitions, d.partitionId, d.subpartitionIndex));
      } else {
        gate.setChannel(
          new RemoteInputChannel({
            owner: gate,
            channelIndex: index,
            connection: this.connections.getClient(d.producerAddress!),
            partitionId: d.partitionId,
            subpartitionIndex: d.subpartitionIndex,
            globalPool: this.bufferPool,
            exclusiveBuffers: this.buffersPerChannel,
            floatingPool,
          }),
        );
      }
    });
    this.gates.add(gate);
    return gate;
  }

  /** Closes gates, releases unfinished partitions and closes the data port. */
  async close(): Promise<void> {
    for (const gate of this.gates) gate.close();
    this.gates.clear();
    for (const partition of this.produced) partition.release(new Error('TaskManager network environment closed'));
    this.produced.clear();
    this.partitions.clear();
    await this.connections.close();
  }
}
