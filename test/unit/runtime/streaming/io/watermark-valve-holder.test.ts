import { describe, expect, it } from 'vitest';
import { WatermarkValve } from '../../../../../runtime/streaming/io/watermark-valve.ts';

const valve = (channels: number): WatermarkValve => new WatermarkValve(channels, { emitWatermark: () => {}, emitWatermarkStatus: () => {} });

describe('WatermarkValve: which channel holds the minimum back', () => {
  it('names the active channel with the lowest watermark; one without any watermark holds everything back', () => {
    const v = valve(3);
    v.inputWatermark(0, 10);
    v.inputWatermark(2, 30);
    expect(v.minimumChannel()).toBe(1); // no watermark yet on channel 1
    v.inputWatermark(1, 20);
    expect(v.minimumChannel()).toBe(0);
    expect(v.currentWatermark).toBe(10);
  });

  it('leaves idle and ended channels out, and names none once every channel is idle', () => {
    const v = valve(3);
    v.inputWatermark(0, 10);
    v.inputWatermark(1, 20);
    v.inputWatermark(2, 30);
    v.inputWatermarkStatus(0, true);
    expect(v.minimumChannel()).toBe(1);
    v.channelEnded(1);
    expect(v.minimumChannel()).toBe(2);
    v.inputWatermarkStatus(2, true);
    expect(v.minimumChannel()).toBe(-1);
    expect(v.isIdle).toBe(true);
  });

  it('does not blame a channel that came back ACTIVE behind the task watermark until it catches up', () => {
    const v = valve(2);
    v.inputWatermark(0, 100);
    v.inputWatermark(1, 50);
    v.inputWatermarkStatus(1, true); // min now 100 from channel 0
    v.inputWatermarkStatus(1, false); // back at 50: behind what was forwarded, not aligned
    expect(v.minimumChannel()).toBe(0);
    v.inputWatermark(1, 150);
    v.inputWatermark(0, 200);
    expect(v.minimumChannel()).toBe(1);
  });
});
