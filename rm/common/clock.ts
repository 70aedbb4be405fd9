/**
 * Time as a dependency. Every heartbeat, liveness expiry and interval in weft is driven by a
 * {@link Clock}, so unit tests advance a {@link ManualClock} instead of sleeping.
 */
export interface Clock {
  /** Wall-clock milliseconds since the epoch (YARN and Flink report times this way). */
  now(): number;
  /** Runs `fn` once after `delayMs`; the returned function cancels it. */
  schedule(delayMs: number, fn: () => void): Cancel;
}

export type Cancel = () => void;

/** Runs `fn` every `intervalMs` until cancelled. */
export function every(clock: Clock, intervalMs: number, fn: () => void): Cancel {
  let cancelled = false;
  let cancelCurrent: Cancel = () => {};
  const tick = (): void => {
    if (cancelled) return;
    cancelCurrent = clock.schedule(intervalMs, () => {
      if (cancelled) return;
      fn();
      tick();
    });
  };
  tick();
  return () => {
    cancelled = true;
    cancelCurrent();
  };
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  schedule(delayMs: number, fn: () => void): Cancel {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    return () => clearTimeout(handle);
  }
}

interface ManualTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** A clock that only moves when told to (after Flink's ManualClock). */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: ManualTimer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, fn: () => void): Cancel {
    const timer: ManualTimer = { at: this.current + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Moves time forward, firing due timers in time order (timers scheduled while firing included). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => !t.cancelled && t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.cancelled = true;
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.current = target;
  }

  /** Number of timers still waiting; lets tests assert that a service cleaned up after itself. */
  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
