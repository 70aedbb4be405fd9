/**
 * What travels through a channel. Records, watermarks and latency markers are written into data
 * buffers (they need credit, like data); barriers and end-of-partition are events: separate,
 * tiny, and sent even when the consumer has no credit left, so a checkpoint barrier never waits
 * for buffer space (flink.md §4.3 — barriers travel in the same FIFO channel as records).
 */
export const ElementKind = {
  RECORD: 0,
  WATERMARK: 1,
  LATENCY_MARKER: 2,
  /** A record with its timestamp (f64) before the payload; RECORD is a record without one. */
  TIMESTAMPED_RECORD: 3,
  /** Flink's WatermarkStatus: one byte, 0 = ACTIVE, 1 = IDLE. */
  WATERMARK_STATUS: 4,
} as const;
export type ElementKind = (typeof ElementKind)[keyof typeof ElementKind];

/**
 * A record without a timestamp (Flink: StreamRecord#hasTimestamp() == false). Flink uses
 * Long.MIN_VALUE; JS numbers are doubles, so the smallest safe integer stands in for it.
 */
export const NO_TIMESTAMP = Number.MIN_SAFE_INTEGER;

/** Bytes before each element inside a data buffer: u32 length (of kind + payload), u8 kind. */
export const ELEMENT_HEADER_BYTES = 5;

export interface CheckpointOptions {
  readonly checkpointType: 'CHECKPOINT' | 'SAVEPOINT';
  /** Unaligned barriers are sent as priority events and overtake queued data. */
  readonly alignment: 'ALIGNED' | 'UNALIGNED';
}

export interface CheckpointBarrier {
  readonly type: 'checkpoint-barrier';
  readonly checkpointId: number;
  readonly timestamp: number;
  readonly options: CheckpointOptions;
}

export interface CancelCheckpointMarker {
  readonly type: 'cancel-checkpoint';
  readonly checkpointId: number;
}

export interface EndOfPartition {
  readonly type: 'end-of-partition';
}

export type NetworkEvent = CheckpointBarrier | CancelCheckpointMarker | EndOfPartition;

export const END_OF_PARTITION: EndOfPartition = Object.freeze({ type: 'end-of-partition' });

export interface LatencyMarker {
  readonly markedTime: number;
  readonly sourceId: string;
  readonly subtaskIndex: number;
}

/** Events cross processes as JSON: they are rare, so readability beats compactness. */
export function encodeEvent(event: NetworkEvent): string {
  return JSON.stringify(event);
}

export function decodeEvent(text: string): NetworkEvent {
  const parsed = JSON.parse(text) as { type?: unknown };
  switch (parsed.type) {
    case 'end-of-partition':
      return END_OF_PARTITION;
    case 'checkpoint-barrier':
    case 'cancel-checkpoint':
      return parsed as NetworkEvent;
    default:
      throw new Error(`unknown network event: ${text.slice(0, 200)}`);
  }
}
