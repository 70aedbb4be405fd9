/** A mailbox that queues mails until run(), as a task's loop runs them between records. */
export class QueueMailbox {
  readonly mails: (() => void)[] = [];
  isRunning = true;

  execute(command: () => void): void {
    this.mails.push(command);
  }

  /** Runs the queued mails, and those they queue. */
  run(): void {
    while (this.mails.length > 0) this.mails.shift()!();
  }
}
