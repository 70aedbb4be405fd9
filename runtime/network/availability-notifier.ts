/**
 * One shared promise for "something became available": created only when somebody waits, so the
 * fast path (resource available) allocates nothing. Waiters re-check their condition after it
 * resolves, as with a condition variable.
 */
export class AvailabilityNotifier {
  private pending: Promise<void> | null = null;
  private resolvePending: (() => void) | null = null;

  wait(): Promise<void> {
    if (this.pending === null) {
      this.pending = new Promise<void>((resolve) => {
        this.resolvePending = resolve;
      });
    }
    return this.pending;
  }

  get hasWaiters(): boolean {
    return this.pending !== null;
  }

  notify(): void {
    const resolve = this.resolvePending;
    if (resolve === null) return;
    this.pending = null;
    this.resolvePending = null;
    resolve();
  }
}

export const AVAILABLE: Promise<void> = Promise.resolve();
