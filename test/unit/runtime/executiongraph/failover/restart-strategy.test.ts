import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../rm/common/clock.ts';
import { createFlinkConfiguration, withJobConfiguration } from '../../../../../runtime/config/flink-configuration.ts';
import {
  createRestartStrategy,
  ExponentialDelayRestartStrategy,
  FailureRateRestartStrategy,
  FixedDelayRestartStrategy,
  NoRestartStrategy,
  type RestartStrategy,
} from '../../../../../runtime/executiongraph/failover/restart-strategy.ts';

const strategyOf = (conf: Record<string, string>, clock = new ManualClock()): RestartStrategy => createRestartStrategy(createFlinkConfiguration(conf), { clock, random: () => 0.5 });

/** notifyFailure + canRestart, as the JobMaster asks on each failure. */
const fail = (s: RestartStrategy): boolean => {
  s.notifyFailure();
  return s.canRestart();
};

describe("Flink's default restart strategy", () => {
  it('is no restart without checkpointing', () => {
    const s = strategyOf({});
    expect(s).toBeInstanceOf(NoRestartStrategy);
    expect(fail(s)).toBe(false);
  });

  it('is exponential-delay with 1.20 defaults when execution.checkpointing.interval is set', () => {
    const s = strategyOf({ 'execution.checkpointing.interval': '10 s' });
    expect(s).toBeInstanceOf(ExponentialDelayRestartStrategy);
    expect(s.describe()).toContain('initialBackoffMS=1000, maxBackoffMS=60000, backoffMultiplier=1.5, resetBackoffThresholdMS=3600000, jitterFactor=0.1, attemptsBeforeResetBackoff=2147483647');
  });

  it('fixed-delay alone is one attempt after 1 s', () => {
    const s = strategyOf({ 'restart-strategy.type': 'fixed-delay' });
    expect(s.describe()).toBe('FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=1, backoffTimeMS=1000)');
    expect(fail(s)).toBe(true);
    expect(s.backoffTimeMs()).toBe(1000);
    expect(fail(s)).toBe(false);
  });

  it('accepts the aliases and the deprecated key restart-strategy', () => {
    expect(strategyOf({ 'restart-strategy.type': 'off' })).toBeInstanceOf(NoRestartStrategy);
    expect(strategyOf({ 'restart-strategy.type': 'FixedDelay' })).toBeInstanceOf(FixedDelayRestartStrategy);
    expect(strategyOf({ 'restart-strategy.type': 'failurerate' })).toBeInstanceOf(FailureRateRestartStrategy);
    expect(strategyOf({ 'restart-strategy': 'exponential-delay' })).toBeInstanceOf(ExponentialDelayRestartStrategy);
  });

  it('names the key of an unknown strategy', () => {
    expect(() => createFlinkConfiguration({ 'restart-strategy.type': 'sometimes' })).toThrow(/restart-strategy\.type: unknown restart strategy 'sometimes'/);
  });

  it('takes the job-level configuration over the cluster one', () => {
    const cluster = createFlinkConfiguration({ 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': '3' });
    const job = withJobConfiguration(cluster, { 'restart-strategy.fixed-delay.attempts': '7', 'restart-strategy.fixed-delay.delay': '5 s' });
    expect(createRestartStrategy(job, { clock: new ManualClock() }).describe()).toBe('FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=7, backoffTimeMS=5000)');
    expect(createRestartStrategy(withJobConfiguration(cluster, { 'restart-strategy.type': 'none' }), { clock: new ManualClock() })).toBeInstanceOf(NoRestartStrategy);
  });
});

describe('failure-rate', () => {
  it('defaults to 1 failure per minute, 1 s apart, and refuses the second within the interval', () => {
    const clock = new ManualClock();
    const s = strategyOf({ 'restart-strategy.type': 'failure-rate' }, clock);
    expect(s.describe()).toBe('FailureRateRestartBackoffTimeStrategy(failuresIntervalMS=60000,backoffTimeMS=1000,maxFailuresPerInterval=1)');
    expect(fail(s)).toBe(true);
    expect(s.backoffTimeMs()).toBe(1000);
    clock.advance(30_000);
    expect(fail(s)).toBe(false);
  });

  it('allows failures again once they are spread wider than the interval', () => {
    const clock = new ManualClock();
    const s = new FailureRateRestartStrategy(clock, 2, 10_000, 0);
    expect(fail(s)).toBe(true);
    clock.advance(4000);
    expect(fail(s)).toBe(true);
    clock.advance(7000);
    // Three failures, the oldest 11 s ago: fewer than 3 per 10 s.
    expect(fail(s)).toBe(true);
    clock.advance(1000);
    // Now 3 within 8 s.
    expect(fail(s)).toBe(false);
  });
});

describe('exponential-delay', () => {
  const options = { initialBackoffMs: 1000, maxBackoffMs: 10_000, backoffMultiplier: 2, resetBackoffThresholdMs: 60_000, jitterFactor: 0, attemptsBeforeResetBackoff: 10 };

  it('doubles the backoff up to the maximum', () => {
    const clock = new ManualClock();
    const s = new ExponentialDelayRestartStrategy(clock, options);
    const backoffs: number[] = [];
    for (let i = 0; i < 6; i++) {
      expect(fail(s)).toBe(true);
      backoffs.push(s.backoffTimeMs());
      clock.advance(s.backoffTimeMs() + 1);
    }
    expect(backoffs).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('merges failures during the pending backoff into one attempt', () => {
    const clock = new ManualClock();
    const s = new ExponentialDelayRestartStrategy(clock, options);
    expect(s.notifyFailure()).toBe(true);
    clock.advance(500);
    expect(s.notifyFailure()).toBe(false);
    expect(s.backoffTimeMs()).toBe(500);
  });

  it('starts over after running the reset threshold without failure', () => {
    const clock = new ManualClock();
    const s = new ExponentialDelayRestartStrategy(clock, options);
    fail(s);
    clock.advance(1001);
    fail(s);
    expect(s.backoffTimeMs()).toBe(2000);
    clock.advance(2000 + 60_000);
    fail(s);
    expect(s.backoffTimeMs()).toBe(1000);
  });

  it('fails the job after attempts-before-reset-backoff attempts', () => {
    const clock = new ManualClock();
    const s = new ExponentialDelayRestartStrategy(clock, { ...options, attemptsBeforeResetBackoff: 2 });
    expect(fail(s)).toBe(true);
    clock.advance(1001);
    expect(fail(s)).toBe(true);
    clock.advance(2001);
    expect(fail(s)).toBe(false);
  });

  it('adds a jitter of at most jitter-factor of the backoff', () => {
    const clock = new ManualClock();
    const low = new ExponentialDelayRestartStrategy(clock, { ...options, jitterFactor: 0.1 }, () => 0);
    const high = new ExponentialDelayRestartStrategy(clock, { ...options, jitterFactor: 0.1 }, () => 0.9999);
    low.notifyFailure();
    high.notifyFailure();
    // 1000 ms - 100 is below the initial backoff, which is the floor.
    expect(low.backoffTimeMs()).toBe(1000);
    expect(high.backoffTimeMs()).toBe(1100);
  });

  it('refuses a multiplier of 1 or less, naming the key', () => {
    expect(() => strategyOf({ 'restart-strategy.type': 'exponential-delay', 'restart-strategy.exponential-delay.backoff-multiplier': '1' })).toThrow(
      /restart-strategy\.exponential-delay\.backoff-multiplier must be greater than 1/,
    );
  });
});
