import type { TaskIOMetrics } from '../../network/task-io-metrics.ts';

/** What a suspended default action waits for; booked as idle (input) or back-pressured (output) time. */
export type SuspensionCause = 'input' | 'output';

/** How the default action tells the loop what comes next (Flink's MailboxDefaultAction.Controller). */
export interface MailboxController {
  /** The default action is done for good: the input ended or the source is exhausted. */
  allActionsCompleted(): void;
  /**
   * Nothing to do until `until` resolves; a mail arriving meanwhile is run at once. `onResume` is
   * called when the loop goes on either way, e.g. to cancel a timer that `until` waits for.
   */
  suspendDefaultAction(until: Promise<void>, cause: SuspensionCause, onResume?: () => void): void;
}

/** The task's per-turn work: process a batch of input, or emit a batch from the source. */
export interface MailboxDefaultAction {
  runDefaultAction(controller: MailboxController): void;
}

/** Schedules work into a task's loop, run between two default actions (Flink's MailboxExecutor). */
export interface MailboxExecutor {
  /** False once the loop ended: execute() then refuses. */
  readonly isRunning: boolean;
  execute(command: () => void, description: string): void;
}

interface Mail {
  readonly command: () => void;
  readonly description: string;
}

const yieldToEventLoop = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The single-threaded loop of a StreamTask (Flink's MailboxProcessor): runs mails (timers, and
 * later checkpoint triggers) and, between them, the task's default action. A turn that neither
 * suspended nor completed yields to the event loop with setImmediate, so sockets, buffer-timeout
 * timers and the consumers of the task's records get their turn; a suspended turn waits for its
 * promise or the next mail, booking the wait in the task's I/O metrics.
 */
export class MailboxProcessor implements MailboxController, MailboxExecutor {
  private readonly defaultAction: MailboxDefaultAction;
  private readonly metrics: TaskIOMetrics;
  private readonly mails: Mail[] = [];
  /** Set while the loop waits: resolves the wait early (a mail arrived, or stop()). */
  private wakeUp: (() => void) | null = null;
  private running = true;
  private suspendedUntil: Promise<void> | null = null;
  private suspensionCause: SuspensionCause = 'input';
  private onResume: (() => void) | undefined;

  constructor(defaultAction: MailboxDefaultAction, metrics: TaskIOMetrics) {
    this.defaultAction = defaultAction;
    this.metrics = metrics;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Runs until allActionsCompleted() or stop(); rejects with the failure of an action or a mail. */
  async runMailboxLoop(): Promise<void> {
    const action = this.defaultAction;
    while (this.running) {
      if (this.mails.length > 0) this.processMails();
      if (!this.running) return;
      action.runDefaultAction(this);
      if (!this.running) return;
      const until = this.suspendedUntil;
      if (until === null) {
        await yieldToEventLoop();
        continue;
      }
      this.suspendedUntil = null;
      const onResume = this.onResume;
      this.onResume = undefined;
      if (this.mails.length > 0) {
        onResume?.();
        continue;
      }
      // A fresh promise per wait, not a race against one long-lived promise, which would collect a
      // reaction for every wait of the task's life.
      const wake = new Promise<void>((resolve, reject) => {
        this.wakeUp = resolve;
        until.then(resolve, reject);
      });
      try {
        if (this.suspensionCause === 'input') await this.metrics.waitForInput(wake);
        else await this.metrics.waitForOutput(wake);
      } finally {
        this.wakeUp = null;
        onResume?.();
      }
    }
  }

  allActionsCompleted(): void {
    this.running = false;
  }

  suspendDefaultAction(until: Promise<void>, cause: SuspensionCause, onResume?: () => void): void {
    this.suspendedUntil = until;
    this.suspensionCause = cause;
    this.onResume = onResume;
  }

  /** Ends the loop at its next turn and wakes it if it waits (cancel). Mails not run yet are dropped. */
  stop(): void {
    this.running = false;
    this.mails.length = 0;
    this.wakeUp?.();
  }

  execute(command: () => void, description: string): void {
    if (!this.running) throw new Error(`the task's mailbox is closed; cannot run '${description}'`);
    this.mails.push({ command, description });
    this.wakeUp?.();
  }

  private processMails(): void {
    const mails = this.mails.splice(0);
    for (const mail of mails) {
      if (!this.running) return;
      mail.command();
    }
  }
}
