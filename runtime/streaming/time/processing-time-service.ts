import type { Cancel, Clock } from '../../../rm/common/clock.ts';
import type { MailboxExecutor } from '../tasks/mailbox-processor.ts';

/** Called with the timestamp the timer was registered for (Flink's ProcessingTimeCallback). */
export type ProcessingTimeCallback = (timestamp: number) => void;

/**
 * Processing time for the operators of one task (Flink's ProcessingTimeService): the current time
 * and timers whose callbacks run in the task's mailbox, between records, so an operator never sees
 * a callback while it processes a record.
 */
export interface ProcessingTimeService {
  getCurrentProcessingTime(): number;
  /** Runs `callback(timestamp)` once processing time has passed `timestamp`; the result cancels it. */
  registerTimer(timestamp: number, callback: ProcessingTimeCallback): Cancel;
  /** Runs `callback` every `periodMs` after `initialDelayMs` (periodic watermarks). */
  scheduleAtFixedRate(callback: ProcessingTimeCallback, initialDelayMs: number, periodMs: number): Cancel;
}

/**
 * Flink delays a timer by 1 ms past its timestamp: a timer for t means "time has passed t", as a
 * watermark t means no element <= t will come (ProcessingTimeServiceUtil.getProcessingTimeDelay).
 */
export function processingTimeDelay(timestamp: number, now: number): number {
  return timestamp >= now ? timestamp - now + 1 : 0;
}

/**
 * The ProcessingTimeService of a StreamTask: the host's Clock schedules, the task's mailbox runs.
 * quiesce() when the task's loop ends: timers still pending are dropped (Flink quiesces its timer
 * service before the operators finish), so no callback reaches a closed operator or mailbox.
 */
export class MailboxProcessingTimeService implements ProcessingTimeService {
  private readonly clock: Clock;
  private readonly mailbox: MailboxExecutor;
  private readonly pending = new Set<Cancel>();
  private quiesced = false;

  constructor(clock: Clock, mailbox: MailboxExecutor) {
    this.clock = clock;
    this.mailbox = mailbox;
  }

  getCurrentProcessingTime(): number {
    return this.clock.now();
  }

  registerTimer(timestamp: number, callback: ProcessingTimeCallback): Cancel {
    if (this.quiesced) return () => {};
    let cancelled = false;
    const cancelClock = this.clock.schedule(processingTimeDelay(timestamp, this.clock.now()), () => {
      this.pending.delete(cancel);
      if (cancelled || this.quiesced || !this.mailbox.isRunning) return;
      this.mailbox.execute(() => {
        if (!cancelled && !this.quiesced) callback(timestamp);
      }, `processing timer @${timestamp}`);
    });
    const cancel: Cancel = () => {
      cancelled = true;
      this.pending.delete(cancel);
      cancelClock();
    };
    this.pending.add(cancel);
    return cancel;
  }

  scheduleAtFixedRate(callback: ProcessingTimeCallback, initialDelayMs: number, periodMs: number): Cancel {
    if (!(periodMs > 0)) throw new Error(`a fixed-rate timer needs a period > 0 ms, got ${periodMs}`);
    let next = this.clock.now() + initialDelayMs;
    let cancelCurrent: Cancel = () => {};
    let cancelled = false;
    const arm = (): void => {
      // registerTimer adds 1 ms for "time has passed"; a fixed rate fires at the instants themselves.
      cancelCurrent = this.registerTimer(next - 1, () => {
        if (cancelled) return;
        callback(next);
        next += periodMs;
        arm();
      });
    };
    arm();
    return () => {
      cancelled = true;
      cancelCurrent();
    };
  }

  /** Drops every pending timer and refuses new ones. */
  quiesce(): void {
    this.quiesced = true;
    for (const cancel of [...this.pending]) cancel();
  }

  /** Timers waiting for their time, for tests. */
  get pendingTimers(): number {
    return this.pending.size;
  }
}
