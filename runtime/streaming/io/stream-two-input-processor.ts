import { InputStatus } from '../../network/input-gate.ts';
import type { StreamInputProcessor } from './stream-input-processor.ts';
import type { StreamTaskNetworkInput } from './stream-task-network-input.ts';

/**
 * The input processor of a two-input task (Flink's StreamTwoInputProcessor): two network inputs,
 * each with its own watermark valve, read in turn so neither starves the other; the first to be
 * read alternates per call. The operator combines the two inputs' watermarks. END_OF_INPUT once
 * both ended.
 */
export class StreamTwoInputProcessor implements StreamInputProcessor {
  readonly inputs: readonly [StreamTaskNetworkInput, StreamTaskNetworkInput];
  private readonly ended = [false, false];
  private readonly isOutputAvailable: () => boolean;
  private first = 0;

  constructor(input1: StreamTaskNetworkInput, input2: StreamTaskNetworkInput, isOutputAvailable: () => boolean) {
    this.inputs = [input1, input2];
    this.isOutputAvailable = isOutputAvailable;
  }

  processInput(): InputStatus {
    let more = false;
    const first = this.first;
    this.first = 1 - first;
    for (let turn = 0; turn < 2; turn++) {
      const index = turn === 0 ? first : 1 - first;
      if (this.ended[index]) continue;
      const status = this.inputs[index]!.emitNext();
      if (status === InputStatus.END_OF_INPUT) this.ended[index] = true;
      else if (status === InputStatus.MORE_AVAILABLE) more = true;
      if (!this.isOutputAvailable()) return InputStatus.MORE_AVAILABLE;
    }
    if (this.ended[0] && this.ended[1]) return InputStatus.END_OF_INPUT;
    return more ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
  }

  /** Resolves when an input that has not ended may have something. */
  availability(): Promise<void> {
    if (this.ended[0]) return this.inputs[1].availability();
    if (this.ended[1]) return this.inputs[0].availability();
    return Promise.race([this.inputs[0].availability(), this.inputs[1].availability()]);
  }
}
