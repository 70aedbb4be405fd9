import { InputStatus, type InputGate, type StreamElementHandler } from '../network/input-gate.ts';
import type { NetworkEvent } from '../network/channel-element.ts';
import type { TaskIOMetrics } from '../network/task-io-metrics.ts';
import { NO_TIMESTAMP } from '../streaming/stream-element.ts';
import type { OneInputStreamTask } from '../streaming/tasks/one-input-stream-task.ts';
import type { OutputAvailability } from '../streaming/tasks/stream-task.ts';
import { WatermarkValve } from '../streaming/watermark-valve.ts';

/** Elements taken from one gate before the loop checks cancellation and yields to the event loop. */
export const INPUT_BATCH_SIZE = 4096;

const yieldToEventLoop = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The loop of a task with network inputs (Flink's StreamOneInputProcessor over all its gates, as a
 * union): drains the gates round robin in batches, hands records to the task's chain, combines
 * watermarks over every channel, stops a batch as soon as an output is back-pressured, and waits
 * (booked as idle or back-pressured time) when there is nothing it can do. No per-record promise.
 */
export class StreamInputProcessor implements StreamElementHandler<unknown> {
  private readonly gates: readonly InputGate<unknown>[];
  private readonly task: OneInputStreamTask;
  private readonly metrics: TaskIOMetrics;
  private readonly cancelled: Promise<void>;
  private readonly extraOutput: OutputAvailability | null;
  private readonly offsets: number[] = [];
  private readonly ended: boolean[];
  private readonly valve: WatermarkValve;
  private offset = 0;
  private stopped = false;

  constructor(gates: readonly InputGate<unknown>[], task: OneInputStreamTask, metrics: TaskIOMetrics, cancelled: Promise<void>, extraOutput: OutputAvailability | null = null) {
    this.gates = gates;
    this.extraOutput = extraOutput;
    this.task = task;
    this.metrics = metrics;
    this.cancelled = cancelled;
    let channels = 0;
    for (const gate of gates) {
      this.offsets.push(channels);
      channels += gate.numChannels;
    }
    this.ended = gates.map(() => false);
    this.valve = new WatermarkValve(channels);
  }

  processRecord(record: unknown): boolean {
    this.task.processElement(record, NO_TIMESTAMP);
    return this.task.isAvailable();
  }

  processWatermark(timestamp: number, channelIndex: number): boolean {
    const advanced = this.valve.inputWatermark(this.offset + channelIndex, timestamp);
    if (advanced !== undefined) this.task.processWatermark(advanced);
    return this.task.isAvailable();
  }

  processEvent(event: NetworkEvent, channelIndex: number): void {
    if (event.type !== 'end-of-partition') return;
    const advanced = this.valve.channelEnded(this.offset + channelIndex);
    if (advanced !== undefined) this.task.processWatermark(advanced);
  }

  /** Stops the loop at its next turn (cancel). */
  stop(): void {
    this.stopped = true;
  }

  /** Runs until every gate ended (resolves) or stop() (resolves early); throws a channel's or operator's failure. */
  async run(): Promise<void> {
    const gates = this.gates;
    const task = this.task;
    let next = 0;
    for (;;) {
      if (this.stopped) return;
      let progressed = false;
      let open = 0;
      for (let visited = 0; visited < gates.length; visited++) {
        const index = next;
        next = index + 1 === gates.length ? 0 : index + 1;
        if (this.ended[index]) continue;
        this.offset = this.offsets[index]!;
        const status = gates[index]!.emitNext(this, INPUT_BATCH_SIZE);
        if (status === InputStatus.END_OF_INPUT) {
          this.ended[index] = true;
          continue;
        }
        open++;
        if (status === InputStatus.MORE_AVAILABLE) progressed = true;
        if (!task.isAvailable()) break;
      }
      if (open === 0) return;
      if (this.stopped) return;
      if (!task.isAvailable()) {
        await this.metrics.waitForOutput(Promise.race([task.availability(), this.cancelled]));
      } else if (this.extraOutput !== null && !this.extraOutput.isAvailable()) {
        await this.metrics.waitForOutput(Promise.race([this.extraOutput.availability(), this.cancelled]));
      } else if (!progressed) {
        await this.metrics.waitForInput(Promise.race([...this.openGates().map((g) => g.availability()), this.cancelled]));
      } else {
        // Let timers (buffer timeout, heartbeats) and socket I/O (credits) have their turn.
        await yieldToEventLoop();
      }
    }
  }

  private openGates(): InputGate<unknown>[] {
    return this.gates.filter((_, i) => !this.ended[i]);
  }
}
