import { describe, expect, it } from 'vitest';
import { taskManagerMetrics, type TaskMetricsSource } from '../../../../runtime/metrics/task-manager-metrics.ts';
import type { TaskIOMetricsSnapshot } from '../../../../runtime/network/task-io-metrics.ts';
import { Scrape } from '../../../fixtures/prometheus-scrape.ts';

const io = (records: number): TaskIOMetricsSnapshot => ({
  busyTimeMsPerSecond: 400,
  idleTimeMsPerSecond: 500,
  backPressuredTimeMsPerSecond: 100,
  accumulatedBusyTime: 4000,
  accumulatedIdleTime: 5000,
  accumulatedBackPressuredTime: 1000,
  numRecordsIn: records,
  numRecordsOut: records * 2,
  numBytesIn: records * 10,
  numBytesOut: records * 20,
  numRecordsInPerSecond: 7,
  numRecordsOutPerSecond: 14,
  inputQueueLength: 1,
  outputQueueLength: 2,
  inPoolUsage: 0.25,
  outPoolUsage: 0.5,
});

describe('TaskManager metrics in the Prometheus format, as Flink\'s PrometheusReporter names them', () => {
  it('exposes each deployed task with Flink\'s labels, the network buffers and the process status, read at scrape time', async () => {
    let records = 3;
    const tasks: TaskMetricsSource[] = [
      {
        tdd: { jobId: 'a'.repeat(32), jobName: 'Word Count', jobVertexId: 'b'.repeat(32), taskName: 'Source: lines -> Map', executionAttemptId: 'c'.repeat(32), subtaskIndex: 1, attemptNumber: 0 },
        ioMetrics: () => io(records),
      },
      { tdd: { jobId: 'a'.repeat(32), jobName: 'Word Count', jobVertexId: 'd'.repeat(32), taskName: 'Sink', executionAttemptId: 'e'.repeat(32), subtaskIndex: 0, attemptNumber: 0 }, ioMetrics: () => undefined },
    ];
    const pool = { totalSegments: 2048, availableSegments: 2000, usedSegments: 48, segmentSize: 32768 };
    const registry = taskManagerMetrics({ resourceId: 'container_1_0001_01_000002', host: 'localhost', tasks: () => tasks, bufferPool: pool });

    const first = new Scrape(await registry.metrics());
    const task = { tm_id: 'container_1_0001_01_000002', job_id: 'a'.repeat(32), task_name: 'Source:_lines____Map', subtask_index: '1', task_attempt_num: '0', job_name: 'Word_Count' };
    expect(first.type('flink_taskmanager_job_task_numRecordsIn')).toBe('GAUGE');
    expect(first.value('flink_taskmanager_job_task_numRecordsIn', task)).toBe(3);
    expect(first.value('flink_taskmanager_job_task_numRecordsOut', task)).toBe(6);
    expect(first.value('flink_taskmanager_job_task_busyTimeMsPerSecond', task)).toBe(400);
    expect(first.value('flink_taskmanager_job_task_buffers_outPoolUsage', task)).toBe(0.5);
    // A task whose gates do not exist yet has no series.
    expect(first.series('flink_taskmanager_job_task_numRecordsIn')).toHaveLength(1);
    expect(first.value('flink_taskmanager_Status_Shuffle_Netty_AvailableMemorySegments', { tm_id: 'container_1_0001_01_000002' })).toBe(2000);
    expect(first.value('flink_taskmanager_Status_Shuffle_Netty_UsedMemory')).toBe(48 * 32768);
    expect(first.value('flink_taskmanager_Status_JVM_Memory_Heap_Used')).toBeGreaterThan(0);

    records = 10;
    tasks.pop();
    const second = new Scrape(await registry.metrics());
    expect(second.value('flink_taskmanager_job_task_numRecordsIn', task)).toBe(10);
    tasks.pop();
    expect(new Scrape(await registry.metrics()).series('flink_taskmanager_job_task_numRecordsIn')).toEqual([]);
  });
});
