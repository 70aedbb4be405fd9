import type { Clock } from '../../rm/common/clock.ts';
import { Registry, type Labels, type Sample } from '../../rm/common/prometheus.ts';
import type { ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.ts';
import type { DispatcherGateway } from '../protocol/dispatcher-gateway.ts';
import { isGloballyTerminal } from '../protocol/records.ts';
import type { ResourceManagerGateway } from '../protocol/resource-manager-gateway.ts';
import { flinkGauge, registerProcessStatus } from './flink-prometheus.ts';
import type { GarbageCollectors } from './garbage-collectors.ts';

export interface JobManagerMetricsSources {
  readonly host: string;
  readonly clock: Clock;
  readonly dispatcher: Pick<DispatcherGateway, 'requestMultipleJobDetails' | 'requestJob'>;
  readonly resourceManager: Pick<ResourceManagerGateway, 'taskManagers' | 'pendingResources'>;
  readonly garbageCollectors?: GarbageCollectors;
}

/** Flink's value of uptime and downtime for a job that is no longer running. */
const NO_LONGER_RUNNING = -1;

/** What one scrape reads: the Flink RM's TaskManagers and the archived graph of each job that runs. */
interface Snapshot {
  readonly taskManagers: number;
  readonly pendingTaskManagers: number;
  readonly slotsTotal: number;
  readonly slotsAvailable: number;
  readonly runningJobs: number;
  readonly jobs: readonly ArchivedExecutionGraph[];
}

const JOB_LABELS = ['host', 'job_id', 'job_name'] as const;

/** Flink's job-scope metrics (scope `jobmanager.job`), by their Flink names. */
const JOB_METRICS: readonly [name: string, help: string, read: (g: ArchivedExecutionGraph, now: number) => number][] = [
  ['uptime', 'Milliseconds the job has been running without interruption; -1 once it is no longer running.', uptime],
  ['downtime', 'Milliseconds of the current outage (failing or restarting); 0 while running, -1 once no longer running.', downtime],
  ['restartingTime', 'Milliseconds the job has been restarting; 0 when it is not.', (g, now) => (g.status === 'RESTARTING' ? since(g.statusTimestamps.RESTARTING, now) : 0)],
  ['numRestarts', 'Restarts since the job was submitted.', (g) => g.numberOfRestarts],
  ['fullRestarts', 'Restarts since the job was submitted (deprecated alias of numRestarts).', (g) => g.numberOfRestarts],
];

/**
 * The JobManager's metrics as Flink's PrometheusReporter exposes them: the process status, the
 * cluster figures of the ResourceManager scope (`flink_jobmanager_numRegisteredTaskManagers`,
 * `taskSlotsAvailable`/`Total`, `numRunningJobs`) and the job scope of every job that has not
 * terminated, labelled `job_id` and `job_name` (a finished job's series drop out, as Flink closes
 * its job metric group). Read through the Dispatcher and Flink RM gateways, once per scrape.
 */
export function jobManagerMetrics(sources: JobManagerMetricsSources): Registry {
  const registry = new Registry();
  const jmLabels = (): Labels => ({ host: sources.host });
  registerProcessStatus(registry, 'jobmanager', jmLabels, sources.garbageCollectors);
  const snapshot = oncePerScrape(() => readSnapshot(sources));

  const cluster: readonly [string, string, (s: Snapshot) => number][] = [
    ['numRegisteredTaskManagers', 'TaskManagers registered at the ResourceManager.', (s) => s.taskManagers],
    ['numPendingTaskManagers', 'TaskManagers requested or starting, not registered yet.', (s) => s.pendingTaskManagers],
    ['taskSlotsTotal', 'Task slots of the registered TaskManagers.', (s) => s.slotsTotal],
    ['taskSlotsAvailable', 'Task slots not allocated to a job.', (s) => s.slotsAvailable],
    ['numRunningJobs', 'Jobs that are running.', (s) => s.runningJobs],
  ];
  for (const [name, help, value] of cluster) {
    flinkGauge(registry, { name: `jobmanager.${name}`, help, labelNames: ['host'], read: async () => [{ labels: jmLabels(), value: value(await snapshot()) }] });
  }
  for (const [name, help, value] of JOB_METRICS) {
    flinkGauge(registry, {
      name: `jobmanager.job.${name}`,
      help,
      labelNames: JOB_LABELS,
      read: async (): Promise<Sample[]> => {
        const now = sources.clock.now();
        return (await snapshot()).jobs.map((g) => ({ labels: { host: sources.host, job_id: g.jobId, job_name: g.jobName }, value: value(g, now) }));
      },
    });
  }
  return registry;
}

async function readSnapshot(sources: JobManagerMetricsSources): Promise<Snapshot> {
  const tms = sources.resourceManager.taskManagers();
  const pending = sources.resourceManager.pendingResources();
  const details = await sources.dispatcher.requestMultipleJobDetails();
  const live = details.jobs.filter((j) => !isGloballyTerminal(j.state));
  // A job may terminate and leave between the two reads; it is simply not in this scrape.
  const jobs = await Promise.all(live.map((j) => sources.dispatcher.requestJob(j.jid).then((info) => info.archivedExecutionGraph, () => undefined)));
  return {
    taskManagers: tms.length,
    pendingTaskManagers: pending.requestedWorkers + pending.startingWorkers,
    slotsTotal: tms.reduce((n, tm) => n + tm.numberOfSlots, 0),
    slotsAvailable: tms.reduce((n, tm) => n + tm.freeSlots, 0),
    runningJobs: details.jobs.filter((j) => j.state === 'RUNNING').length,
    jobs: jobs.filter((g): g is ArchivedExecutionGraph => g !== undefined && !g.isGloballyTerminal),
  };
}

/**
 * The metrics of one scrape are collected together; they share one read, so the figures agree
 * with each other and the Dispatcher archives each job once per scrape, not once per metric.
 */
function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= read().finally(() => {
      pending = null;
    });
    return pending;
  };
}

const since = (timestamp: number | undefined, now: number): number => (timestamp === undefined ? 0 : Math.max(now - timestamp, 0));

/** Flink's UpTimeGauge: time since the job (last) switched to RUNNING. */
function uptime(g: ArchivedExecutionGraph, now: number): number {
  if (g.status === 'RUNNING') return since(g.statusTimestamps.RUNNING, now);
  return g.isGloballyTerminal ? NO_LONGER_RUNNING : 0;
}

/** Flink's DownTimeGauge: time since the job left RUNNING for FAILING or RESTARTING. */
function downtime(g: ArchivedExecutionGraph, now: number): number {
  if (g.status === 'RUNNING') return 0;
  if (g.isGloballyTerminal) return NO_LONGER_RUNNING;
  const running = g.statusTimestamps.RUNNING ?? -1;
  const left = [g.statusTimestamps.FAILING, g.statusTimestamps.RESTARTING].filter((t): t is number => t !== undefined && t > running);
  return left.length === 0 ? 0 : since(Math.min(...left), now);
}
