import type { OperatorChain, SubtaskInfo } from '../operator-chain.ts';
import type { StreamOperator } from '../stream-operator.ts';
import type { MailboxController } from './mailbox-processor.ts';
import { StreamTask } from './stream-task.ts';

/** A task with one logical input (Flink's OneInputStreamTask): records are pushed into its chain's head. */
export class OneInputStreamTask extends StreamTask {
  readonly isSource = false;
  private head: StreamOperator<unknown, unknown> | null = null;

  protected override init(chain: OperatorChain, _info: SubtaskInfo): void {
    this.head = chain.head;
  }

  processElement(record: unknown, timestamp: number): void {
    this.head!.collect(record, timestamp);
  }

  processWatermark(watermark: number): void {
    this.head!.emitWatermark(watermark);
  }

  runDefaultAction(controller: MailboxController): void {
    controller.allActionsCompleted();
  }
}
