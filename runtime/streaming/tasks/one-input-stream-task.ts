import { InputStatus } from '../../network/input-gate.ts';
import type { StreamInputProcessor } from '../io/stream-input-processor.ts';
import { StreamOneInputProcessor } from '../io/stream-one-input-processor.ts';
import { StreamTaskNetworkInput, type DataOutput, type InputWatermarks } from '../io/stream-task-network-input.ts';
import type { OperatorChain, SubtaskInfo } from '../operator-chain.ts';
import type { StreamOperator } from '../stream-operator.ts';
import type { MailboxController } from './mailbox-processor.ts';
import { StreamTask } from './stream-task.ts';

/**
 * A task with one logical input (Flink's OneInputStreamTask): each turn of its loop processes a
 * batch of its input gates into the chain's head; it waits (idle) when no gate has anything and
 * (back-pressured) while an output cannot take more.
 */
export class OneInputStreamTask extends StreamTask {
  private inputProcessor: StreamInputProcessor | null = null;
  private input: StreamTaskNetworkInput | null = null;

  protected override init(chain: OperatorChain, _info: SubtaskInfo): void {
    const input = new StreamTaskNetworkInput(this.environment.inputGates ?? [], new StreamTaskNetworkOutput(chain));
    this.input = input;
    this.inputProcessor = new StreamOneInputProcessor(input);
  }

  protected override inputWatermarks(): InputWatermarks | undefined {
    return this.input?.inputWatermarks();
  }

  runDefaultAction(controller: MailboxController): void {
    const processor = this.inputProcessor!;
    const status = processor.processInput();
    if (status === InputStatus.END_OF_INPUT) {
      controller.allActionsCompleted();
      return;
    }
    const blocked = this.blockedOutput();
    if (blocked !== null) controller.suspendDefaultAction(blocked, 'output');
    else if (status === InputStatus.NOTHING_AVAILABLE) controller.suspendDefaultAction(processor.availability(), 'input');
  }
}

/** Hands what the input read to the head operator of the chain (Flink's StreamTaskNetworkOutput). */
class StreamTaskNetworkOutput implements DataOutput<unknown> {
  private readonly chain: OperatorChain;
  private readonly head: StreamOperator<unknown, unknown>;

  constructor(chain: OperatorChain) {
    this.chain = chain;
    this.head = chain.head;
  }

  emitRecord(record: unknown, timestamp: number): void {
    this.head.collect(record, timestamp);
  }

  emitWatermark(watermark: number): void {
    this.head.emitWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    this.head.emitWatermarkStatus(idle);
  }

  isAvailable(): boolean {
    return this.chain.isAvailable();
  }
}
