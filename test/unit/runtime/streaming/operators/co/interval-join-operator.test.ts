import { describe, expect, it } from 'vitest';
import type { ProcessJoinFunctionContext } from '../../../../../../runtime/api/functions/process-join-function.ts';
import { OutputTag } from '../../../../../../runtime/api/output-tag.ts';
import { IntervalJoinOperator, type IntervalJoinSpec } from '../../../../../../runtime/streaming/operators/co/interval-join-operator.ts';
import type { Collector } from '../../../../../../runtime/streaming/output.ts';
import { TwoInputOperatorTestHarness } from '../../../../../doubles/two-input-operator-test-harness.ts';

type Spec = IntervalJoinSpec<string, string, string>;

const pairs = {
  processElement(left: string, right: string, ctx: ProcessJoinFunctionContext, out: Collector<string>): void {
    out.collect(`${left}+${right} (${ctx.getLeftTimestamp()},${ctx.getRightTimestamp()})`);
  },
};

async function join(overrides: Partial<Spec> = {}): Promise<{ h: TwoInputOperatorTestHarness<string, string, string>; op: IntervalJoinOperator<string, string, string, string> }> {
  const spec: Spec = {
    keySelector1: (s) => s[0]!,
    keySelector2: (s) => s[0]!,
    lowerBound: -2,
    upperBound: 1,
    lowerBoundExclusive: false,
    upperBoundExclusive: false,
    ...overrides,
  };
  const op = new IntervalJoinOperator<string, string, string, string>(pairs, spec);
  return { h: await new TwoInputOperatorTestHarness(op).open(), op };
}

/** A left element at 10 against right elements at 7, 8, 10, 11, 12 of the same key, and one of another key. */
function feed(h: TwoInputOperatorTestHarness<string, string, string>): void {
  h.processElement1('aL', 10);
  for (const ts of [7, 8, 10, 11, 12]) h.processElement2(`aR${ts}`, ts);
  h.processElement2('bR10', 10);
}

describe('IntervalJoinOperator', () => {
  it('joins right elements in [left + lower, left + upper], inclusive, stamped max(left, right)', async () => {
    const { h } = await join();
    feed(h);
    expect(h.take()).toEqual(['"aL+aR8 (10,8)"@10', '"aL+aR10 (10,10)"@10', '"aL+aR11 (10,11)"@11']);
  });

  it('leaves out the bounds themselves when they are exclusive', async () => {
    const lower = await join({ lowerBoundExclusive: true });
    feed(lower.h);
    expect(lower.h.take()).toEqual(['"aL+aR10 (10,10)"@10', '"aL+aR11 (10,11)"@11']);
    const upper = await join({ upperBoundExclusive: true });
    feed(upper.h);
    expect(upper.h.take()).toEqual(['"aL+aR8 (10,8)"@10', '"aL+aR10 (10,10)"@10']);
  });

  it('finds left partners for a right element that arrives first', async () => {
    const { h } = await join();
    h.processElement2('aR9', 9);
    h.processElement1('aL8', 8); // 9 in [6, 9]
    h.processElement1('aL12', 12); // 9 not in [10, 13]
    h.processElement1('aL11', 11); // 9 in [9, 12]
    expect(h.take()).toEqual(['"aL8+aR9 (8,9)"@9', '"aL11+aR9 (11,9)"@11']);
  });

  it('drops each buffered element once the watermark passes its last possible partner', async () => {
    const { h, op } = await join();
    h.processElement1('aL', 10); // cleanup at 10 + 1
    h.processElement2('aR', 10); // cleanup at 10 - (-2)
    h.take();
    expect(op.keysBuffered).toEqual({ left: 1, right: 1 });
    h.processWatermark1(11);
    h.processWatermark2(11);
    expect(op.keysBuffered).toEqual({ left: 0, right: 1 });
    h.processElement2('aR12', 12); // the left element is gone: no pair, though 12 - 10 = 2 > 1 anyway
    h.processWatermark1(14);
    h.processWatermark2(14);
    expect(op.keysBuffered).toEqual({ left: 0, right: 0 });
    expect(h.take()).toEqual([]);
  });

  it('sends elements behind the watermark to the late side outputs, or drops them', async () => {
    const leftLate = new OutputTag<string>('left-late');
    const { h } = await join({ leftLateDataOutputTag: leftLate });
    h.processWatermark1(100);
    h.processWatermark2(100);
    h.processElement1('aLate', 99);
    h.processElement2('aLateToo', 50);
    h.processElement1('aOnTime', 100);
    expect(h.side(leftLate)).toEqual(['"aLate"@99']);
    expect(h.take()).toEqual([]);
  });

  it('refuses records without timestamps and bounds that leave no interval', async () => {
    const { h } = await join();
    expect(() => h.processElement1('a', Number.MIN_SAFE_INTEGER)).toThrow(/Elements used in interval stream joins need to have timestamps/);
    expect(
      () =>
        new IntervalJoinOperator(pairs, {
          keySelector1: (s: string) => s,
          keySelector2: (s: string) => s,
          lowerBound: 0,
          upperBound: 0,
          lowerBoundExclusive: true,
          upperBoundExclusive: false,
        }),
    ).toThrow('lowerBound <= upperBound must be fulfilled');
  });
});
