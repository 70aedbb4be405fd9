import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import { archiveExecutionGraph } from '../../../../runtime/executiongraph/archived-execution-graph.ts';
import { ExecutionGraph } from '../../../../runtime/executiongraph/execution-graph.ts';
import { jobManagerMetrics } from '../../../../runtime/metrics/job-manager-metrics.ts';
import type { TaskManagerInfoWithSlots } from '../../../../runtime/protocol/resource-manager-gateway.ts';
import { createJobDetails } from '../../../../runtime/protocol/webmonitor.ts';
import { Scrape } from '../../../fixtures/prometheus-scrape.ts';
import { TestingResourceManagerGateway } from '../../../doubles/testing-resource-manager-gateway.ts';
import { JOB_FILE, pipeline } from '../jobmaster/test-job-graphs.ts';

const tm = (resourceId: string, freeSlots: number): TaskManagerInfoWithSlots => ({
  resourceId,
  location: { resourceId, address: `http://${resourceId}:1`, dataAddress: 'localhost:2', host: 'localhost' },
  numberOfSlots: 2,
  freeSlots,
  memoryMb: 1024,
  slotResourceProfile: { cpuCores: 1, taskHeapMemoryMb: 512, managedMemoryMb: 0 },
  lastHeartbeat: 0,
  allocatedSlots: [],
});

describe("JobManager metrics in the Prometheus format, as Flink's PrometheusReporter names them", () => {
  it('cluster slots and TaskManagers, and each live job with uptime, downtime and restarts, read at scrape time', async () => {
    const clock = new ManualClock(1_000_000);
    const graph = new ExecutionGraph({ jobGraph: pipeline(2), jobFile: JOB_FILE, clock, logger: createSilentLogger() });
    const requests: string[] = [];
    const dispatcher = {
      requestMultipleJobDetails: async () => ({ jobs: [createJobDetails(archiveExecutionGraph(graph), clock.now())] }),
      requestJob: async (jobId: string) => {
        requests.push(jobId);
        return { archivedExecutionGraph: archiveExecutionGraph(graph), exceptionHistory: [], exceptionHistoryTruncated: false, slots: { required: 0, acquired: 0 } };
      },
    };
    const rm = new TestingResourceManagerGateway();
    rm.taskManagerInfos = [tm('container_1_0001_01_000002', 2)];
    rm.pending = { ...rm.pending, requestedWorkers: 1 };
    const registry = jobManagerMetrics({ host: 'jm.example', clock, dispatcher, resourceManager: rm });
    const job = { host: 'jm_example', job_id: graph.jobId };
    const scrape = async (): Promise<Scrape> => new Scrape(await registry.metrics());

    graph.transition({ type: 'INITIALIZED' });
    graph.transition({ type: 'START' });
    clock.advance(5000);
    let s = await scrape();
    expect(s.type('flink_jobmanager_numRegisteredTaskManagers')).toBe('GAUGE');
    expect(s.value('flink_jobmanager_numRegisteredTaskManagers', { host: 'jm_example' })).toBe(1);
    expect(s.value('flink_jobmanager_numPendingTaskManagers')).toBe(1);
    expect(s.value('flink_jobmanager_taskSlotsTotal')).toBe(2);
    expect(s.value('flink_jobmanager_taskSlotsAvailable')).toBe(2);
    expect(s.value('flink_jobmanager_numRunningJobs')).toBe(1);
    expect(s.series('flink_jobmanager_job_uptime')[0]?.labels).toMatchObject({ ...job, job_name: graph.jobName.replace(/[^a-zA-Z0-9:_]/g, '_') });
    expect(s.value('flink_jobmanager_job_uptime', job)).toBe(5000);
    expect(s.value('flink_jobmanager_job_downtime', job)).toBe(0);
    expect(s.value('flink_jobmanager_job_numRestarts', job)).toBe(0);
    expect(s.value('flink_jobmanager_Status_JVM_Memory_Heap_Used', { host: 'jm_example' })).toBeGreaterThan(0);
    // One read of the job per scrape, however many job metrics there are.
    expect(requests).toHaveLength(1);

    // Slots taken, then a restart: downtime counts, uptime is 0 until it runs again.
    rm.taskManagerInfos = [tm('container_1_0001_01_000002', 0)];
    graph.transition({ type: 'RESTART' });
    clock.advance(1500);
    s = await scrape();
    expect(s.value('flink_jobmanager_taskSlotsAvailable')).toBe(0);
    expect(s.value('flink_jobmanager_numRunningJobs')).toBe(0);
    expect(s.value('flink_jobmanager_job_uptime', job)).toBe(0);
    expect(s.value('flink_jobmanager_job_downtime', job)).toBe(1500);
    expect(s.value('flink_jobmanager_job_restartingTime', job)).toBe(1500);
    expect(s.value('flink_jobmanager_job_numRestarts', job)).toBe(1);
    expect(s.value('flink_jobmanager_job_fullRestarts', job)).toBe(1);

    graph.transition({ type: 'START' });
    clock.advance(200);
    s = await scrape();
    expect(s.value('flink_jobmanager_job_uptime', job)).toBe(200);
    expect(s.value('flink_jobmanager_job_downtime', job)).toBe(0);

    // A cancelled job's series drop out, as Flink closes the job's metric group.
    graph.transition({ type: 'CANCEL' });
    graph.transition({ type: 'TERMINATED' });
    s = await scrape();
    expect(s.series('flink_jobmanager_job_uptime')).toEqual([]);
    expect(s.value('flink_jobmanager_numRunningJobs')).toBe(0);
  });
});
