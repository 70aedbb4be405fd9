import { InputStatus, type InputGate, type StreamElementHandler } from '../../../../runtime/network/input-gate.ts';
import type { NetworkEvent } from '../../../../runtime/network/channel-element.ts';

export type Seen = { channel: number } & (
  | { record: unknown; timestamp?: number }
  | { watermark: number }
  | { idle: boolean }
  | { event: NetworkEvent['type'] }
);

/** Remembers every element in arrival order. */
export class CollectingHandler implements StreamElementHandler<unknown> {
  readonly seen: Seen[] = [];
  stopAfterRecords = Infinity;

  get records(): unknown[] {
    return this.seen.flatMap((s) => ('record' in s ? [s.record] : []));
  }

  processRecord(record: unknown, channel: number, timestamp?: number): boolean {
    this.seen.push(timestamp === undefined ? { channel, record } : { channel, record, timestamp });
    return this.records.length < this.stopAfterRecords;
  }

  processWatermark(watermark: number, channel: number): void {
    this.seen.push({ channel, watermark });
  }

  processWatermarkStatus(idle: boolean, channel: number): void {
    this.seen.push({ channel, idle });
  }

  processEvent(event: NetworkEvent, channel: number): void {
    this.seen.push({ channel, event: event.type });
  }
}

/** Drains what is available right now; returns the last status. */
export function drain(gate: InputGate, handler: StreamElementHandler<unknown>): InputStatus {
  for (;;) {
    const status = gate.emitNext(handler);
    if (status !== InputStatus.MORE_AVAILABLE) return status;
  }
}
