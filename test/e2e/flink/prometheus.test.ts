import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrometheusSdTargetGroup } from '../../../rm/protocol/client-rm.ts';
import type { TaskExecutorMemoryConfiguration } from '../../../runtime/protocol/task-executor-memory-configuration.ts';
import type { TaskManagerMetricsInfo } from '../../../runtime/protocol/task-manager-metrics-info.ts';
import { startMiniCluster, type MiniCluster } from '../../fixtures/mini-cluster.ts';
import { ProcessRegistry } from '../../fixtures/processes.ts';
import { scrape, type Scrape } from '../../fixtures/prometheus-scrape.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { runWeft } from '../../fixtures/weft-cli.ts';
import { FLINK_FLAGS, flinkGet } from './flink-e2e.ts';

/**
 * What a Prometheus server pointed at the RM sees of a Flink session on weft: service discovery
 * follows the JobManager and TaskManager containers as they come and go, and their `/prom`
 * endpoints, read with a real Prometheus text parser, follow the running job.
 */
const registry = new ProcessRegistry();
let cluster: MiniCluster;
let appId: string;

const weft = (args: string[]) => runWeft(args, { rmUrl: cluster.rmUrl, registry, timeoutMs: 110_000 });

async function serviceDiscovery(): Promise<PrometheusSdTargetGroup[]> {
  const res = await fetch(`${cluster.rmUrl}/ws/v1/cluster/prometheus-sd`);
  expect(res.status).toBe(200);
  return (await res.json()) as PrometheusSdTargetGroup[];
}

const targetsOf = (groups: PrometheusSdTargetGroup[], component: string): PrometheusSdTargetGroup[] =>
  groups.filter((g) => g.labels.weft_component === component && (g.labels.app_id === undefined || g.labels.app_id === appId));

/** Scrapes a target as Prometheus would: `http://<target><__metrics_path__>`. */
const scrapeTarget = (g: PrometheusSdTargetGroup): Promise<Scrape> => scrape(`http://${g.targets[0]}${g.labels.__metrics_path__}`);

const sum = (s: Scrape, name: string, labels: Record<string, string> = {}): number =>
  s.series(name).filter((x) => Object.entries(labels).every(([k, v]) => x.labels[k] === v)).reduce((n, x) => n + x.value, 0);

beforeAll(async () => {
  cluster = await startMiniCluster({ registry, nodes: 1, nodeMemoryMb: 4096 });
});

afterAll(async () => {
  const dir = cluster?.dir;
  await cluster?.stop();
  await registry.cleanup();
  await registry.assertNoneLeft(dir ? [dir] : []);
});

describe('Prometheus on a Flink session on weft', () => {
  let jobManager: PrometheusSdTargetGroup;
  let taskManager: PrometheusSdTargetGroup;
  let jobId: string;

  it('service discovery lists the RM, the NM and the JobManager container, each scrapeable', async () => {
    const res = await weft(['--json', 'session', 'start', '--detached', '--name', 'prometheus session', ...FLINK_FLAGS]);
    expect(res.code, res.stderr).toBe(0);
    appId = (JSON.parse(res.stdout) as { applicationId: string }).applicationId;

    const groups = await waitFor(async () => {
      const g = await serviceDiscovery();
      return targetsOf(g, 'jobmanager').length === 1 ? g : undefined;
    }, { description: 'the JobManager in prometheus-sd' });
    expect(targetsOf(groups, 'resourcemanager')).toEqual([{ targets: [new URL(cluster.rmUrl).host], labels: { __metrics_path__: '/prom', weft_component: 'resourcemanager' } }]);
    expect(targetsOf(groups, 'nodemanager')).toHaveLength(1);
    jobManager = targetsOf(groups, 'jobmanager')[0]!;
    expect(jobManager.labels).toMatchObject({ app_id: appId, queue: 'default', user: expect.any(String) as unknown, container_id: `container_${appId.slice('application_'.length)}_01_000001` });
    expect(targetsOf(groups, 'taskmanager')).toEqual([]);

    const rmScrape = await scrapeTarget(targetsOf(groups, 'resourcemanager')[0]!);
    expect(rmScrape.value('cluster_metrics_num_active_n_ms')).toBe(1);
    const nmScrape = await scrapeTarget(targetsOf(groups, 'nodemanager')[0]!);
    expect(nmScrape.families.size).toBeGreaterThan(0);
    const jm = await scrapeTarget(jobManager);
    expect(jm.value('flink_jobmanager_numRegisteredTaskManagers')).toBe(0);
    expect(jm.value('flink_jobmanager_taskSlotsTotal')).toBe(0);
    expect(jm.value('flink_jobmanager_numRunningJobs')).toBe(0);
    expect(jm.value('flink_jobmanager_Status_JVM_Memory_Heap_Used')).toBeGreaterThan(0);
    // The JobManager's heap is its share of the 256 MB container (--jm-memory 256), not Node's default.
    expect(jm.value('flink_jobmanager_Status_JVM_Memory_Heap_Max')).toBeLessThanOrEqual(256 * 1024 * 1024);
  });

  it('while a job runs: the TaskManager appears, records are counted, a slot is taken, the job has an uptime', async () => {
    const submitted = await weft(['--json', 'run', '--target', 'session', '--app', appId, '--detached', 'test/e2e/flink/jobs/slow-count.ts', '--', '--name', 'Scraped', '--events', '100000000', '--rate', '20']);
    expect(submitted.code, submitted.stderr).toBe(0);
    jobId = (JSON.parse(submitted.stdout) as { jobId: string }).jobId;

    taskManager = await waitFor(async () => targetsOf(await serviceDiscovery(), 'taskmanager')[0], { description: 'a TaskManager in prometheus-sd' });
    expect(taskManager.labels).toMatchObject({ app_id: appId, queue: 'default', weft_component: 'taskmanager', __metrics_path__: '/prom' });
    const task = { job_id: jobId, tm_id: taskManager.labels.container_id! };

    const first = await waitFor(async () => {
      const s = await scrapeTarget(taskManager);
      return sum(s, 'flink_taskmanager_job_task_numRecordsIn', task) > 0 ? s : undefined;
    }, { description: 'records counted in the TaskManager' });
    expect(first.series('flink_taskmanager_job_task_numRecordsIn').every((x) => x.labels.job_name === 'Scraped')).toBe(true);
    expect(first.value('flink_taskmanager_Status_Shuffle_Netty_TotalMemorySegments')).toBeGreaterThan(0);
    const countedBefore = sum(first, 'flink_taskmanager_job_task_numRecordsOut', task);
    await waitFor(async () => sum(await scrapeTarget(taskManager), 'flink_taskmanager_job_task_numRecordsOut', task) > countedBefore, {
      description: 'the record count to grow',
    });

    const jm = await waitFor(async () => {
      const s = await scrapeTarget(jobManager);
      // A job is RUNNING as soon as it schedules; its slot is taken once the TaskManager registered.
      return s.value('flink_jobmanager_numRunningJobs') === 1 && s.value('flink_jobmanager_taskSlotsAvailable') === 1 ? s : undefined;
    }, { description: 'the JobManager to see the running job holding one slot' });
    expect(jm.value('flink_jobmanager_numRegisteredTaskManagers')).toBe(1);
    expect(jm.value('flink_jobmanager_taskSlotsTotal')).toBe(2);
    expect(jm.value('flink_jobmanager_job_uptime', { job_id: jobId, job_name: 'Scraped' })).toBeGreaterThan(0);
    expect(jm.value('flink_jobmanager_job_numRestarts', { job_id: jobId })).toBe(0);

    // The TaskManager's own process figures, as its heartbeats bring them to /taskmanagers/:id.
    const details = await waitFor(async () => {
      const d = await flinkGet<{ metrics: TaskManagerMetricsInfo; memoryConfiguration: TaskExecutorMemoryConfiguration }>(cluster.rmUrl, appId, `/taskmanagers/${taskManager.labels.container_id}`);
      // The first heartbeats may predate the task's buffers.
      return d.metrics.heapUsed > 0 && d.metrics.nettyShuffleMemorySegmentsUsed > 0 ? d : undefined;
    }, { description: 'the TaskManager memory figures with the running task' });
    expect(details.metrics.heapUsed).toBeLessThanOrEqual(details.metrics.heapCommitted);
    // The Node heap is limited to the container's heap part (--tm-memory 256), not Node's default.
    expect(details.metrics.heapMax).toBeLessThanOrEqual(256 * 1024 * 1024);
    // ... its FLIP-49 share: framework + task heap; the buffer pool is the network memory.
    const memory = details.memoryConfiguration;
    expect(memory.totalProcessMemory).toBe(256 * 1024 * 1024);
    expect(details.metrics.heapMax).toBeLessThanOrEqual(memory.frameworkHeap + memory.taskHeap);
    expect(details.metrics.nettyShuffleMemoryTotal).toBeLessThanOrEqual(memory.networkMemory);
    expect(details.metrics.nettyShuffleMemorySegmentsTotal).toBe(first.value('flink_taskmanager_Status_Shuffle_Netty_TotalMemorySegments'));
    expect(details.metrics.garbageCollectors.map((g) => g.name)).toContain('Scavenge');
  });

  it('after the job is cancelled the slot is free and the job series are gone; the idle TaskManager drops out of discovery', async () => {
    const cancel = await weft(['job', 'cancel', '--app', appId, jobId]);
    expect(cancel.code, cancel.stderr).toBe(0);
    // CANCELLING still has the job's series (uptime 0); CANCELED closes them, as Flink closes the job's metric group.
    const jm = await waitFor(async () => {
      const s = await scrapeTarget(jobManager);
      return s.series('flink_jobmanager_job_uptime').length === 0 && s.value('flink_jobmanager_taskSlotsAvailable') === 2 ? s : undefined;
    }, { description: 'the job series gone and the slot freed' });
    expect(jm.value('flink_jobmanager_numRunningJobs')).toBe(0);
    expect(jm.value('flink_jobmanager_taskSlotsTotal')).toBe(2);

    // resourcemanager.taskmanager-timeout releases the idle TaskManager; its container completes.
    await waitFor(async () => targetsOf(await serviceDiscovery(), 'taskmanager').length === 0, { description: 'the TaskManager gone from prometheus-sd' });
    expect(targetsOf(await serviceDiscovery(), 'jobmanager')).toHaveLength(1);
  });

  it('when the session stops, the JobManager drops out too', async () => {
    const res = await weft(['session', 'stop', appId]);
    expect(res.code, res.stderr).toBe(0);
    const groups = await waitFor(async () => {
      const g = await serviceDiscovery();
      return targetsOf(g, 'jobmanager').length === 0 ? g : undefined;
    }, { description: 'the JobManager gone from prometheus-sd' });
    expect(groups.map((g) => g.labels.weft_component).sort()).toEqual(['nodemanager', 'resourcemanager']);
  });
});
