import { describe, expect, it } from 'vitest';
import { CoStreamMap } from '../../../../../../runtime/streaming/operators/co/co-stream-map.ts';
import { TwoInputOperatorTestHarness } from '../../../../../doubles/two-input-operator-test-harness.ts';

async function coMap(): Promise<TwoInputOperatorTestHarness<number, string, string>> {
  const op = new CoStreamMap<number, string, string>({ map1: (n) => `n${n}`, map2: (s) => `s${s}` });
  return new TwoInputOperatorTestHarness(op).open();
}

describe('the event time of a two-input operator (min over both inputs)', () => {
  it('forwards the minimum of the two inputs, only when it advances', async () => {
    const h = await coMap();
    h.processWatermark1(100);
    expect(h.watermarksAndStatuses()).toEqual([]); // input 2 has none yet: it holds event time back
    h.processWatermark2(50);
    h.processWatermark2(80);
    h.processWatermark1(120); // min is still input 2's 80
    h.processWatermark2(200);
    expect(h.watermarksAndStatuses()).toEqual([50, 80, 120]);
    expect(h.operator).toMatchObject({ currentInput1Watermark: 120, currentInput2Watermark: 200, currentWatermark: 120 });
  });

  it('leaves an idle input out, takes it back when it turns active, and is idle only when both are', async () => {
    const h = await coMap();
    h.processWatermark1(10);
    h.processWatermarkStatus2(true); // input 2 idle: input 1 alone decides
    h.processWatermark1(30);
    h.processWatermarkStatus1(true); // both idle: the operator announces IDLE
    h.processWatermarkStatus1(false); // ACTIVE again downstream
    h.processWatermark1(40);
    h.processWatermarkStatus2(false); // input 2 back with no watermark: it holds event time at 40
    h.processWatermark1(50);
    h.processWatermark2(45); // now min(50, 45)
    h.processWatermark2(60); // and min(50, 60)
    expect(h.watermarksAndStatuses()).toEqual([10, 30, 'IDLE', 'ACTIVE', 40, 45, 50]);
  });

  it('maps each input with its own method, keeping the timestamps', async () => {
    const h = await coMap();
    h.processElement1(1, 5);
    h.processElement2('x', 7);
    expect(h.emitted).toEqual([
      { record: 'n1', timestamp: 5 },
      { record: 'sx', timestamp: 7 },
    ]);
  });
});
