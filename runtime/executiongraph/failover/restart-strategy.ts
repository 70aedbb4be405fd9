import type { Clock } from '../../../rm/common/clock.ts';
import type { FlinkConfiguration } from '../../config/flink-configuration.ts';

/**
 * Flink's RestartBackoffTimeStrategy (reference/flink.md §4.7): told about each failure, it says
 * whether the job may restart and after how long. The four of Flink, with its keys and defaults.
 */
export interface RestartStrategy {
  /** A failure that starts a failover; false if it was merged into the restart already pending. */
  notifyFailure(): boolean;
  canRestart(): boolean;
  /** How long to wait before restarting, asked right after notifyFailure(). */
  backoffTimeMs(): number;
  describe(): string;
}

export class NoRestartStrategy implements RestartStrategy {
  notifyFailure(): boolean {
    return true;
  }

  canRestart(): boolean {
    return false;
  }

  backoffTimeMs(): number {
    return 0;
  }

  describe(): string {
    return 'NoRestartBackoffTimeStrategy';
  }
}

/** Restarts at most `maxAttempts` times, each after `delayMs` (FixedDelayRestartBackoffTimeStrategy). */
export class FixedDelayRestartStrategy implements RestartStrategy {
  private readonly maxAttempts: number;
  private readonly delayMs: number;
  private failures = 0;

  constructor(maxAttempts: number, delayMs: number) {
    if (maxAttempts < 0) throw new Error('restart-strategy.fixed-delay.attempts must be at least 0');
    this.maxAttempts = maxAttempts;
    this.delayMs = delayMs;
  }

  notifyFailure(): boolean {
    this.failures++;
    return true;
  }

  canRestart(): boolean {
    return this.failures <= this.maxAttempts;
  }

  backoffTimeMs(): number {
    return this.delayMs;
  }

  describe(): string {
    return `FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=${this.maxAttempts}, backoffTimeMS=${this.delayMs})`;
  }
}

/**
 * Restarts unless more than `maxFailuresPerInterval` failures fell within the last `intervalMs`
 * (FailureRateRestartBackoffTimeStrategy): it keeps the newest max+1 failure times and refuses
 * once the oldest of a full window is no older than the interval.
 */
export class FailureRateRestartStrategy implements RestartStrategy {
  private readonly clock: Clock;
  private readonly maxFailuresPerInterval: number;
  private readonly intervalMs: number;
  private readonly delayMs: number;
  private readonly failureTimes: number[] = [];

  constructor(clock: Clock, maxFailuresPerInterval: number, intervalMs: number, delayMs: number) {
    if (maxFailuresPerInterval < 1) throw new Error('restart-strategy.failure-rate.max-failures-per-interval must be greater than 0');
    if (intervalMs <= 0) throw new Error('restart-strategy.failure-rate.failure-rate-interval must be greater than 0 ms');
    this.clock = clock;
    this.maxFailuresPerInterval = maxFailuresPerInterval;
    this.intervalMs = intervalMs;
    this.delayMs = delayMs;
  }

  notifyFailure(): boolean {
    if (this.isWindowFull()) this.failureTimes.shift();
    this.failureTimes.push(this.clock.now());
    return true;
  }

  canRestart(): boolean {
    if (!this.isWindowFull()) return true;
    return this.clock.now() - this.failureTimes[0]! > this.intervalMs;
  }

  backoffTimeMs(): number {
    return this.delayMs;
  }

  describe(): string {
    return `FailureRateRestartBackoffTimeStrategy(failuresIntervalMS=${this.intervalMs},backoffTimeMS=${this.delayMs},maxFailuresPerInterval=${this.maxFailuresPerInterval})`;
  }

  private isWindowFull(): boolean {
    return this.failureTimes.length > this.maxFailuresPerInterval;
  }
}

export interface ExponentialDelayOptions {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly backoffMultiplier: number;
  readonly resetBackoffThresholdMs: number;
  readonly jitterFactor: number;
  readonly attemptsBeforeResetBackoff: number;
}

/**
 * Backoff initial × multiplier^attempt (± jitter), capped at max; failures before the pending
 * restart merge into it; after `resetBackoffThresholdMs` without failure the backoff and the
 * attempt count start over; more than `attemptsBeforeResetBackoff` attempts fail the job
 * (ExponentialDelayRestartBackoffTimeStrategy, FLIP-364).
 */
export class ExponentialDelayRestartStrategy implements RestartStrategy {
  private readonly clock: Clock;
  private readonly options: ExponentialDelayOptions;
  private readonly random: () => number;
  private attempt = 0;
  private nextRestartAt: number | undefined;

  /** `random` in [0, 1), for the jitter; injectable so tests are deterministic. */
  constructor(clock: Clock, options: ExponentialDelayOptions, random: () => number = Math.random) {
    const o = options;
    if (o.initialBackoffMs < 1) throw new Error('restart-strategy.exponential-delay.initial-backoff must be at least 1 ms');
    if (o.maxBackoffMs < o.initialBackoffMs) throw new Error('restart-strategy.exponential-delay.initial-backoff cannot be higher than max-backoff');
    if (!(o.backoffMultiplier > 1)) throw new Error('restart-strategy.exponential-delay.backoff-multiplier must be greater than 1');
    if (o.resetBackoffThresholdMs < 1) throw new Error('restart-strategy.exponential-delay.reset-backoff-threshold must be at least 1 ms');
    if (!(o.jitterFactor >= 0 && o.jitterFactor <= 1)) throw new Error('restart-strategy.exponential-delay.jitter-factor must be >= 0 and <= 1');
    if (o.attemptsBeforeResetBackoff < 1) throw new Error('restart-strategy.exponential-delay.attempts-before-reset-backoff must be at least 1');
    this.clock = clock;
    this.options = options;
    this.random = random;
  }

  notifyFailure(): boolean {
    const now = this.clock.now();
    if (this.nextRestartAt !== undefined && now <= this.nextRestartAt) return false;
    if (this.nextRestartAt !== undefined && now - this.nextRestartAt >= this.options.resetBackoffThresholdMs) this.attempt = 0;
    this.nextRestartAt = now + this.backoffOf(this.attempt);
    this.attempt++;
    return true;
  }

  canRestart(): boolean {
    return this.attempt <= this.options.attemptsBeforeResetBackoff;
  }

  backoffTimeMs(): number {
    return this.nextRestartAt === undefined ? 0 : Math.max(0, this.nextRestartAt - this.clock.now());
  }

  describe(): string {
    const o = this.options;
    return (
      `ExponentialDelayRestartBackoffTimeStrategy(initialBackoffMS=${o.initialBackoffMs}, maxBackoffMS=${o.maxBackoffMs}, ` +
      `backoffMultiplier=${o.backoffMultiplier}, resetBackoffThresholdMS=${o.resetBackoffThresholdMs}, jitterFactor=${o.jitterFactor}, ` +
      `attemptsBeforeResetBackoff=${o.attemptsBeforeResetBackoff}, currentRestartAttempt=${this.attempt})`
    );
  }

  private backoffOf(attempt: number): number {
    const { initialBackoffMs, maxBackoffMs, backoffMultiplier, jitterFactor } = this.options;
    const base = Math.floor(initialBackoffMs * backoffMultiplier ** attempt);
    const offset = Math.floor(base * jitterFactor);
    // Uniform in [-offset, offset], as ThreadLocalRandom.nextLong(-offset, offset + 1).
    const jitter = offset === 0 ? 0 : Math.floor(this.random() * (2 * offset + 1)) - offset;
    return Math.max(initialBackoffMs, Math.min(base + jitter, maxBackoffMs));
  }
}

export interface RestartStrategyContext {
  readonly clock: Clock;
  readonly random?: () => number;
}

/**
 * The strategy of a job from its effective configuration (the cluster's with the job's keys on
 * top, see withJobConfiguration): `restart-strategy.type` if set, otherwise exponential-delay with
 * checkpointing enabled (`execution.checkpointing.interval` > 0) and no restart without it.
 */
export function createRestartStrategy(config: FlinkConfiguration, context: RestartStrategyContext): RestartStrategy {
  const checkpointing = (config['execution.checkpointing.interval'] ?? 0) > 0;
  const type = config['restart-strategy.type'] ?? (checkpointing ? 'exponential-delay' : 'none');
  switch (type) {
    case 'none':
      return new NoRestartStrategy();
    case 'fixed-delay':
      return new FixedDelayRestartStrategy(config['restart-strategy.fixed-delay.attempts'], config['restart-strategy.fixed-delay.delay']);
    case 'failure-rate':
      return new FailureRateRestartStrategy(
        context.clock,
        config['restart-strategy.failure-rate.max-failures-per-interval'],
        config['restart-strategy.failure-rate.failure-rate-interval'],
        config['restart-strategy.failure-rate.delay'],
      );
    case 'exponential-delay':
      return new ExponentialDelayRestartStrategy(
        context.clock,
        {
          initialBackoffMs: config['restart-strategy.exponential-delay.initial-backoff'],
          maxBackoffMs: config['restart-strategy.exponential-delay.max-backoff'],
          backoffMultiplier: config['restart-strategy.exponential-delay.backoff-multiplier'],
          resetBackoffThresholdMs: config['restart-strategy.exponential-delay.reset-backoff-threshold'],
          jitterFactor: config['restart-strategy.exponential-delay.jitter-factor'],
          attemptsBeforeResetBackoff: config['restart-strategy.exponential-delay.attempts-before-reset-backoff'],
        },
        context.random,
      );
  }
}
