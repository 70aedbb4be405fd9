import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { COLLECT_MAX_PENDING, CollectResultsShipper } from '../../../../runtime/taskexecutor/collect-results-shipper.ts';

describe('CollectResultsShipper', () => {
  it('ships batches every flush interval, when full and at finish, in order', async () => {
    const clock = new ManualClock();
    const sent: [string, unknown[]][] = [];
    const shipper = new CollectResultsShipper(async (name, records) => void sent.push([name, [...records]]), clock, 100, 3);
    shipper.collect('a', 0, 1);
    shipper.collect('b', 0, 'x');
    await Promise.resolve();
    expect(sent).toEqual([]);
    clock.advance(100);
    await shipper.close();
    expect(sent).toEqual([
      ['a', [1]],
      ['b', ['x']],
    ]);
    sent.length = 0;
    const s2 = new CollectResultsShipper(async (name, records) => void sent.push([name, [...records]]), clock, 100, 3);
    for (let i = 0; i < 7; i++) s2.collect('a', 0, i);
    s2.finish('a');
    await s2.close();
    expect(sent).toEqual([
      ['a', [0, 1, 2]],
      ['a', [3, 4, 5]],
      ['a', [6]],
    ]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('surfaces a delivery failure at close and ships nothing after it', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const shipper = new CollectResultsShipper(
      async () => {
        calls++;
        throw new Error('JobManager said no');
      },
      clock,
      100,
      1,
    );
    shipper.collect('a', 0, 1);
    shipper.collect('a', 0, 2);
    await expect(shipper.close()).rejects.toThrow('JobManager said no');
    expect(calls).toBe(1);
  });

  it('drops unshipped records on discard', async () => {
    const clock = new ManualClock();
    const sent: unknown[] = [];
    const shipper = new CollectResultsShipper(async (_n, records) => void sent.push(...records), clock);
    shipper.collect('a', 0, 1);
    shipper.discard();
    clock.advance(1000);
    await shipper.close();
    expect(sent).toEqual([]);
  });

  it('holds the task back while too many records wait for a slow JobManager', async () => {
    const clock = new ManualClock();
    const releases: (() => void)[] = [];
    const shipper = new CollectResultsShipper(() => new Promise<void>((resolve) => releases.push(resolve)), clock);
    for (let i = 0; i < COLLECT_MAX_PENDING - 1; i++) shipper.collect('a', 0, i);
    expect(shipper.isAvailable()).toBe(true);
    shipper.collect('a', 0, 'one more');
    expect(shipper.isAvailable()).toBe(false);
    let available = false;
    void shipper.availability().then(() => (available = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(available).toBe(false);
    expect(releases).toHaveLength(1); // one batch in flight, the rest queued behind it
    releases.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(available).toBe(true);
    expect(shipper.isAvailable()).toBe(true);
    shipper.discard();
  });
});
