import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { LivelinessMonitor } from '../../../../rm/monitor/liveliness-monitor.ts';

const EXPIRY = 1000;
const INTERVAL = 100;

function monitor() {
  const clock = new ManualClock(0);
  const expired: { key: string; at: number }[] = [];
  const m = new LivelinessMonitor<string>({ clock, expiryMs: EXPIRY, intervalMs: INTERVAL, onExpire: (key) => expired.push({ key, at: clock.now() }) });
  m.start();
  return { clock, m, expired };
}

describe('LivelinessMonitor', () => {
  it('expires a silent key exactly once, at the first check after the expiry interval', () => {
    const { clock, m, expired } = monitor();
    m.register('nm1');
    clock.advance(EXPIRY);
    expect(expired).toEqual([]);
    expect(m.has('nm1')).toBe(true);
    clock.advance(INTERVAL);
    expect(expired).toEqual([{ key: 'nm1', at: EXPIRY + INTERVAL }]);
    expect(m.has('nm1')).toBe(false);
    clock.advance(10 * EXPIRY);
    expect(expired).toHaveLength(1);
  });

  it('does not expire a key that keeps pinging', () => {
    const { clock, m, expired } = monitor();
    m.register('nm1');
    for (let i = 0; i < 20; i++) {
      clock.advance(EXPIRY / 2);
      m.receivedPing('nm1');
    }
    expect(expired).toEqual([]);
    expect(m.has('nm1')).toBe(true);
  });

  it('expires only the silent one of two keys', () => {
    const { clock, m, expired } = monitor();
    m.register('alive');
    m.register('silent');
    for (let i = 0; i < 5; i++) {
      clock.advance(EXPIRY / 2);
      m.receivedPing('alive');
    }
    expect(expired.map((e) => e.key)).toEqual(['silent']);
  });

  it('ignores pings of keys it does not track', () => {
    const { clock, m, expired } = monitor();
    m.receivedPing('ghost');
    expect(m.has('ghost')).toBe(false);
    clock.advance(5 * EXPIRY);
    expect(expired).toEqual([]);
  });

  it('never expires an unregistered key', () => {
    const { clock, m, expired } = monitor();
    m.register('nm1');
    clock.advance(EXPIRY / 2);
    m.unregister('nm1');
    clock.advance(5 * EXPIRY);
    expect(expired).toEqual([]);
  });

  it('stop() cancels its timer, and start() is idempotent', () => {
    const { clock, m, expired } = monitor();
    m.start();
    expect(clock.pendingTimers()).toBe(1);
    m.register('nm1');
    m.stop();
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(5 * EXPIRY);
    expect(expired).toEqual([]);
  });
});
