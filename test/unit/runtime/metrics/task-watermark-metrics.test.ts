import { describe, expect, it } from 'vitest';
import { taskManagerMetrics, type TaskMetricsSource } from '../../../../runtime/metrics/task-manager-metrics.ts';
import type { TaskMetricsReport } from '../../../../runtime/protocol/records.ts';
import { NO_TIMESTAMP } from '../../../../runtime/streaming/stream-element.ts';
import { Scrape } from '../../../fixtures/prometheus-scrape.ts';

const tdd = (subtaskIndex: number): TaskMetricsSource['tdd'] => ({
  jobId: 'a'.repeat(32),
  jobName: 'Sensor Windows',
  jobVertexId: 'b'.repeat(32),
  taskName: 'Window(TumblingEventTimeWindows(10000)) -> Sink: Print',
  executionAttemptId: String(subtaskIndex).repeat(32),
  subtaskIndex,
  attemptNumber: 0,
});

describe("TaskManager watermark gauges, as Flink's PrometheusReporter names them", () => {
  it('exports the task input watermark and each operator\'s watermarks and late records with task and operator labels', async () => {
    let watermark = NO_TIMESTAMP;
    const report = (): TaskMetricsReport => ({
      currentInputWatermark: watermark,
      watermarkStatus: 'ACTIVE',
      inputs: [],
      operators: [
        { id: 'c'.repeat(32), name: 'Window(TumblingEventTimeWindows(10000))', metrics: { currentInputWatermark: watermark, currentOutputWatermark: watermark, numLateRecordsDropped: 2 } },
        { id: 'd'.repeat(32), name: 'Sink: Print', metrics: { currentInputWatermark: watermark, currentOutputWatermark: watermark } },
      ],
    });
    const tasks: TaskMetricsSource[] = [
      { tdd: tdd(0), ioMetrics: () => undefined, taskMetrics: report },
      // A source task has no input watermark; a task whose chain is not built yet reports nothing.
      { tdd: { ...tdd(1), jobVertexId: 'e'.repeat(32), taskName: 'Source: readings' }, ioMetrics: () => undefined, taskMetrics: () => ({ watermarkStatus: 'ACTIVE', inputs: [], operators: [{ id: 'f'.repeat(32), name: 'Source: readings', metrics: { currentOutputWatermark: 1999 } }] }) },
      { tdd: tdd(2), ioMetrics: () => undefined, taskMetrics: () => undefined },
    ];
    const registry = taskManagerMetrics({ resourceId: 'container_1_0001_01_000002', host: 'localhost', tasks: () => tasks, bufferPool: { totalSegments: 1, availableSegments: 1, usedSegments: 0, segmentSize: 1 } });

    const before = new Scrape(await registry.metrics());
    expect(before.series('flink_taskmanager_job_task_currentInputWatermark')).toHaveLength(1);
    expect(before.value('flink_taskmanager_job_task_currentInputWatermark', { subtask_index: '0', task_id: 'b'.repeat(32) })).toBe(-(2 ** 63));
    const window = { operator_name: 'Window_TumblingEventTimeWindows_10000__', operator_id: 'c'.repeat(32), subtask_index: '0', job_name: 'Sensor_Windows' };
    expect(before.value('flink_taskmanager_job_task_operator_numLateRecordsDropped', window)).toBe(2);
    expect(before.series('flink_taskmanager_job_task_operator_numLateRecordsDropped')).toHaveLength(1);
    expect(before.value('flink_taskmanager_job_task_operator_currentOutputWatermark', { operator_name: 'Source:_readings' })).toBe(1999);

    watermark = 1_709_251_200_000;
    const after = new Scrape(await registry.metrics());
    expect(after.value('flink_taskmanager_job_task_currentInputWatermark', { subtask_index: '0' })).toBe(1_709_251_200_000);
    expect(after.value('flink_taskmanager_job_task_operator_currentOutputWatermark', window)).toBe(1_709_251_200_000);
  });
});
