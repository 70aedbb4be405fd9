import { AVAILABLE, AvailabilityNotifier } from '../../network/availability-notifier.ts';
import type { NetworkEvent } from '../../network/channel-element.ts';
import { InputStatus, type IndexedInputGate, type StreamElementHandler } from '../../network/input-gate.ts';
import { EVENT_STAMP, WATERMARK_STAMP, WATERMARK_STATUS_STAMP, type ChannelConsumer, type InMemoryChannel } from './in-memory-channel.ts';

/**
 * The input gate of a LocalExecutor subtask: the network gate's contract over in-memory channels
 * (as Flink's MiniCluster reads local channels), so the task's input processor is the same one a
 * TaskManager runs. Takes elements round robin, a run of each channel's queue per turn, and wakes
 * the producers of a channel once it has room again.
 */
export class InMemoryInputGate implements IndexedInputGate<unknown>, ChannelConsumer {
  private readonly channels: readonly InMemoryChannel[];
  private readonly finished: boolean[];
  private numFinished = 0;
  private nextChannel = 0;
  private readonly notifier = new AvailabilityNotifier();

  constructor(channels: readonly InMemoryChannel[]) {
    this.channels = channels;
    this.finished = new Array<boolean>(channels.length).fill(false);
    for (const channel of channels) channel.setConsumer(this);
  }

  get numChannels(): number {
    return this.channels.length;
  }

  notifyNonEmpty(): void {
    this.notifier.notify();
  }

  availability(): Promise<void> {
    if (this.numFinished === this.channels.length) return AVAILABLE;
    for (const channel of this.channels) if (channel.size > 0) return AVAILABLE;
    return this.notifier.wait();
  }

  emitNext(handler: StreamElementHandler<unknown>, maxElements = Number.MAX_SAFE_INTEGER): InputStatus {
    const channels = this.channels;
    let budget = maxElements;
    for (let visited = 0; visited < channels.length; visited++) {
      const index = this.nextChannel;
      this.nextChannel = index + 1 === channels.length ? 0 : index + 1;
      const channel = channels[index] as InMemoryChannel;
      if (channel.size === 0) continue;
      try {
        while (channel.size > 0) {
          const stamp = channel.peekStamp();
          const element = channel.shift();
          let proceed: boolean | void;
          if (stamp === WATERMARK_STAMP) {
            proceed = handler.processWatermark(element as number, index);
          } else if (stamp === WATERMARK_STATUS_STAMP) {
            proceed = handler.processWatermarkStatus?.(element as boolean, index);
          } else if (stamp === EVENT_STAMP) {
            const event = element as NetworkEvent;
            if (event.type === 'end-of-partition') {
              if (this.finished[index]) continue;
              this.finished[index] = true;
              this.numFinished++;
            }
            handler.processEvent(event, index);
            return InputStatus.MORE_AVAILABLE; // an event was handled
          } else {
            proceed = handler.processRecord(element, index, stamp);
          }
          if (--budget <= 0 || proceed === false) return InputStatus.MORE_AVAILABLE;
        }
      } finally {
        channel.notifyConsumed();
      }
    }
    return this.numFinished === channels.length ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
  }
}
