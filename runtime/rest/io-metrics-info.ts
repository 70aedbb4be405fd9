import { z } from 'zod';
import type { TaskIoMetrics } from '../protocol/records.ts';

/** Flink's IOMetricsInfo (reference/flink.md §6.3), kebab-case as on the wire. */
export const IoMetricsInfo = z.object({
  'read-bytes': z.number(),
  'read-bytes-complete': z.boolean(),
  'write-bytes': z.number(),
  'write-bytes-complete': z.boolean(),
  'read-records': z.number(),
  'read-records-complete': z.boolean(),
  'write-records': z.number(),
  'write-records-complete': z.boolean(),
  'accumulated-backpressured-time': z.number(),
  'accumulated-idle-time': z.number(),
  'accumulated-busy-time': z.number(),
});
export type IoMetricsInfo = z.infer<typeof IoMetricsInfo>;

/** `{min, max, avg, sum}` of one figure over subtasks. */
export const MinMaxAvgSum = z.object({ min: z.number(), max: z.number(), avg: z.number(), sum: z.number() });
export type MinMaxAvgSum = z.infer<typeof MinMaxAvgSum>;

/** Flink's aggregated subtask metrics, by IOMetricsInfo field. */
export const AggregatedIoMetrics = z.record(z.string(), MinMaxAvgSum);
export type AggregatedIoMetrics = z.infer<typeof AggregatedIoMetrics>;

export function ioMetricsInfo(metrics: readonly (TaskIoMetrics | undefined)[], complete: boolean): IoMetricsInfo {
  const sum = (f: (m: TaskIoMetrics) => number): number => metrics.reduce((acc, m) => acc + (m ? f(m) : 0), 0);
  return {
    'read-bytes': sum((m) => m.readBytes),
    'read-bytes-complete': complete,
    'write-bytes': sum((m) => m.writeBytes),
    'write-bytes-complete': complete,
    'read-records': sum((m) => m.readRecords),
    'read-records-complete': complete,
    'write-records': sum((m) => m.writeRecords),
    'write-records-complete': complete,
    'accumulated-backpressured-time': sum((m) => m.accumulatedBackPressuredTimeMs),
    'accumulated-idle-time': sum((m) => m.accumulatedIdleTimeMs),
    'accumulated-busy-time': sum((m) => m.accumulatedBusyTimeMs),
  };
}

/** Flink's aggregated subtask metrics: `{min, max, avg, sum}` per numeric IOMetricsInfo field. */
export function aggregatedIoMetrics(perSubtask: readonly IoMetricsInfo[]): AggregatedIoMetrics {
  const out: AggregatedIoMetrics = {};
  const keys = ['read-bytes', 'write-bytes', 'read-records', 'write-records', 'accumulated-backpressured-time', 'accumulated-idle-time', 'accumulated-busy-time'] as const;
  for (const key of keys) {
    const values = perSubtask.map((m) => m[key]);
    const sum = values.reduce((a, b) => a + b, 0);
    out[key] = values.length === 0 ? { min: 0, max: 0, avg: 0, sum: 0 } : { min: Math.min(...values), max: Math.max(...values), avg: sum / values.length, sum };
  }
  return out;
}
