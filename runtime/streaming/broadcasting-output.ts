import type { Output } from './output.ts';

/** An operator with several successors (chained or not) emits to all of them, in order. */
export class BroadcastingOutput<T> implements Output<T> {
  private readonly outputs: readonly Output<T>[];

  constructor(outputs: readonly Output<T>[]) {
    this.outputs = outputs;
  }

  collect(record: T, timestamp: number): void {
    const outputs = this.outputs;
    for (let i = 0; i < outputs.length; i++) (outputs[i] as Output<T>).collect(record, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const output of this.outputs) output.emitWatermark(watermark);
  }
}

/** The output of a sink: nothing follows it. */
export const DISCARDING_OUTPUT: Output<unknown> = {
  collect(): void {},
  emitWatermark(): void {},
};
