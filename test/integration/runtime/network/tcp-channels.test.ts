import { afterEach, describe, expect, it } from 'vitest';
import { InputStatus, type InputGate, type StreamElementHandler } from '../../../../runtime/network/input-gate.ts';
import { NetworkEnvironment } from '../../../../runtime/network/network-environment.ts';
import type { ResultPartition } from '../../../../runtime/network/result-partition.ts';
import type { NetworkEvent } from '../../../../runtime/network/channel-element.ts';
import { TaskIOMetrics } from '../../../../runtime/network/task-io-metrics.ts';
import { SystemClock } from '../../../../rm/common/clock.ts';

const envs: NetworkEnvironment[] = [];

async function startEnv(options: ConstructorParameters<typeof NetworkEnvironment>[0] = {}): Promise<NetworkEnvironment> {
  const env = new NetworkEnvironment({ host: '127.0.0.1', port: 0, ...options });
  envs.push(env);
  await env.start();
  return env;
}

afterEach(async () => {
  await Promise.all(envs.splice(0).map((e) => e.close()));
});

/** Checks per-channel order of [key, seq] records as they arrive. */
class OrderChecker implements StreamElementHandler<[string, number]> {
  readonly next: number[];
  received = 0;
  outOfOrder = 0;
  readonly events: string[] = [];

  constructor(channels: number) {
    this.next = new Array<number>(channels).fill(0);
  }

  processRecord(record: [string, number], channel: number): void {
    if (record[1] !== this.next[channel]) this.outOfOrder++;
    this.next[channel] = record[1] + 1;
    this.received++;
  }

  processWatermark(): void {}

  processEvent(event: NetworkEvent): void {
    this.events.push(event.type);
  }
}

/** The consuming task's loop: drain, and wait (idle) when nothing is there. */
async function consume(gate: InputGate<[string, number]>, handler: StreamElementHandler<[string, number]>, pause?: () => Promise<void>): Promise<void> {
  for (;;) {
    const status = gate.emitNext(handler, pause ? 100 : undefined);
    if (status === InputStatus.END_OF_INPUT) return;
    if (status === InputStatus.NOTHING_AVAILABLE) await gate.availability();
    else if (pause) await pause();
  }
}

/** The producing task's loop: emit round robin over subpartitions, wait (back-pressured) when told. */
async function produce(partition: ResultPartition<[string, number]>, perSubpartition: number, metrics?: TaskIOMetrics, progress?: { emitted: number }): Promise<void> {
  const n = partition.numSubpartitions;
  const words = ['alpha', 'beta', 'gamma', 'delta', 'ünïcode', '日本'];
  for (let i = 0; i < perSubpartition; i++) {
    for (let s = 0; s < n; s++) {
      const available = partition.emitRecord([words[i % words.length]!, i], s);
      if (progress) progress.emitted++;
      if (!available) await (metrics ? metrics.waitForOutput(partition.availability()) : partition.availability());
    }
  }
  partition.finish();
  await partition.whenConsumed();
}

describe('record channels over TCP', () => {
  it('carries 1M records between two TaskManagers, in order per channel, then closes cleanly', async () => {
    const producerTm = await startEnv();
    const consumerTm = await startEnv();
    const PRODUCERS = 2;
    const CONSUMERS = 2;
    const PER_CHANNEL = 250_000; // 2 × 2 channels × 250k = 1M records
    const partitions = Array.from({ length: PRODUCERS }, (_, p) =>
      producerTm.createResultPartition<[string, number]>({ id: `ds1-${p}`, numSubpartitions: CONSUMERS }),
    );
    const gates = Array.from({ length: CONSUMERS }, (_, c) =>
      consumerTm.createInputGate<[string, number]>({
        channels: partitions.map((p) => ({ partitionId: p.id, subpartitionIndex: c, producerAddress: producerTm.address })),
      }),
    );
    const checkers = gates.map(() => new OrderChecker(PRODUCERS));
    for (const gate of gates) gate.requestPartitions();
    const started = performance.now();
    await Promise.all([...partitions.map((p) => produce(p, PER_CHANNEL)), ...gates.map((g, i) => consume(g, checkers[i]!))]);
    const seconds = (performance.now() - started) / 1000;
    console.log(`1M records over TCP in ${seconds.toFixed(2)} s (${Math.round(1e6 / seconds)} records/s, one process for both sides)`);

    for (const checker of checkers) {
      expect(checker.received).toBe(PRODUCERS * PER_CHANNEL);
      expect(checker.outOfOrder).toBe(0);
      expect(checker.next).toStrictEqual([PER_CHANNEL, PER_CHANNEL]);
      expect(checker.events).toStrictEqual(['end-of-partition', 'end-of-partition']);
    }
    expect(consumerTm.connections.numClientConnections).toBe(1); // four channels, one connection
    expect(producerTm.connections.numServerConnections).toBe(1);
    expect(gates.reduce((n, g) => n + g.counters.numBytesIn, 0)).toBe(partitions.reduce((n, p) => n + p.counters.numBytesOut, 0));

    for (const gate of gates) gate.close();
    await Promise.all(envs.splice(0).map((e) => e.close()));
    expect(producerTm.bufferPool.usedSegments).toBe(0);
    expect(consumerTm.bufferPool.usedSegments).toBe(0);
    const handles = process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP'));
    expect(handles).toStrictEqual([]);
  });

  it('lets a slow consumer slow its producer: bounded buffers, nothing lost', async () => {
    const producerTm = await startEnv({ bufferSizeBytes: 4096 });
    const consumerTm = await startEnv({ bufferSizeBytes: 4096 });
    const partition = producerTm.createResultPartition<[string, number]>({ id: 'slow-0', numSubpartitions: 1 });
    const gate = consumerTm.createInputGate<[string, number]>({
      channels: [{ partitionId: 'slow-0', subpartitionIndex: 0, producerAddress: producerTm.address }],
    });
    gate.requestPartitions();
    const producerMetrics = new TaskIOMetrics(new SystemClock());
    const progress = { emitted: 0 };
    const checker = new OrderChecker(1);
    const TOTAL = 60_000;
    let maxInFlight = 0;
    let maxProducerBuffers = 0;
    let maxConsumerBuffers = 0;
    // 100 records per timer turn (≥ 1 ms): at most 100k records/s, far below what the producer could emit.
    const pause = (): Promise<void> =>
      new Promise<void>((resolve) => {
        setTimeout(resolve, 1);
        maxInFlight = Math.max(maxInFlight, progress.emitted - checker.received);
        maxProducerBuffers = Math.max(maxProducerBuffers, producerTm.bufferPool.usedSegments);
        maxConsumerBuffers = Math.max(maxConsumerBuffers, consumerTm.bufferPool.usedSegments);
      });
    const started = performance.now();
    await Promise.all([produce(partition, TOTAL, producerMetrics, progress), consume(gate, checker, pause)]);
    const seconds = (performance.now() - started) / 1000;

    expect(checker.received).toBe(TOTAL);
    expect(checker.outOfOrder).toBe(0);
    // Producer: its partition pool (1 × 2 + 8 floating) and never an overdraft buffer.
    expect(maxProducerBuffers).toBeLessThanOrEqual(10);
    expect(partition.pool.maxOverdraftBuffers).toBe(0);
    // Consumer: 2 exclusive + 8 floating buffers at most.
    expect(maxConsumerBuffers).toBeLessThanOrEqual(10);
    // Records between emit and processing: at most what 20 buffers of 4 KiB hold (~16 B a record).
    expect(maxInFlight).toBeLessThanOrEqual(20 * Math.ceil(4096 / 16));
    // The producer spent most of its time waiting for buffers, and its rate fell to the consumer's.
    const backPressured = producerMetrics.snapshot().accumulatedBackPressuredTime;
    expect(backPressured / (seconds * 1000)).toBeGreaterThan(0.5);
    expect(TOTAL / seconds).toBeLessThan(120_000);
    console.log(`slow consumer: ${Math.round(TOTAL / seconds)} records/s, producer back-pressured ${Math.round(backPressured)} of ${Math.round(seconds * 1000)} ms, max ${maxInFlight} records in flight`);
    gate.close();
  });

  it('serves a request that arrives before the producer is deployed, and mixes local and remote channels', async () => {
    const tmA = await startEnv();
    const tmB = await startEnv();
    const gate = tmB.createInputGate<[string, number]>({
      channels: [
        { partitionId: 'late-remote', subpartitionIndex: 0, producerAddress: tmA.address },
        { partitionId: 'late-local', subpartitionIndex: 0, producerAddress: tmB.address },
      ],
    });
    gate.requestPartitions();
    const checker = new OrderChecker(2);
    const consuming = consume(gate, checker);
    await new Promise((r) => setTimeout(r, 50));
    const remote = tmA.createResultPartition<[string, number]>({ id: 'late-remote', numSubpartitions: 1, bufferTimeoutMs: 5 });
    const local = tmB.createResultPartition<[string, number]>({ id: 'late-local', numSubpartitions: 1, bufferTimeoutMs: 5 });
    await Promise.all([produce(remote, 1000), produce(local, 1000), consuming]);
    expect(checker.received).toBe(2000);
    expect(checker.outOfOrder).toBe(0);
    gate.close();
  });

  it('fails the consumer when the producer TaskManager goes away', async () => {
    const producerTm = await startEnv();
    const consumerTm = await startEnv();
    const partition = producerTm.createResultPartition<[string, number]>({ id: 'doomed', numSubpartitions: 1, bufferTimeoutMs: 1 });
    const gate = consumerTm.createInputGate<[string, number]>({ channels: [{ partitionId: 'doomed', subpartitionIndex: 0, producerAddress: producerTm.address }] });
    gate.requestPartitions();
    partition.emitRecord(['x', 0], 0);
    const checker = new OrderChecker(1);
    const outcome = consume(gate, checker).then(
      () => null,
      (err: unknown) => err,
    );
    await new Promise((r) => setTimeout(r, 30));
    await producerTm.close();
    expect(await outcome).toMatchObject({ message: expect.stringMatching(/released|closed/) as unknown });
    expect(checker.received).toBe(1);
    gate.close();
  });
});
