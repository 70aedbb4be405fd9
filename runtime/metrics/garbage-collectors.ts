import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type { GarbageCollectorInfo } from '../protocol/task-manager-metrics-info.ts';

/** V8's own names of its collectors, as the JVM's GarbageCollectorMXBeans name theirs. */
const COLLECTOR_NAMES: ReadonlyMap<number, string> = new Map([
  [constants.NODE_PERFORMANCE_GC_MINOR, 'Scavenge'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'MarkSweepCompact'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'IncrementalMarking'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'ProcessWeakCallbacks'],
]);

/**
 * Collections and time per garbage collector since start (Flink's `Status.JVM.GarbageCollector.*`
 * Count and Time). Node has no running totals, so a performance observer adds up V8's gc entries.
 */
export class GarbageCollectors {
  private readonly totals = new Map<string, { count: number; time: number }>([...COLLECTOR_NAMES.values()].map((name) => [name, { count: 0, time: 0 }]));
  private observer: PerformanceObserver | null = null;

  start(): this {
    if (this.observer) return this;
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.record(entry);
    });
    this.observer.observe({ entryTypes: ['gc'] });
    return this;
  }

  stop(): void {
    this.observer?.disconnect();
    this.observer = null;
  }

  /** Per collector; `time` in milliseconds, as Flink reports it. */
  snapshot(): GarbageCollectorInfo[] {
    return [...this.totals].map(([name, t]) => ({ name, count: t.count, time: Math.round(t.time) }));
  }

  private record(entry: PerformanceEntry): void {
    const kind = (entry as PerformanceEntry & { readonly detail?: { readonly kind?: number } }).detail?.kind;
    const name = kind === undefined ? undefined : COLLECTOR_NAMES.get(kind);
    const totals = name === undefined ? undefined : this.totals.get(name);
    if (!totals) return;
    totals.count++;
    totals.time += entry.duration;
  }
}
