import type { LogAggregationReport, LogAggregationStatus } from '../protocol/resource-tracker.ts';

export interface AppLogAggregationView {
  /** `yarn.log-aggregation-enable` on the RM. */
  readonly enabled: boolean;
  /** Nodes the app had containers on (RMAppImpl.ranNodes). */
  readonly ranNodes: Iterable<string>;
  /** The app reached FINISHED, FAILED or KILLED. */
  readonly appFinal: boolean;
  /** When it did (0 while it runs). */
  readonly finishTime: number;
  readonly now: number;
  /** `yarn.log-aggregation-status.time-out.ms`. */
  readonly timeoutMs: number;
}

const DONE = new Set<LogAggregationStatus>(['SUCCEEDED', 'FAILED', 'TIME_OUT']);

/**
 * One application's log aggregation as the RM sees it (RMAppImpl's per-node reports and
 * getLogAggregationStatusForAppReport): every node it ran on starts NOT_START; NMs report how
 * their upload went; once the app is final and every node is SUCCEEDED/FAILED/TIME_OUT the app's
 * status is settled and no longer changes. A node that has not reported within the timeout
 * after the app finished counts as TIME_OUT.
 */
export class AppLogAggregation {
  private readonly reports = new Map<string, LogAggregationReport>();
  private settled: LogAggregationStatus | undefined;

  /** An NM's report from a heartbeat; ignored once the app's status is settled. */
  report(nodeId: string, report: LogAggregationReport): void {
    if (this.settled) return;
    const current = this.reports.get(nodeId);
    // A node that has finished its upload keeps that outcome (a late RUNNING does not undo it).
    if (current && (current.logAggregationStatus === 'SUCCEEDED' || current.logAggregationStatus === 'FAILED')) return;
    this.reports.set(nodeId, report);
  }

  /** Diagnostics NMs sent, by node (FAILED uploads say why). */
  diagnostics(): Map<string, string> {
    return new Map([...this.reports].filter(([, r]) => r.diagnosticMessage !== '').map(([n, r]) => [n, r.diagnosticMessage]));
  }

  /** The app report's `logAggregationStatus`. */
  status(view: AppLogAggregationView): LogAggregationStatus {
    if (!view.enabled) return 'DISABLED';
    if (this.settled) return this.settled;
    const timedOut = view.appFinal && view.finishTime > 0 && view.now > view.finishTime + view.timeoutMs;
    const statuses: LogAggregationStatus[] = [];
    for (const node of new Set(view.ranNodes)) {
      const s = this.reports.get(node)?.logAggregationStatus ?? 'NOT_START';
      statuses.push(timedOut && !DONE.has(s) ? 'TIME_OUT' : s);
    }
    // No container ever ran (e.g. killed while ACCEPTED): nothing to aggregate, YARN says NOT_START.
    if (statuses.every((s) => s === 'NOT_START')) return 'NOT_START';
    if (statuses.every((s) => DONE.has(s))) {
      if (!view.appFinal) return 'RUNNING';
      if (statuses.includes('FAILED')) return this.settle('FAILED');
      if (statuses.includes('TIME_OUT')) return this.settle('TIME_OUT');
      return this.settle('SUCCEEDED');
    }
    return statuses.includes('RUNNING_WITH_FAILURE') ? 'RUNNING_WITH_FAILURE' : 'RUNNING';
  }

  private settle(status: LogAggregationStatus): LogAggregationStatus {
    this.settled = status;
    return status;
  }
}
