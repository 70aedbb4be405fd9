import { describe, expect, it } from 'vitest';
import { PRIORITY_SAMPLE, VirtualClock } from '../../../../rm/sls/virtual-clock.ts';

describe('VirtualClock', () => {
  it('jumps from event to event, firing them in time order whatever order they were set in', () => {
    const clock = new VirtualClock(1_000);
    const fired: [string, number][] = [];
    clock.schedule(5_000, () => fired.push(['c', clock.now()]));
    clock.schedule(10, () => fired.push(['a', clock.now()]));
    clock.scheduleAt(3_000, () => fired.push(['b', clock.now()]));
    while (clock.runInstant() > 0) {
      // drain
    }
    expect(fired).toEqual([
      ['a', 1_010],
      ['b', 3_000],
      ['c', 6_000],
    ]);
    expect(clock.fired).toBe(3);
    expect(clock.pending).toBe(0);
  });

  it('fires one instant in priority then insertion order, including timers set for that instant while it fires', () => {
    const clock = new VirtualClock(0);
    const order: string[] = [];
    clock.scheduleAt(100, () => {
      order.push('first');
      clock.schedule(0, () => order.push('set while firing'));
      clock.schedule(1, () => order.push('next instant'));
    });
    clock.scheduleAt(100, () => order.push('second'));
    clock.scheduleAt(100, () => order.push('sample'), PRIORITY_SAMPLE);
    expect(clock.runInstant()).toBe(4);
    expect(order).toEqual(['sample', 'first', 'second', 'set while firing']);
    expect(clock.now()).toBe(100);
    expect(clock.nextAt()).toBe(101);
  });

  it('never fires a cancelled timer and never goes back in time', () => {
    const clock = new VirtualClock(500);
    const fired: string[] = [];
    const cancel = clock.schedule(10, () => fired.push('cancelled'));
    clock.schedule(20, () => fired.push('kept'));
    cancel();
    cancel();
    expect(clock.pending).toBe(1);
    clock.runInstant();
    expect(fired).toEqual(['kept']);
    expect(clock.now()).toBe(520);
    clock.scheduleAt(0, () => fired.push('past'));
    clock.runInstant();
    expect(clock.now()).toBe(520);
    expect(fired).toEqual(['kept', 'past']);
    expect(clock.runInstant()).toBe(0);
  });

  it('keeps time order over many random timers (the heap)', () => {
    const clock = new VirtualClock(0);
    const seen: number[] = [];
    let x = 12345;
    for (let i = 0; i < 2_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const at = x % 10_000;
      clock.scheduleAt(at, () => seen.push(clock.now()));
    }
    while (clock.runInstant() > 0) {
      // drain
    }
    expect(seen).toHaveLength(2_000);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});
