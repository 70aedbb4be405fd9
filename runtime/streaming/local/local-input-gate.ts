import type { OneInputStreamTask } from '../tasks/one-input-stream-task.ts';
import { WatermarkValve } from '../watermark-valve.ts';
import { EVENT_STAMP, type ChannelConsumer, type ChannelEvent, type InMemoryChannel } from './in-memory-channel.ts';

/** Elements a task takes from its inputs before it yields to the event loop. */
export const INPUT_BATCH_SIZE = 4096;

export interface InputGateListener {
  /** Every input channel ended; the gate has stopped. */
  allInputsEnded(): void;
  failed(error: unknown): void;
}

/**
 * Feeds a task from its input channels (Flink's InputGate + StreamTaskNetworkInput, in one process):
 * wakes on the first element of an empty channel, takes up to a batch round-robin across channels,
 * yields with setImmediate, and stops taking while the task's own outputs are backpressured.
 */
export class LocalInputGate implements ChannelConsumer {
  private readonly channels: readonly InMemoryChannel[];
  private readonly task: OneInputStreamTask;
  private readonly listener: InputGateListener;
  private readonly valve: WatermarkValve;
  private readonly ended: boolean[];
  private endedCount = 0;
  private nextChannel = 0;
  private scheduled = false;
  private stopped = false;
  private readonly runStep = (): void => this.step();

  constructor(channels: readonly InMemoryChannel[], task: OneInputStreamTask, listener: InputGateListener) {
    this.channels = channels;
    this.task = task;
    this.listener = listener;
    this.valve = new WatermarkValve(channels.length);
    this.ended = new Array<boolean>(channels.length).fill(false);
    for (const channel of channels) channel.setConsumer(this);
  }

  notifyNonEmpty(): void {
    this.schedule();
  }

  /** Starts consuming whatever is already queued. */
  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(this.runStep);
  }

  private step(): void {
    this.scheduled = false;
    if (this.stopped) return;
    const task = this.task;
    if (!task.isAvailable()) {
      task.availability().then(
        () => this.schedule(),
        (err: unknown) => this.fail(err),
      );
      return;
    }
    const channels = this.channels;
    let budget = INPUT_BATCH_SIZE;
    try {
      for (let visited = 0; visited < channels.length && budget > 0; visited++) {
        const index = this.nextChannel;
        this.nextChannel = index + 1 === channels.length ? 0 : index + 1;
        const channel = channels[index] as InMemoryChannel;
        let share = Math.min(budget, channel.size);
        budget -= share;
        while (share-- > 0) {
          const stamp = channel.peekStamp();
          const element = channel.shift();
          if (stamp === EVENT_STAMP) this.onEvent(index, element as ChannelEvent);
          else task.processElement(element, stamp);
        }
        channel.notifyConsumed();
      }
    } catch (err) {
      this.fail(err);
      return;
    }
    if (this.stopped) return;
    for (const channel of channels) {
      if (channel.size > 0) {
        this.schedule();
        return;
      }
    }
  }

  private onEvent(channel: number, event: ChannelEvent): void {
    if (event.kind === 'watermark') {
      const advanced = this.valve.inputWatermark(channel, event.watermark);
      if (advanced !== undefined) this.task.processWatermark(advanced);
      return;
    }
    if (this.ended[channel]) return;
    this.ended[channel] = true;
    const advanced = this.valve.channelEnded(channel);
    if (advanced !== undefined) this.task.processWatermark(advanced);
    if (++this.endedCount === this.channels.length) {
      this.stopped = true;
      this.listener.allInputsEnded();
    }
  }

  private fail(error: unknown): void {
    this.stopped = true;
    this.listener.failed(error);
  }
}
