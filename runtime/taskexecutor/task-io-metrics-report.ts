import type { TaskIOMetricsSnapshot } from '../network/task-io-metrics.ts';
import type { TaskIoMetrics } from '../protocol/records.ts';

/** A task's metrics snapshot as the JobMaster receives it (records.ts TaskIoMetrics). */
export function toTaskIoMetrics(s: TaskIOMetricsSnapshot): TaskIoMetrics {
  return {
    readBytes: s.numBytesIn,
    writeBytes: s.numBytesOut,
    readRecords: s.numRecordsIn,
    writeRecords: s.numRecordsOut,
    accumulatedBusyTimeMs: s.accumulatedBusyTime,
    accumulatedIdleTimeMs: s.accumulatedIdleTime,
    accumulatedBackPressuredTimeMs: s.accumulatedBackPressuredTime,
    busyTimeMsPerSecond: s.busyTimeMsPerSecond,
    idleTimeMsPerSecond: s.idleTimeMsPerSecond,
    backPressuredTimeMsPerSecond: s.backPressuredTimeMsPerSecond,
  };
}
