import { isFinalApplicationState } from '../protocol/records.ts';
import type { RmChange } from '../rm-changes.ts';
import type { RmContext } from '../rm-context.ts';

/** QueueMetrics' monotonic application counts of one queue. */
export interface AppCounts {
  appsSubmitted: number;
  appsCompleted: number;
  appsFailed: number;
  appsKilled: number;
}

/**
 * Per-queue application counters (QueueMetrics' AppsSubmitted/Completed/Failed/Killed), counted
 * from the RM's change events: an application is submitted the first time it changes state and
 * counted once more as it reaches a final state. Retention later forgets finished applications;
 * these counts do not go down with it, as YARN's counters do not.
 */
export class QueueAppCounters {
  private readonly counts = new Map<string, AppCounts>();
  /** Applications seen and not yet final, so each is counted once each way. */
  private readonly open = new Set<string>();
  private readonly ctx: RmContext;
  private unsubscribe: (() => void) | undefined;

  constructor(ctx: RmContext) {
    this.ctx = ctx;
  }

  start(): void {
    this.unsubscribe ??= this.ctx.changes.subscribe((change) => this.changed(change));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Counts by the queue name the application runs in (as `RmApp.queue`). */
  get byQueue(): ReadonlyMap<string, Readonly<AppCounts>> {
    return this.counts;
  }

  private changed(change: RmChange): void {
    if (change.kind !== 'app') return;
    const app = this.ctx.apps.get(change.id);
    if (!app) return;
    const final = isFinalApplicationState(change.state);
    if (!this.open.has(change.id)) {
      // Final without ever being open: a recovered finished application or one refused at
      // once; neither was admitted to the queue in this RM's lifetime.
      if (final) return;
      this.open.add(change.id);
      this.of(app.queue).appsSubmitted++;
    }
    if (!final) return;
    this.open.delete(change.id);
    const c = this.of(app.queue);
    if (change.state === 'FINISHED') c.appsCompleted++;
    else if (change.state === 'FAILED') c.appsFailed++;
    else c.appsKilled++;
  }

  private of(queue: string): AppCounts {
    let c = this.counts.get(queue);
    if (!c) {
      c = { appsSubmitted: 0, appsCompleted: 0, appsFailed: 0, appsKilled: 0 };
      this.counts.set(queue, c);
    }
    return c;
  }
}
