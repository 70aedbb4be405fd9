import { every, type Cancel, type Clock } from '../common/clock.ts';

/**
 * YARN's AbstractLivelinessMonitor: entities ping it; a periodic check expires those silent for
 * longer than `expiryMs`. Used for NodeManagers, AMs and allocated-but-unlaunched containers.
 */
export class LivelinessMonitor<K> {
  private readonly lastPing = new Map<K, number>();
  private cancel: Cancel | undefined;
  private readonly clock: Clock;
  private readonly expiryMs: number;
  private readonly intervalMs: number;
  private readonly onExpire: (key: K) => void;

  constructor(opts: { clock: Clock; expiryMs: number; intervalMs: number; onExpire: (key: K) => void }) {
    this.clock = opts.clock;
    this.expiryMs = opts.expiryMs;
    this.intervalMs = opts.intervalMs;
    this.onExpire = opts.onExpire;
  }

  start(): void {
    this.cancel ??= every(this.clock, this.intervalMs, () => this.check());
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  register(key: K): void {
    this.lastPing.set(key, this.clock.now());
  }

  receivedPing(key: K): void {
    if (this.lastPing.has(key)) this.lastPing.set(key, this.clock.now());
  }

  unregister(key: K): void {
    this.lastPing.delete(key);
  }

  has(key: K): boolean {
    return this.lastPing.has(key);
  }

  private check(): void {
    const now = this.clock.now();
    for (const [key, at] of [...this.lastPing]) {
      if (now - at > this.expiryMs) {
        this.lastPing.delete(key);
        this.onExpire(key);
      }
    }
  }
}
