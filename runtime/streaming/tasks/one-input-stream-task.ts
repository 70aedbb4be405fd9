import { StreamOneInputProcessor } from '../io/stream-one-input-processor.ts';
import { StreamTaskNetworkInput, type DataOutput, type InputWatermarks } from '../io/stream-task-network-input.ts';
import type { OperatorChain, SubtaskInfo } from '../operator-chain.ts';
import type { StreamOperator } from '../stream-operator.ts';
import { StreamTask } from './stream-task.ts';

/**
 * A task with one logical input (Flink's OneInputStreamTask): all its input gates, as a union, feed
 * the chain's head.
 */
export class OneInputStreamTask extends StreamTask {
  private input: StreamTaskNetworkInput | null = null;

  protected override init(chain: OperatorChain, _info: SubtaskInfo): void {
    const input = new StreamTaskNetworkInput(this.environment.inputGates ?? [], new StreamTaskNetworkOutput(chain));
    this.input = input;
    this.inputProcessor = new StreamOneInputProcessor(input);
  }

  protected override inputWatermarks(): InputWatermarks | undefined {
    return this.input?.inputWatermarks();
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
