import { describe, expect, it } from 'vitest';
import {
  encodeCancelRequestFrame,
  encodeCloseFrame,
  encodeCreditFrame,
  encodeErrorFrame,
  encodeEventFrame,
  encodePartitionRequestFrame,
  FrameDecoder,
  writeBufferFrameHeader,
  BUFFER_FRAME_HEADER_BYTES,
  type FrameHandler,
} from '../../../../runtime/network/wire-frame.ts';

function recorder(): { handler: FrameHandler; seen: unknown[] } {
  const seen: unknown[] = [];
  const handler: FrameHandler = {
    onBuffer: (c, s, b, data, start, end) => seen.push(['buffer', c, s, b, data.toString('latin1', start, end)]),
    onEvent: (c, s, e) => seen.push(['event', c, s, e]),
    onCredit: (c, n) => seen.push(['credit', c, n]),
    onPartitionRequest: (c, p, i, n) => seen.push(['request', c, p, i, n]),
    onCancelRequest: (c) => seen.push(['cancel', c]),
    onError: (c, m) => seen.push(['error', c, m]),
    onClose: () => seen.push(['close']),
  };
  return { handler, seen };
}

describe('FrameDecoder', () => {
  it('decodes every frame type, whatever the chunking', () => {
    const payload = 'records';
    const buffer = Buffer.alloc(BUFFER_FRAME_HEADER_BYTES + Buffer.byteLength(payload, 'latin1'));
    buffer.write(payload, BUFFER_FRAME_HEADER_BYTES, 'latin1');
    writeBufferFrameHeader(new DataView(buffer.buffer, buffer.byteOffset, buffer.length), 4, 9, 2, buffer.length);
    const stream = Buffer.concat([
      encodePartitionRequestFrame(1, 'partition-ü', 3, 2),
      buffer,
      encodeEventFrame(4, 10, { type: 'checkpoint-barrier', checkpointId: 7, timestamp: 1, options: { checkpointType: 'CHECKPOINT', alignment: 'ALIGNED' } }),
      encodeCreditFrame(4, 5),
      encodeCancelRequestFrame(4),
      encodeErrorFrame(4, 'boom'),
      encodeCloseFrame(),
    ]);
    const expected = [
      ['request', 1, 'partition-ü', 3, 2],
      ['buffer', 4, 9, 2, payload],
      ['event', 4, 10, { type: 'checkpoint-barrier', checkpointId: 7, timestamp: 1, options: { checkpointType: 'CHECKPOINT', alignment: 'ALIGNED' } }],
      ['credit', 4, 5],
      ['cancel', 4],
      ['error', 4, 'boom'],
      ['close'],
    ];
    for (const size of [1, 2, 3, 7, 16, stream.length]) {
      const { handler, seen } = recorder();
      const decoder = new FrameDecoder(handler);
      for (let i = 0; i < stream.length; i += size) decoder.push(stream.subarray(i, i + size));
      expect(seen).toStrictEqual(expected);
    }
  });

  it('refuses a corrupt length instead of waiting for a gigabyte', () => {
    const { handler } = recorder();
    expect(() => new FrameDecoder(handler).push(Buffer.from([0xff, 0xff, 0xff, 0xff, 1]))).toThrow(/corrupt frame length/);
  });
});
