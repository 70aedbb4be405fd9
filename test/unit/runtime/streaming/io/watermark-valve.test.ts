import { describe, expect, it } from 'vitest';
import { WatermarkValve } from '../../../../../runtime/streaming/io/watermark-valve.ts';

function valve(channels: number): { valve: WatermarkValve; out: (number | 'IDLE' | 'ACTIVE')[] } {
  const out: (number | 'IDLE' | 'ACTIVE')[] = [];
  const v = new WatermarkValve(channels, {
    emitWatermark: (w) => out.push(w),
    emitWatermarkStatus: (idle) => out.push(idle ? 'IDLE' : 'ACTIVE'),
  });
  return { valve: v, out };
}

describe('WatermarkValve (min over active channels)', () => {
  it('forwards the minimum over channels, only when it advances', () => {
    const { valve: v, out } = valve(3);
    v.inputWatermark(0, 10);
    v.inputWatermark(1, 5);
    expect(out).toEqual([]); // channel 2 has none yet: the weakest plank
    v.inputWatermark(2, 7);
    v.inputWatermark(1, 6); // min 6
    v.inputWatermark(0, 9); // lower than before on channel 0: ignored
    v.inputWatermark(1, 20); // min 7
    expect(out).toEqual([5, 6, 7]);
    expect(v.channel(1)).toEqual({ watermark: 20, idle: false, ended: false });
  });

  it('leaves an idle channel out, goes idle when all are idle, and active again on the next status', () => {
    const { valve: v, out } = valve(2);
    v.inputWatermark(0, 100);
    v.inputWatermark(1, 50);
    v.inputWatermarkStatus(1, true); // channel 1 silent: the minimum is channel 0's
    v.inputWatermarkStatus(0, true); // all idle: IDLE downstream
    expect(out).toEqual([50, 100, 'IDLE']);
    expect(v.isIdle).toBe(true);
    v.inputWatermarkStatus(1, false); // 50 is behind 100: ACTIVE but not aligned
    v.inputWatermark(1, 80);
    expect(out).toEqual([50, 100, 'IDLE', 'ACTIVE']);
    v.inputWatermark(1, 120); // caught up: aligned, min over active = 120
    expect(out).toEqual([50, 100, 'IDLE', 'ACTIVE', 120]);
  });

  it('ignores watermarks of an idle channel and lets an ended channel stop holding the minimum back', () => {
    const { valve: v, out } = valve(2);
    v.inputWatermark(0, 10);
    v.inputWatermarkStatus(0, true);
    v.inputWatermark(0, 30); // dropped: the channel is idle
    v.inputWatermark(1, 5);
    v.channelEnded(1);
    expect(out).toEqual([5, 10]);
  });
});
