/**
 * Failures of a job as REST `/jobs/:id/exceptions` shows them (Flink's exception history): each
 * failure that triggered a restart or failed the job is an entry; failures of other tasks in the
 * same failover (e.g. every task of a lost TaskManager) are its concurrent exceptions.
 */
export interface ExceptionHistoryEntry {
  readonly exceptionName: string;
  readonly stacktrace: string;
  readonly timestamp: number;
  readonly taskName: string | null;
  /** `host:port` of the TaskManager the task ran on. */
  readonly location: string | null;
  readonly taskManagerId: string | null;
  readonly concurrentExceptions: ExceptionHistoryEntry[];
}

/** Flink's `web.exception-history-size` default. */
export const DEFAULT_EXCEPTION_HISTORY_SIZE = 16;

export class ExceptionHistory {
  private readonly entries: ExceptionHistoryEntry[] = [];
  private readonly maxSize: number;
  private dropped = 0;

  constructor(maxSize = DEFAULT_EXCEPTION_HISTORY_SIZE) {
    this.maxSize = maxSize;
  }

  /** A failure that starts a failover (restart or job failure). */
  addRoot(entry: Omit<ExceptionHistoryEntry, 'concurrentExceptions'>): void {
    this.entries.unshift({ ...entry, concurrentExceptions: [] });
    if (this.entries.length > this.maxSize) {
      this.entries.pop();
      this.dropped++;
    }
  }

  /** A failure during a failover already under way; without one it becomes a root. */
  addConcurrent(entry: Omit<ExceptionHistoryEntry, 'concurrentExceptions'>): void {
    const latest = this.entries[0];
    if (latest) latest.concurrentExceptions.push({ ...entry, concurrentExceptions: [] });
    else this.addRoot(entry);
  }

  /** Newest first. */
  list(): readonly ExceptionHistoryEntry[] {
    return this.entries;
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  get latest(): ExceptionHistoryEntry | undefined {
    return this.entries[0];
  }
}
