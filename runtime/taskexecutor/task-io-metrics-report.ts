import type { TaskIOMetricsSnapshot } from '../network/task-io-metrics.ts';
import type { TaskIoMetrics, TaskMetricsReport } from '../protocol/records.ts';
import type { InputGateDescriptor } from '../protocol/task-deployment-descriptor.ts';
import type { ChannelWatermark } from '../streaming/io/watermark-valve.ts';
import { NO_TIMESTAMP } from '../streaming/stream-element.ts';
import type { StreamTaskMetrics } from '../streaming/tasks/stream-task.ts';

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

/** "No watermark yet" travels as the runtime's Long.MIN_VALUE (JSON has no -Infinity). */
const watermarkOf = (w: number): number => (w < NO_TIMESTAMP ? NO_TIMESTAMP : w);

/** A task's watermarks and operator metrics as the JobMaster receives them, channels named by their producer subtask. */
export function toTaskMetricsReport(s: StreamTaskMetrics, inputGates: readonly InputGateDescriptor[]): TaskMetricsReport {
  const channel = (c: ChannelWatermark, producerSubtaskIndex: number): TaskMetricsReport['inputs'][number]['channels'][number] => ({
    producerSubtaskIndex,
    watermark: watermarkOf(c.watermark),
    status: c.ended ? 'ENDED' : c.idle ? 'IDLE' : 'ACTIVE',
  });
  const input = s.input;
  return {
    ...(input ? { currentInputWatermark: watermarkOf(input.currentInputWatermark) } : {}),
    watermarkStatus: s.idle ? 'IDLE' : 'ACTIVE',
    inputs: (input?.gates ?? []).map((channels, g) => {
      const d = inputGates[g];
      return { sourceVertexId: d?.sourceVertexId ?? '', channels: channels.map((c, i) => channel(c, d?.channels[i]?.producerSubtaskIndex ?? i)) };
    }),
    ...(input?.heldBackBy ? { heldBackBy: input.heldBackBy } : {}),
    operators: s.operators.map((op) => ({ id: op.id, name: op.name, metrics: { ...op.metrics } })),
  };
}
