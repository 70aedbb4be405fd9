import { describe, expect, it } from 'vitest';
import { ManualClock, every } from '../../../../rm/common/clock.ts';

describe('ManualClock', () => {
  it('starts at the given time and only moves when advanced', () => {
    const clock = new ManualClock(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(250);
    expect(clock.now()).toBe(1250);
  });

  it('fires due timers in time order, ties in scheduling order, each at its own time', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.schedule(30, () => fired.push(`c@${clock.now()}`));
    clock.schedule(10, () => fired.push(`a@${clock.now()}`));
    clock.schedule(20, () => fired.push(`b1@${clock.now()}`));
    clock.schedule(20, () => fired.push(`b2@${clock.now()}`));
    clock.schedule(31, () => fired.push('late'));
    clock.advance(30);
    expect(fired).toEqual(['a@10', 'b1@20', 'b2@20', 'c@30']);
    expect(clock.now()).toBe(30);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(1);
    expect(fired.at(-1)).toBe('late');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('fires timers scheduled while advancing when they fall within the advance, in order', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.schedule(10, () => {
      fired.push(`outer@${clock.now()}`);
      clock.schedule(0, () => fired.push(`now@${clock.now()}`));
      clock.schedule(5, () => {
        fired.push(`nested@${clock.now()}`);
        clock.schedule(100, () => fired.push('too-late'));
      });
    });
    clock.schedule(12, () => fired.push(`other@${clock.now()}`));
    clock.advance(50);
    expect(fired).toEqual(['outer@10', 'now@10', 'other@12', 'nested@15']);
    expect(clock.now()).toBe(50);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('does not fire cancelled timers', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const cancel = clock.schedule(10, () => fired.push('x'));
    cancel();
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(100);
    expect(fired).toEqual([]);
  });

  it('every() repeats at its interval until cancelled', () => {
    const clock = new ManualClock(0);
    const at: number[] = [];
    const cancel = every(clock, 10, () => at.push(clock.now()));
    clock.advance(35);
    expect(at).toEqual([10, 20, 30]);
    cancel();
    clock.advance(100);
    expect(at).toEqual([10, 20, 30]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
