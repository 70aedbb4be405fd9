import type { InputStatus } from '../../network/input-gate.ts';
import type { StreamInputProcessor } from './stream-input-processor.ts';
import type { StreamTaskNetworkInput } from './stream-task-network-input.ts';

/** The input processor of a one-input task (Flink's StreamOneInputProcessor): its one input, as is. */
export class StreamOneInputProcessor implements StreamInputProcessor {
  private readonly input: StreamTaskNetworkInput;

  constructor(input: StreamTaskNetworkInput) {
    this.input = input;
  }

  processInput(): InputStatus {
    return this.input.emitNext();
  }

  availability(): Promise<void> {
    return this.input.availability();
  }
}
