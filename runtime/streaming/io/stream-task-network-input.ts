import type { NetworkEvent } from '../../network/channel-element.ts';
import { InputStatus, type IndexedInputGate, type StreamElementHandler } from '../../network/input-gate.ts';
import { NO_TIMESTAMP } from '../stream-element.ts';
import { WatermarkValve, type ChannelWatermark } from './watermark-valve.ts';

/** The valve's view of a task's input, gate by gate (what the task reports to its JobMaster). */
export interface InputWatermarks {
  /** The watermark forwarded to the chain's head; NEGATIVE_INFINITY before the first. */
  readonly currentInputWatermark: number;
  /** Every channel of every gate, in gate order. */
  readonly gates: readonly (readonly ChannelWatermark[])[];
  /** The channel holding the minimum back, if one does. */
  readonly heldBackBy: { readonly gate: number; readonly channel: number } | undefined;
}

/** Elements taken from one gate before the task's loop checks its mailbox and yields to the event loop. */
export const INPUT_BATCH_SIZE = 4096;

/**
 * Where a task's input hands the elements it read (Flink's PushingAsyncDataInput.DataOutput): the
 * head of the task's chain.
 */
export interface DataOutput<T> {
  emitRecord(record: T, timestamp: number): void;
  emitWatermark(watermark: number): void;
  emitWatermarkStatus(idle: boolean): void;
  /** Whether the task's outputs can take more; the input stops its batch as soon as they cannot. */
  isAvailable(): boolean;
}

/**
 * The network input of a task (Flink's StreamTaskNetworkInput), over all its gates as a union:
 * each call drains the gates round robin in batches and hands records to the output; watermarks
 * are combined over every channel of every gate (the valve); end-of-partition ends a channel.
 * Later element kinds (watermark status, checkpoint barriers) are handled here, once, for the
 * TaskManager and the LocalExecutor alike.
 */
export class StreamTaskNetworkInput implements StreamElementHandler<unknown> {
  private readonly gates: readonly IndexedInputGate<unknown>[];
  private readonly output: DataOutput<unknown>;
  private readonly offsets: number[] = [];
  private readonly ended: boolean[];
  private readonly valve: WatermarkValve;
  private offset = 0;
  private next = 0;

  constructor(gates: readonly IndexedInputGate<unknown>[], output: DataOutput<unknown>) {
    this.gates = gates;
    this.output = output;
    let channels = 0;
    for (const gate of gates) {
      this.offsets.push(channels);
      channels += gate.numChannels;
    }
    this.ended = gates.map(() => false);
    this.valve = new WatermarkValve(channels, output);
  }

  processRecord(record: unknown, _channelIndex: number, timestamp?: number): boolean {
    this.output.emitRecord(record, timestamp ?? NO_TIMESTAMP);
    return this.output.isAvailable();
  }

  processWatermark(timestamp: number, channelIndex: number): boolean {
    this.valve.inputWatermark(this.offset + channelIndex, timestamp);
    return this.output.isAvailable();
  }

  processWatermarkStatus(idle: boolean, channelIndex: number): boolean {
    this.valve.inputWatermarkStatus(this.offset + channelIndex, idle);
    return this.output.isAvailable();
  }

  /** The valve's view of every input channel (gates' channels in order), for the watermarks REST view. */
  get watermarkValve(): WatermarkValve {
    return this.valve;
  }

  inputWatermarks(): InputWatermarks {
    const valve = this.valve;
    const min = valve.minimumChannel();
    let heldBackBy: InputWatermarks['heldBackBy'];
    const gates = this.gates.map((gate, g) => {
      const offset = this.offsets[g]!;
      if (min >= offset && min < offset + gate.numChannels) heldBackBy = { gate: g, channel: min - offset };
      return Array.from({ length: gate.numChannels }, (_, c) => valve.channel(offset + c));
    });
    return { currentInputWatermark: valve.currentWatermark, gates, heldBackBy };
  }

  processEvent(event: NetworkEvent, channelIndex: number): void {
    switch (event.type) {
      case 'end-of-partition': {
        this.valve.channelEnded(this.offset + channelIndex);
        return;
      }
      case 'checkpoint-barrier':
      case 'cancel-checkpoint':
        // Ignored on purpose until checkpoints exist: barrier alignment will sit here.
        return;
    }
  }

  /**
   * One round over the gates that have not ended. MORE_AVAILABLE if a gate may have more right
   * away (or the output stopped the round), NOTHING_AVAILABLE if all were drained, END_OF_INPUT
   * once every gate ended. Throws a channel's or an operator's failure.
   */
  emitNext(): InputStatus {
    const gates = this.gates;
    const output = this.output;
    let progressed = false;
    let open = 0;
    for (let visited = 0; visited < gates.length; visited++) {
      const index = this.next;
      this.next = index + 1 === gates.length ? 0 : index + 1;
      if (this.ended[index]) continue;
      this.offset = this.offsets[index]!;
      const status = gates[index]!.emitNext(this, INPUT_BATCH_SIZE);
      if (status === InputStatus.END_OF_INPUT) {
        this.ended[index] = true;
        continue;
      }
      open++;
      if (status === InputStatus.MORE_AVAILABLE) progressed = true;
      if (!output.isAvailable()) break;
    }
    if (open === 0) return InputStatus.END_OF_INPUT;
    return progressed ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
  }

  /**
   * Resolves when a gate that has not ended may have something. Once every gate ended it resolves
   * at once: the next emitNext says END_OF_INPUT (a race over no gates would never settle).
   */
  availability(): Promise<void> {
    const open = this.gates.filter((_, i) => !this.ended[i]);
    if (open.length === 0) return Promise.resolve();
    return open.length === 1 ? open[0]!.availability() : Promise.race(open.map((g) => g.availability()));
  }
}
