import { describe, expect, it } from 'vitest';
import { InputStatus, type IndexedInputGate } from '../../../../../runtime/network/input-gate.ts';
import { StreamTaskNetworkInput, type DataOutput } from '../../../../../runtime/streaming/io/stream-task-network-input.ts';

/** A gate that has already ended: every poll says END_OF_INPUT, and it is never available again. */
function endedGate(): IndexedInputGate<unknown> {
  return {
    numChannels: 1,
    emitNext: () => InputStatus.END_OF_INPUT,
    availability: () => new Promise<void>(() => {}),
  };
}

const output: DataOutput<unknown> = {
  emitRecord: () => {},
  emitWatermark: () => {},
  emitWatermarkStatus: () => {},
  isAvailable: () => true,
};

describe('StreamTaskNetworkInput availability', () => {
  it('resolves once every gate has ended, and the next poll says END_OF_INPUT', async () => {
    const input = new StreamTaskNetworkInput([endedGate(), endedGate()], output);
    expect(input.emitNext()).toBe(InputStatus.END_OF_INPUT);

    await input.availability();
    expect(input.emitNext()).toBe(InputStatus.END_OF_INPUT);
  });

  it('resolves for a single ended gate too', async () => {
    const input = new StreamTaskNetworkInput([endedGate()], output);
    expect(input.emitNext()).toBe(InputStatus.END_OF_INPUT);

    await input.availability();
  });
});
