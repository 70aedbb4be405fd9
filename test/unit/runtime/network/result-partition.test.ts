import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { InputGate, InputStatus } from '../../../../runtime/network/input-gate.ts';
import { LocalInputChannel } from '../../../../runtime/network/input-channel.ts';
import { LocalBufferPool } from '../../../../runtime/network/local-buffer-pool.ts';
import { NetworkBufferPool } from '../../../../runtime/network/network-buffer-pool.ts';
import { PartitionRegistry } from '../../../../runtime/network/partition-registry.ts';
import { ValueSerializer } from '../../../../runtime/network/record-serializer.ts';
import { ResultPartition } from '../../../../runtime/network/result-partition.ts';
import { CollectingHandler, drain, type Seen } from './network-fixtures.ts';

interface Setup {
  clock: ManualClock;
  global: NetworkBufferPool;
  partition: ResultPartition;
  gate: InputGate;
  handler: CollectingHandler;
}

function setup(options: { subpartitions?: number; bufferTimeoutMs?: number; maxBuffers?: number; bufferSize?: number } = {}): Setup {
  const clock = new ManualClock(0);
  const n = options.subpartitions ?? 1;
  const global = new NetworkBufferPool(64, options.bufferSize ?? 1024);
  const maxBuffers = options.maxBuffers ?? n + 1;
  const pool = new LocalBufferPool(global, Math.min(n + 1, maxBuffers), maxBuffers, 'test partition');
  const partition = new ResultPartition({ id: 'p', numSubpartitions: n, pool, serializer: new ValueSerializer(), clock, bufferTimeoutMs: options.bufferTimeoutMs ?? 100 });
  const registry = new PartitionRegistry();
  registry.register(partition);
  // One consumer reading every subpartition, so a test sees the whole partition through one gate.
  const gate = new InputGate({ numChannels: n, serializer: new ValueSerializer() });
  for (let i = 0; i < n; i++) gate.setChannel(new LocalInputChannel(gate, i, registry, 'p', i));
  gate.requestPartitions();
  return { clock, global, partition, gate, handler: new CollectingHandler() };
}

function withoutChannel(seen: Seen): Record<string, unknown> {
  const { channel: _channel, ...rest } = seen;
  return rest;
}

describe('ResultPartition', () => {
  it('holds records in the current buffer until the buffer timeout, then flushes them all', () => {
    const { clock, partition, gate, handler } = setup({ bufferTimeoutMs: 100 });
    partition.emitRecord(['a', 1], 0);
    clock.advance(40);
    partition.emitRecord(['b', 2], 0);
    expect(drain(gate, handler)).toBe(InputStatus.NOTHING_AVAILABLE);
    expect(handler.records).toStrictEqual([]);
    clock.advance(59);
    expect(drain(gate, handler)).toBe(InputStatus.NOTHING_AVAILABLE);
    clock.advance(1); // 100 ms after the first unflushed record
    drain(gate, handler);
    expect(handler.records).toStrictEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('arms one timer per partition, not per record or subpartition, and none when idle', () => {
    const { clock, partition } = setup({ subpartitions: 4 });
    expect(clock.pendingTimers()).toBe(0);
    for (let i = 0; i < 200; i++) partition.emitRecord(i, i % 4);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(100);
    expect(clock.pendingTimers()).toBe(0);
    expect(partition.queuedBuffers).toBe(4);
  });

  it('with timeout 0 sends every record at once; with a negative timeout only full buffers', () => {
    const eager = setup({ bufferTimeoutMs: 0 });
    eager.partition.emitRecord('now', 0);
    drain(eager.gate, eager.handler);
    expect(eager.handler.records).toStrictEqual(['now']);
    expect(eager.clock.pendingTimers()).toBe(0);

    const lazy = setup({ bufferTimeoutMs: -1, bufferSize: 256 });
    lazy.partition.emitRecord('later', 0);
    lazy.clock.advance(10_000);
    drain(lazy.gate, lazy.handler);
    expect(lazy.handler.records).toStrictEqual([]);
    for (let i = 0; i < 30; i++) lazy.partition.emitRecord(i, 0); // fills a 256-byte buffer
    drain(lazy.gate, lazy.handler);
    expect(lazy.handler.records[0]).toBe('later');
  });

  it('sends a full buffer without waiting for the timeout, records never split across buffers', () => {
    const { partition, gate, handler } = setup({ bufferSize: 128, maxBuffers: 8 });
    for (let i = 0; i < 20; i++) partition.emitRecord(['word', i], 0);
    expect(partition.queuedBuffers).toBeGreaterThan(0);
    drain(gate, handler);
    const got = handler.records as [string, number][];
    expect(got.length).toBeGreaterThan(0);
    expect(got).toStrictEqual(Array.from({ length: got.length }, (_, i) => ['word', i]));
  });

  it('sends a record larger than a buffer as one oversized buffer', () => {
    const { partition, gate, handler } = setup({ bufferSize: 256 });
    const big = { text: 'ü'.repeat(5000), n: 1 };
    partition.emitRecord('before', 0);
    partition.emitRecord(big, 0);
    partition.emitRecord('after', 0);
    partition.flushAll();
    drain(gate, handler);
    expect(handler.records).toStrictEqual(['before', big, 'after']);
  });

  it('keeps watermarks and events in order with the records, and ends the input on finish()', () => {
    const { partition, gate, handler } = setup({ subpartitions: 2 });
    partition.emitRecord('r0', 0);
    partition.emitWatermark(1000);
    partition.emitRecord('r1', 1);
    partition.broadcastEvent({ type: 'checkpoint-barrier', checkpointId: 1, timestamp: 5, options: { checkpointType: 'CHECKPOINT', alignment: 'ALIGNED' } });
    partition.emitRecord('r2', 0);
    partition.finish();
    expect(drain(gate, handler)).toBe(InputStatus.END_OF_INPUT);
    const byChannel = (c: number): unknown[] =>
      handler.seen.filter((s) => s.channel === c).map((s) => ('record' in s ? s.record : 'watermark' in s ? s.watermark : 'idle' in s ? s.idle : s.event));
    expect(byChannel(0)).toStrictEqual(['r0', 1000, 'checkpoint-barrier', 'r2', 'end-of-partition']);
    expect(byChannel(1)).toStrictEqual([1000, 'r1', 'checkpoint-barrier', 'end-of-partition']);
    expect(() => partition.emitRecord('late', 0)).toThrow(/finished/);
  });

  it('carries each record timestamp and watermark status over the wire, in order; a record without one stays without', () => {
    const { partition, gate, handler } = setup({ subpartitions: 1 });
    partition.emitRecord({ id: 1 }, 0, 1_700_000_000_123);
    partition.emitRecord('no-ts', 0);
    partition.emitWatermarkStatus(true);
    partition.broadcastRecord(['k', 2], -5);
    partition.emitWatermarkStatus(false);
    partition.finish();
    expect(drain(gate, handler)).toBe(InputStatus.END_OF_INPUT);
    expect(handler.seen.map((s) => withoutChannel(s))).toStrictEqual([
      { record: { id: 1 }, timestamp: 1_700_000_000_123 },
      { record: 'no-ts' },
      { idle: true },
      { record: ['k', 2], timestamp: -5 },
      { idle: false },
      { event: 'end-of-partition' },
    ]);
    expect(gate.counters.numRecordsIn).toBe(3);
  });

  it('puts a priority event ahead of queued data', () => {
    const { partition, gate, handler } = setup();
    partition.emitRecord('queued', 0);
    partition.flushAll();
    partition.broadcastEvent({ type: 'checkpoint-barrier', checkpointId: 2, timestamp: 0, options: { checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED' } }, true);
    drain(gate, handler);
    expect(handler.seen.map((s) => ('event' in s ? s.event : 'record'))).toStrictEqual(['checkpoint-barrier', 'record']);
  });

  it('reports back-pressure when the pool is out of buffers and recovers when the consumer recycles', async () => {
    const { partition, gate, handler } = setup({ bufferSize: 128, maxBuffers: 3 });
    let i = 0;
    while (partition.emitRecord(['x', i], 0)) i++;
    expect(partition.isAvailable()).toBe(false);
    expect(partition.pool.usedBuffers).toBe(3);
    let resolved = false;
    const waiting = partition.availability().then(() => {
      resolved = true;
    });
    await Promise.resolve();
    expect(resolved).toBe(false);
    handler.stopAfterRecords = 1;
    gate.emitNext(handler); // takes the first buffer...
    drain(gate, new CollectingHandler()); // ...and the rest, recycling them
    await waiting;
    expect(resolved).toBe(true);
    expect(partition.pool.maxOverdraftBuffers).toBe(0);
  });

  it('lends overdraft buffers to a writer that ignores back-pressure, and drops them when recycled', () => {
    const { partition, gate, handler } = setup({ bufferSize: 128, maxBuffers: 2 });
    for (let i = 0; i < 100; i++) partition.emitRecord(['x', i], 0);
    expect(partition.pool.overdraftBuffers).toBeGreaterThan(0);
    partition.flushAll();
    drain(gate, handler);
    expect(handler.records).toHaveLength(100);
    expect(partition.pool.overdraftBuffers).toBe(0);
    expect(partition.pool.usedBuffers).toBe(0);
  });

  it('returns every segment to the TaskManager pool once consumed or released', () => {
    const consumed = setup({ subpartitions: 2 });
    consumed.partition.emitRecord(1, 0);
    consumed.partition.finish();
    drain(consumed.gate, consumed.handler);
    consumed.gate.close();
    expect(consumed.global.usedSegments).toBe(0);

    const released = setup({ subpartitions: 2 });
    released.partition.emitRecord(1, 0);
    released.partition.emitRecord(2, 1);
    released.partition.flushAll();
    released.partition.release(new Error('task cancelled'));
    expect(() => released.gate.emitNext(released.handler)).toThrow('task cancelled');
    released.gate.close();
    expect(released.global.usedSegments).toBe(0);
  });
});
