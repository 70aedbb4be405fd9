/**
 * YARN's AsyncDispatcher, made synchronous: an event raised while another is being handled is
 * queued and handled right after it, in order. Transitions never re-enter each other, and when
 * `dispatch` returns the whole cascade (app -> attempt -> containers) has been applied, which is
 * what lets a REST call answer with the state it caused.
 */
export class EventQueue {
  private readonly queue: (() => void)[] = [];
  private draining = false;
  private readonly onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.onError = onError;
  }

  dispatch(handler: () => void): void {
    this.queue.push(handler);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        try {
          next();
        } catch (err) {
          this.onError(err);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
