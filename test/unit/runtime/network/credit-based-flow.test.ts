import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { CreditBasedSender, type FrameSink } from '../../../../runtime/network/credit-based-sender.ts';
import { InputGate } from '../../../../runtime/network/input-gate.ts';
import { LocalBufferPool } from '../../../../runtime/network/local-buffer-pool.ts';
import { NetworkBufferPool } from '../../../../runtime/network/network-buffer-pool.ts';
import { ValueSerializer } from '../../../../runtime/network/record-serializer.ts';
import { RemoteInputChannel, type RemoteChannelConnection } from '../../../../runtime/network/remote-input-channel.ts';
import { ResultPartition } from '../../../../runtime/network/result-partition.ts';
import type { NetworkEvent } from '../../../../runtime/network/channel-element.ts';
import { FrameDecoder, type FrameHandler } from '../../../../runtime/network/wire-frame.ts';
import { CollectingHandler, drain } from './network-fixtures.ts';

const tick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

/** A socket that keeps what is written and completes writes only when told to. */
class FakeSink implements FrameSink {
  readonly written: { type: string; channelId: number; seq: number; backlog?: number; payload?: Buffer; event?: NetworkEvent }[] = [];
  private readonly callbacks: (() => void)[] = [];
  private readonly decoder: FrameDecoder;

  constructor() {
    const written = this.written;
    const handler: FrameHandler = {
      onBuffer: (channelId, seq, backlog, data, start, end) => written.push({ type: 'buffer', channelId, seq, backlog, payload: Buffer.from(data.subarray(start, end)) }),
      onEvent: (channelId, seq, event) => written.push({ type: 'event', channelId, seq, event }),
      onCredit: () => {},
      onPartitionRequest: () => {},
      onCancelRequest: () => {},
      onError: (channelId, message) => written.push({ type: `error: ${message}`, channelId, seq: -1 }),
      onClose: () => {},
    };
    this.decoder = new FrameDecoder(handler);
  }

  write(chunk: Uint8Array, callback?: () => void): boolean {
    this.decoder.push(Buffer.from(chunk));
    if (callback) this.callbacks.push(callback);
    return true;
  }

  cork(): void {}
  uncork(): void {}
  once(): this {
    return this;
  }

  /** The kernel took everything: complete the pending writes. */
  completeWrites(): void {
    for (const cb of this.callbacks.splice(0)) cb();
  }
}

function producer(maxBuffers = 6): { clock: ManualClock; partition: ResultPartition; global: NetworkBufferPool } {
  const clock = new ManualClock(0);
  const global = new NetworkBufferPool(32, 256);
  const pool = new LocalBufferPool(global, 2, maxBuffers, 'test');
  const partition = new ResultPartition({ id: 'p', numSubpartitions: 1, pool, serializer: new ValueSerializer(), clock, bufferTimeoutMs: -1 });
  return { clock, partition, global };
}

const fill = (partition: ResultPartition, buffers: number): void => {
  // ~25 bytes per record, 256-byte buffers: 9 records each.
  for (let i = 0; i < buffers * 9; i++) partition.emitRecord(['record', i], 0);
  partition.flushAll();
};

describe('CreditBasedSender', () => {
  it('sends data only while it has credit, and resumes when credit arrives', async () => {
    const { partition } = producer();
    const sink = new FakeSink();
    const sender = new CreditBasedSender(sink);
    sender.addReader(7, partition.subpartitions[0]!, 2);
    fill(partition, 5);
    const queued = partition.queuedBuffers;
    expect(queued).toBeGreaterThanOrEqual(5);
    await tick();
    expect(sink.written.map((f) => f.type)).toStrictEqual(['buffer', 'buffer']);
    expect(sink.written.map((f) => f.seq)).toStrictEqual([0, 1]);
    // Each buffer announces the backlog left behind it.
    expect(sink.written.map((f) => f.backlog)).toStrictEqual([queued - 1, queued - 2]);
    expect(partition.queuedBuffers).toBe(queued - 2);

    await tick();
    expect(sink.written).toHaveLength(2); // zero credit: nothing more, however long we wait

    sender.addCredit(7, 1);
    await tick();
    expect(sink.written).toHaveLength(3);
    sender.addCredit(7, 100);
    await tick();
    expect(sink.written).toHaveLength(queued);
    expect(sink.written.every((f) => f.channelId === 7)).toBe(true);
  });

  it('sends events without credit, but not ahead of data queued before them', async () => {
    const { partition } = producer();
    const sink = new FakeSink();
    const sender = new CreditBasedSender(sink);
    sender.addReader(1, partition.subpartitions[0]!, 0);
    partition.finish();
    await tick();
    expect(sink.written.map((f) => f.event?.type)).toStrictEqual(['end-of-partition']);

    const second = producer();
    const sink2 = new FakeSink();
    const sender2 = new CreditBasedSender(sink2);
    sender2.addReader(1, second.partition.subpartitions[0]!, 0);
    second.partition.emitRecord('data first', 0);
    second.partition.finish();
    await tick();
    expect(sink2.written).toStrictEqual([]);
    sender2.addCredit(1, 1);
    await tick();
    expect(sink2.written.map((f) => f.type)).toStrictEqual(['buffer', 'event']);
  });

  it('returns a buffer to the producer pool only when the socket has taken it', async () => {
    const { partition } = producer(3);
    const sink = new FakeSink();
    const sender = new CreditBasedSender(sink);
    sender.addReader(1, partition.subpartitions[0]!, 10);
    let i = 0;
    while (partition.emitRecord(['x', i++], 0));
    partition.flushAll();
    await tick();
    expect(partition.pool.usedBuffers).toBe(3);
    expect(partition.isAvailable()).toBe(false);
    sink.completeWrites();
    expect(partition.pool.usedBuffers).toBe(0);
    expect(partition.isAvailable()).toBe(true);
  });

  it('gives back in-flight buffers and stops reading when the connection closes', async () => {
    const { partition, global } = producer();
    const sink = new FakeSink();
    const sender = new CreditBasedSender(sink);
    sender.addReader(1, partition.subpartitions[0]!, 1);
    fill(partition, 3);
    await tick();
    sender.close();
    expect(partition.queuedBuffers).toBe(0);
    partition.release();
    expect(global.usedSegments).toBe(0);
  });
});

/** Records what a remote channel asks of its connection. */
class FakeConnection implements RemoteChannelConnection {
  readonly requests: { partitionId: string; subpartition: number; credit: number }[] = [];
  announced = 0;
  readonly cancelled: number[] = [];
  readonly channels: RemoteInputChannel[] = [];

  requestSubpartition(channel: RemoteInputChannel, partitionId: string, subpartition: number, credit: number): number {
    this.requests.push({ partitionId, subpartition, credit });
    this.channels.push(channel);
    return this.channels.length - 1;
  }

  notifyCreditAvailable(channel: RemoteInputChannel): void {
    queueMicrotask(() => {
      this.announced += channel.takeUnannouncedCredit();
    });
  }

  cancelRequest(channelId: number): void {
    this.cancelled.push(channelId);
  }
}

function consumer(floating = 2): { gate: InputGate; channel: RemoteInputChannel; connection: FakeConnection; global: NetworkBufferPool; floatingPool: LocalBufferPool } {
  const global = new NetworkBufferPool(16, 256);
  const floatingPool = new LocalBufferPool(global, 0, floating, 'floating');
  const gate = new InputGate({ numChannels: 1, serializer: new ValueSerializer(), floatingPool });
  const connection = new FakeConnection();
  const channel = new RemoteInputChannel({ owner: gate, channelIndex: 0, connection, partitionId: 'p', subpartitionIndex: 3, globalPool: global, exclusiveBuffers: 2, floatingPool });
  gate.setChannel(channel);
  gate.requestPartitions();
  return { gate, channel, connection, global, floatingPool };
}

/** One encoded data buffer holding the given records, as a BUFFER frame payload. */
function payload(...records: unknown[]): Buffer {
  const { partition } = producer();
  for (const r of records) partition.emitRecord(r, 0);
  partition.flushAll();
  const buffer = partition.subpartitions[0]!.poll()!;
  return Buffer.from(buffer.bytes.subarray(buffer.start, buffer.size));
}

describe('RemoteInputChannel credit accounting', () => {
  it('asks with its exclusive buffers as initial credit; a buffer beyond the credit is refused', () => {
    const { gate, channel, connection } = consumer(0);
    expect(connection.requests).toStrictEqual([{ partitionId: 'p', subpartition: 3, credit: 2 }]);
    const data = payload(['a', 1]);
    channel.onBuffer(0, 0, data, 0, data.length);
    channel.onBuffer(1, 0, data, 0, data.length);
    expect(channel.credit).toBe(0);
    // A third buffer without credit is a protocol violation.
    channel.onBuffer(2, 0, data, 0, data.length);
    expect(() => gate.emitNext(new CollectingHandler())).toThrow(/without credit/);
  });

  it('recycling buffers turns them into announced credit', async () => {
    const { gate, channel, connection } = consumer(0);
    const data = payload(['a', 1], ['b', 2]);
    channel.onBuffer(0, 0, data, 0, data.length);
    channel.onBuffer(1, 0, data, 0, data.length);
    expect(channel.credit).toBe(0);
    const handler = new CollectingHandler();
    drain(gate, handler);
    expect(handler.records).toHaveLength(4);
    expect(channel.credit).toBe(2);
    await Promise.resolve();
    expect(connection.announced).toBe(2);
  });

  it('borrows floating buffers for a backlog and gives them back when it is gone', async () => {
    const { gate, channel, connection, floatingPool } = consumer(2);
    const data = payload(['a', 1]);
    channel.onBuffer(0, 5, data, 0, data.length); // backlog 5: wants 5 + 2 free buffers
    expect(floatingPool.usedBuffers).toBe(2); // all the gate has
    expect(channel.credit).toBe(1 + 2);
    await Promise.resolve();
    expect(connection.announced).toBe(2);
    channel.onBuffer(1, 0, data, 0, data.length); // backlog gone
    channel.onBuffer(2, 0, data, 0, data.length);
    channel.onBuffer(3, 0, data, 0, data.length);
    drain(gate, new CollectingHandler());
    // As in Flink, a channel keeps backlog + initialCredit free buffers: processed floating buffers
    // beyond that go back to the gate, exclusive ones always stay as credit.
    expect(floatingPool.usedBuffers).toBe(1);
    expect(channel.credit).toBe(3);
    channel.onBuffer(4, 0, data, 0, data.length);
    channel.onBuffer(5, 0, data, 0, data.length);
    channel.onBuffer(6, 0, data, 0, data.length);
    drain(gate, new CollectingHandler());
    expect(floatingPool.usedBuffers).toBe(0);
    expect(channel.credit).toBe(2);
  });

  it('hands a floating buffer to a channel waiting for one as soon as it is recycled', () => {
    const global = new NetworkBufferPool(16, 256);
    const floatingPool = new LocalBufferPool(global, 0, 1, 'floating');
    const gate = new InputGate({ numChannels: 2, serializer: new ValueSerializer(), floatingPool });
    const connection = new FakeConnection();
    const make = (i: number): RemoteInputChannel =>
      new RemoteInputChannel({ owner: gate, channelIndex: i, connection, partitionId: 'p', subpartitionIndex: i, globalPool: global, exclusiveBuffers: 1, floatingPool });
    const [a, b] = [make(0), make(1)];
    gate.setChannel(a);
    gate.setChannel(b);
    gate.requestPartitions();
    const data = payload(1);
    a.onBuffer(0, 3, data, 0, data.length); // a takes the only floating buffer
    expect(a.credit).toBe(1);
    b.onBuffer(0, 3, data, 0, data.length); // b must wait for it
    expect(b.credit).toBe(0);
    a.onBuffer(1, 0, data, 0, data.length); // a's backlog is gone, so once processed the buffer moves on
    drain(gate, new CollectingHandler());
    expect(b.credit).toBeGreaterThanOrEqual(1);
    expect(floatingPool.usedBuffers).toBe(1);
  });

  it('lets an unaligned barrier overtake received data, and keeps aligned ones in line', () => {
    const { gate, channel } = consumer(0);
    const data = payload('data');
    const barrier = (alignment: 'ALIGNED' | 'UNALIGNED', checkpointId: number) =>
      ({ type: 'checkpoint-barrier', checkpointId, timestamp: 0, options: { checkpointType: 'CHECKPOINT', alignment } }) as const;
    channel.onBuffer(0, 0, data, 0, data.length);
    channel.onEvent(1, barrier('ALIGNED', 1));
    channel.onEvent(2, barrier('UNALIGNED', 2));
    const handler = new CollectingHandler();
    drain(gate, handler);
    expect(handler.seen.map((s) => ('record' in s ? s.record : s))).toStrictEqual([{ channel: 0, event: 'checkpoint-barrier' }, 'data', { channel: 0, event: 'checkpoint-barrier' }]);
  });

  it('rejects buffers out of sequence and gives all memory back on release', () => {
    const { gate, channel, connection, global } = consumer();
    const data = payload(1);
    channel.onBuffer(1, 0, data, 0, data.length);
    expect(() => gate.emitNext(new CollectingHandler())).toThrow(/out of order/);
    gate.close();
    expect(connection.cancelled).toStrictEqual([0]);
    expect(global.usedSegments).toBe(0);
  });
});
