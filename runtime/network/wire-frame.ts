import { decodeEvent, encodeEvent, type NetworkEvent } from './channel-element.ts';

/**
 * Framing on a TaskManager-to-TaskManager connection. Every frame is
 * `u32 length (of what follows) | u8 type | fields`, big-endian. One connection carries many
 * channels, told apart by a channel id the consumer side assigns.
 */
export const FrameType = {
  /** producer → consumer: u32 channelId, u32 seq, u32 backlog, payload */
  BUFFER: 1,
  /** producer → consumer: u32 channelId, u32 seq, JSON event */
  EVENT: 2,
  /** consumer → producer: u32 channelId, u32 credits */
  CREDIT: 3,
  /** consumer → producer: u32 channelId, u32 subpartition, u32 initial credit, UTF-8 partition id */
  PARTITION_REQUEST: 4,
  /** consumer → producer: u32 channelId — the consumer is done (or cancelled) */
  CANCEL_REQUEST: 5,
  /** producer → consumer: u32 channelId (0xffffffff: whole connection), UTF-8 message */
  ERROR: 6,
  /** either way: the sender will write nothing more */
  CLOSE: 7,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/**
 * Data buffers reserve this many bytes in front of their payload so the sender writes the frame
 * header in place and hands the pooled segment to the socket without a copy.
 */
export const BUFFER_FRAME_HEADER_BYTES = 17;
export const CONNECTION_CHANNEL_ID = 0xffffffff;
/** Guards against reading garbage as a length (records larger than this are refused). */
const MAX_FRAME_BYTES = 1 << 30;

export function writeBufferFrameHeader(view: DataView, channelId: number, seq: number, backlog: number, frameEnd: number): void {
  view.setUint32(0, frameEnd - 4);
  view.setUint8(4, FrameType.BUFFER);
  view.setUint32(5, channelId);
  view.setUint32(9, seq);
  view.setUint32(13, backlog);
}

function frame(type: FrameType, fixed: readonly number[], text?: string): Buffer {
  const textBytes = text === undefined ? 0 : Buffer.byteLength(text);
  const out = Buffer.allocUnsafe(5 + 4 * fixed.length + textBytes);
  out.writeUInt32BE(out.length - 4, 0);
  out.writeUInt8(type, 4);
  let pos = 5;
  for (const v of fixed) pos = out.writeUInt32BE(v, pos);
  if (text !== undefined) out.write(text, pos, 'utf8');
  return out;
}

export const encodeEventFrame = (channelId: number, seq: number, event: NetworkEvent): Buffer =>
  frame(FrameType.EVENT, [channelId, seq], encodeEvent(event));
export const encodeCreditFrame = (channelId: number, credits: number): Buffer => frame(FrameType.CREDIT, [channelId, credits]);
export const encodePartitionRequestFrame = (channelId: number, partitionId: string, subpartition: number, credit: number): Buffer =>
  frame(FrameType.PARTITION_REQUEST, [channelId, subpartition, credit], partitionId);
export const encodeCancelRequestFrame = (channelId: number): Buffer => frame(FrameType.CANCEL_REQUEST, [channelId]);
export const encodeErrorFrame = (channelId: number, message: string): Buffer => frame(FrameType.ERROR, [channelId], message);
export const encodeCloseFrame = (): Buffer => frame(FrameType.CLOSE, []);

export interface FrameHandler {
  /** `data[start, end)` is only valid during the call: copy it. */
  onBuffer(channelId: number, seq: number, backlog: number, data: Buffer, start: number, end: number): void;
  onEvent(channelId: number, seq: number, event: NetworkEvent): void;
  onCredit(channelId: number, credits: number): void;
  onPartitionRequest(channelId: number, partitionId: string, subpartition: number, initialCredit: number): void;
  onCancelRequest(channelId: number): void;
  onError(channelId: number, message: string): void;
  onClose(): void;
}

/**
 * Cuts a byte stream into frames. A frame split across socket chunks is reassembled by
 * concatenating the tail with the next chunk: at most one buffer's worth of copying per chunk,
 * far below what decoding the records costs.
 */
export class FrameDecoder {
  private readonly handler: FrameHandler;
  private pending: Buffer | null = null;

  constructor(handler: FrameHandler) {
    this.handler = handler;
  }

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.pending !== null) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let pos = 0;
    const n = data.length;
    while (n - pos >= 5) {
      const length = data.readUInt32BE(pos);
      if (length < 1 || length > MAX_FRAME_BYTES) throw new Error(`corrupt frame length ${length}`);
      const end = pos + 4 + length;
      if (end > n) break;
      this.dispatch(data, pos + 4, end);
      pos = end;
    }
    if (pos < n) this.pending = pos === 0 ? data : data.subarray(pos);
  }

  private dispatch(data: Buffer, pos: number, end: number): void {
    const type = data[pos]!;
    const h = this.handler;
    switch (type) {
      case FrameType.BUFFER:
        h.onBuffer(data.readUInt32BE(pos + 1), data.readUInt32BE(pos + 5), data.readUInt32BE(pos + 9), data, pos + 13, end);
        return;
      case FrameType.EVENT:
        h.onEvent(data.readUInt32BE(pos + 1), data.readUInt32BE(pos + 5), decodeEvent(data.toString('utf8', pos + 9, end)));
        return;
      case FrameType.CREDIT:
        h.onCredit(data.readUInt32BE(pos + 1), data.readUInt32BE(pos + 5));
        return;
      case FrameType.PARTITION_REQUEST:
        h.onPartitionRequest(
          data.readUInt32BE(pos + 1),
          data.toString('utf8', pos + 13, end),
          data.readUInt32BE(pos + 5),
          data.readUInt32BE(pos + 9),
        );
        return;
      case FrameType.CANCEL_REQUEST:
        h.onCancelRequest(data.readUInt32BE(pos + 1));
        return;
      case FrameType.ERROR:
        h.onError(data.readUInt32BE(pos + 1), data.toString('utf8', pos + 5, end));
        return;
      case FrameType.CLOSE:
        h.onClose();
        return;
      default:
        throw new Error(`unknown frame type ${type}`);
    }
  }
}
