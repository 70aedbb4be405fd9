import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { InputGate, InputStatus } from '../../../../runtime/network/input-gate.ts';
import { LocalInputChannel } from '../../../../runtime/network/input-channel.ts';
import { LocalBufferPool } from '../../../../runtime/network/local-buffer-pool.ts';
import { NetworkBufferPool } from '../../../../runtime/network/network-buffer-pool.ts';
import { PartitionRegistry } from '../../../../runtime/network/partition-registry.ts';
import { ValueSerializer } from '../../../../runtime/network/record-serializer.ts';
import { ResultPartition } from '../../../../runtime/network/result-partition.ts';
import { CollectingHandler, drain } from './network-fixtures.ts';

/** Two producers, one consumer gate reading subpartition 0 of each. */
function twoProducers(): { registry: PartitionRegistry; producers: ResultPartition[]; gate: InputGate; global: NetworkBufferPool } {
  const clock = new ManualClock(0);
  const global = new NetworkBufferPool(32, 512);
  const registry = new PartitionRegistry();
  const gate = new InputGate({ numChannels: 2, serializer: new ValueSerializer() });
  for (let i = 0; i < 2; i++) gate.setChannel(new LocalInputChannel(gate, i, registry, `p${i}`, 0));
  gate.requestPartitions(); // before the producers exist: the requests wait for registration
  const producers = [0, 1].map((i) => {
    const p = new ResultPartition({ id: `p${i}`, numSubpartitions: 1, pool: new LocalBufferPool(global, 2, 4, `p${i}`), serializer: new ValueSerializer(), clock, bufferTimeoutMs: 0 });
    registry.register(p);
    return p;
  });
  return { registry, producers, gate, global };
}

describe('InputGate', () => {
  it('waits for producers registered after the request, then reads channels round robin', async () => {
    const { producers, gate } = twoProducers();
    const handler = new CollectingHandler();
    expect(gate.emitNext(handler)).toBe(InputStatus.NOTHING_AVAILABLE);
    const available = gate.availability();
    producers[0]!.emitRecord('a1', 0);
    producers[0]!.emitRecord('a2', 0);
    producers[1]!.emitRecord('b1', 0);
    await available;
    drain(gate, handler);
    expect(handler.seen).toStrictEqual([
      { channel: 0, record: 'a1' },
      { channel: 1, record: 'b1' },
      { channel: 0, record: 'a2' },
    ]);
  });

  it('ends only when every channel has ended', () => {
    const { producers, gate } = twoProducers();
    const handler = new CollectingHandler();
    producers[0]!.finish();
    expect(drain(gate, handler)).toBe(InputStatus.NOTHING_AVAILABLE);
    expect(gate.isFinished).toBe(false);
    producers[1]!.finish();
    expect(drain(gate, handler)).toBe(InputStatus.END_OF_INPUT);
    expect(handler.seen).toStrictEqual([
      { channel: 0, event: 'end-of-partition' },
      { channel: 1, event: 'end-of-partition' },
    ]);
  });

  it('leaves a blocked channel queued until unblocked (room for barrier alignment)', () => {
    const { producers, gate } = twoProducers();
    const handler = new CollectingHandler();
    gate.blockChannel(0);
    producers[0]!.emitRecord('held', 0);
    producers[1]!.emitRecord('free', 0);
    drain(gate, handler);
    expect(handler.records).toStrictEqual(['free']);
    gate.unblockChannel(0);
    drain(gate, handler);
    expect(handler.records).toStrictEqual(['free', 'held']);
  });

  it('stops when the handler says so and continues mid-buffer on the next call', () => {
    const clock = new ManualClock(0);
    const global = new NetworkBufferPool(8, 4096);
    const registry = new PartitionRegistry();
    const p = new ResultPartition({ id: 'p', numSubpartitions: 1, pool: new LocalBufferPool(global, 2, 2, 'p'), serializer: new ValueSerializer(), clock, bufferTimeoutMs: 100 });
    registry.register(p);
    const gate = new InputGate({ numChannels: 1, serializer: new ValueSerializer() });
    gate.setChannel(new LocalInputChannel(gate, 0, registry, 'p', 0));
    gate.requestPartitions();
    for (let i = 0; i < 10; i++) p.emitRecord(i, 0);
    p.flushAll();
    const handler = new CollectingHandler();
    handler.stopAfterRecords = 3;
    expect(gate.emitNext(handler)).toBe(InputStatus.MORE_AVAILABLE);
    expect(handler.records).toStrictEqual([0, 1, 2]);
    expect(gate.emitNext(handler, 4)).toBe(InputStatus.MORE_AVAILABLE);
    expect(handler.records).toHaveLength(4);
    handler.stopAfterRecords = Infinity;
    drain(gate, handler);
    expect(handler.records).toStrictEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(gate.counters.numRecordsIn).toBe(10);
    expect(p.counters.numRecordsOut).toBe(10);
    expect(gate.counters.numBytesIn).toBe(p.counters.numBytesOut);
  });

  it('surfaces a producer failure to the consumer', async () => {
    const { producers, gate, global } = twoProducers();
    const waiting = gate.availability();
    producers[1]!.release(new Error('producer task failed'));
    await waiting;
    expect(() => gate.emitNext(new CollectingHandler())).toThrow('producer task failed');
    gate.close();
    producers[0]!.release();
    expect(global.usedSegments).toBe(0);
  });
});
