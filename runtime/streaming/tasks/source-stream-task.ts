import type { OperatorChain, SubtaskInfo } from '../operator-chain.ts';
import { END_OF_INPUT, MAX_WATERMARK } from '../stream-element.ts';
import { isSourceOperator, type SourceOperator } from '../stream-operator.ts';
import type { MailboxController } from './mailbox-processor.ts';
import { StreamTask } from './stream-task.ts';

/** Records a source emits before it yields to the event loop (and checks backpressure). */
export const SOURCE_BATCH_SIZE = 1024;

/**
 * A task whose head is a source (Flink's SourceStreamTask). Each turn of its loop emits a batch;
 * it waits while an output is back-pressured and sleeps (idle) while a rate-limited source has
 * nothing due.
 */
export class SourceStreamTask extends StreamTask {
  private source: SourceOperator<unknown> | null = null;
  private clock: SubtaskInfo['services']['clock'] | null = null;

  protected override init(chain: OperatorChain, info: SubtaskInfo): void {
    if (!isSourceOperator(chain.head)) throw new Error(`Task ${this.name} does not start with a source`);
    this.source = chain.head;
    this.clock = info.services.clock;
  }

  override runDefaultAction(controller: MailboxController): void {
    const blocked = this.blockedOutput();
    if (blocked !== null) {
      controller.suspendDefaultAction(blocked, 'output');
      return;
    }
    const source = this.source!;
    const emitted = source.emitNext(SOURCE_BATCH_SIZE);
    if (emitted === END_OF_INPUT) {
      // A bounded source ends event time, so downstream windows and timers can fire.
      source.emitWatermark(MAX_WATERMARK);
      controller.allActionsCompleted();
      return;
    }
    if (emitted === 0) {
      let cancelTimer = (): void => {};
      const due = new Promise<void>((resolve) => (cancelTimer = this.clock!.schedule(source.nextDelayMs(), resolve)));
      controller.suspendDefaultAction(due, 'input', cancelTimer);
    }
  }
}
