import type { FlinkConfiguration } from '../config/flink-configuration.ts';

/**
 * Flink's RestartBackoffTimeStrategy (reference/flink.md §4.7): told about each failure, it says
 * whether the job may restart and after how long. Only `none` and `fixed-delay` exist in weft.
 */
export interface RestartStrategy {
  notifyFailure(): void;
  canRestart(): boolean;
  readonly backoffTimeMs: number;
  describe(): string;
}

export class NoRestartStrategy implements RestartStrategy {
  readonly backoffTimeMs = 0;

  notifyFailure(): void {}

  canRestart(): boolean {
    return false;
  }

  describe(): string {
    return 'NoRestartBackoffTimeStrategy';
  }
}

/** Restarts at most `maxAttempts` times, each after `delayMs` (FixedDelayRestartBackoffTimeStrategy). */
export class FixedDelayRestartStrategy implements RestartStrategy {
  readonly backoffTimeMs: number;
  private readonly maxAttempts: number;
  private failures = 0;

  constructor(maxAttempts: number, delayMs: number) {
    this.maxAttempts = maxAttempts;
    this.backoffTimeMs = delayMs;
  }

  notifyFailure(): void {
    this.failures++;
  }

  canRestart(): boolean {
    return this.failures <= this.maxAttempts;
  }

  describe(): string {
    return `FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=${this.maxAttempts}, backoffTimeMS=${this.backoffTimeMs})`;
  }
}

export function createRestartStrategy(config: Pick<FlinkConfiguration, 'restart-strategy.type' | 'restart-strategy.fixed-delay.attempts' | 'restart-strategy.fixed-delay.delay'>): RestartStrategy {
  switch (config['restart-strategy.type']) {
    case 'none':
    case 'off':
    case 'disable':
      return new NoRestartStrategy();
    case 'fixed-delay':
    case 'fixeddelay':
      return new FixedDelayRestartStrategy(config['restart-strategy.fixed-delay.attempts'], config['restart-strategy.fixed-delay.delay']);
  }
}
