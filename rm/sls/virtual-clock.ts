import type { Cancel, Clock } from '../common/clock.ts';

interface Timer {
  readonly at: number;
  readonly priority: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** Timers of one instant fire in priority order: a metrics sample sees the state the previous instant left. */
export const PRIORITY_SAMPLE = 0;
export const PRIORITY_DEFAULT = 1;

/**
 * The simulator's discrete-event clock: every timer the RM, the simulated NMs and the simulated
 * AMs set goes into one min-heap ordered by (time, priority, insertion), and time jumps straight
 * to the next one instead of passing. A run of the RM on this clock is the RM on a very fast host.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly heap: Timer[] = [];
  private live = 0;
  /** Timers fired so far (the simulation's event count). */
  fired = 0;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, fn: () => void): Cancel {
    return this.scheduleAt(this.current + Math.max(0, delayMs), fn);
  }

  /** Runs `fn` at an absolute virtual time (now, if that is in the past). */
  scheduleAt(at: number, fn: () => void, priority = PRIORITY_DEFAULT): Cancel {
    const timer: Timer = { at: Math.max(at, this.current), priority, seq: this.seq++, fn, cancelled: false };
    this.push(timer);
    this.live++;
    return () => {
      if (timer.cancelled) return;
      timer.cancelled = true;
      this.live--;
    };
  }

  /** Timers still waiting to fire. */
  get pending(): number {
    return this.live;
  }

  /** When the next timer fires; undefined when none is left. */
  nextAt(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /**
   * Moves time to the next timer and fires every timer due at that instant, in the order they
   * were set, including those set for the same instant while firing. Returns how many fired.
   */
  runInstant(): number {
    const at = this.nextAt();
    if (at === undefined) return 0;
    this.current = at;
    let n = 0;
    for (;;) {
      this.dropCancelled();
      const top = this.heap[0];
      if (!top || top.at > at) break;
      this.pop();
      top.cancelled = true;
      this.live--;
      n++;
      top.fn();
    }
    this.fired += n;
    return n;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && (this.heap[0] as Timer).cancelled) this.pop();
  }

  private before(a: Timer, b: Timer): boolean {
    if (a.at !== b.at) return a.at < b.at;
    return a.priority !== b.priority ? a.priority < b.priority : a.seq < b.seq;
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(t, h[parent] as Timer)) break;
      h[i] = h[parent] as Timer;
      i = parent;
    }
    h[i] = t;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop() as Timer;
    if (h.length === 0) return;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.before(h[r] as Timer, h[l] as Timer) ? r : l;
      if (!this.before(h[child] as Timer, last)) break;
      h[i] = h[child] as Timer;
      i = child;
    }
    h[i] = last;
  }
}
