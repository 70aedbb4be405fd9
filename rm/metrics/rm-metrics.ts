import { hadoopPrometheusName, Registry, sampledMetric, type Labels, type Sample } from '../common/prometheus.ts';
import type { RmContext } from '../rm-context.ts';
import { clusterCapacity } from '../web/app-info.ts';
import { clusterMetrics } from '../web/cluster-metrics.ts';
import { QueueAppCounters, type AppCounts } from './queue-app-counters.ts';
import { leafPath, queueFigures, queueTree, type QueueFigures } from './queue-figures.ts';
import type { SchedulerPassTimer } from './scheduler-pass-timer.ts';

/** Where YARN's daemons serve Prometheus text (`hadoop.prometheus.endpoint.enabled`). */
export const PROMETHEUS_PATH = '/prom';

export interface RmMetricsDeps {
  readonly ctx: RmContext;
  /** The cluster-wide counters ClientRmService keeps for `/ws/v1/cluster/metrics`. */
  readonly counters: () => { appsSubmitted: number; appsCompleted: number; appsFailed: number; appsKilled: number };
  /** The state the scheduler's REST record is rendered from (queue paths and capacities). */
  readonly schedulerInfo: () => Record<string, unknown>;
  readonly passTimer: SchedulerPassTimer;
}

type ClusterKey = 'activeNodes' | 'decommissioningNodes' | 'decommissionedNodes' | 'lostNodes' | 'unhealthyNodes' | 'rebootedNodes' | 'shutdownNodes';

/** ClusterMetrics' NM gauges, by their Hadoop metric names. */
const CLUSTER_NODES: readonly [string, ClusterKey, string][] = [
  ['NumActiveNMs', 'activeNodes', '# of active NMs'],
  ['NumDecommissioningNMs', 'decommissioningNodes', '# of decommissioning NMs'],
  ['NumDecommissionedNMs', 'decommissionedNodes', '# of decommissioned NMs'],
  ['NumLostNMs', 'lostNodes', '# of lost NMs'],
  ['NumUnhealthyNMs', 'unhealthyNodes', '# of unhealthy NMs'],
  ['NumRebootedNMs', 'rebootedNodes', '# of rebooted NMs'],
  ['NumShutdownNMs', 'shutdownNodes', '# of shutdown NMs'],
];

const QUEUE_COUNTERS: readonly [string, keyof AppCounts, string][] = [
  ['AppsSubmitted', 'appsSubmitted', '# of apps submitted'],
  ['AppsCompleted', 'appsCompleted', '# of apps completed'],
  ['AppsFailed', 'appsFailed', '# of apps failed'],
  ['AppsKilled', 'appsKilled', '# of apps killed'],
];

const QUEUE_GAUGES: readonly [string, keyof QueueFigures, string][] = [
  ['AppsRunning', 'appsRunning', '# of running apps'],
  ['AppsPending', 'appsPending', '# of pending apps'],
  ['AllocatedMB', 'allocatedMB', 'Allocated memory in MB'],
  ['AllocatedVCores', 'allocatedVCores', 'Allocated CPU in virtual cores'],
  ['AllocatedContainers', 'allocatedContainers', '# of allocated containers'],
  ['AvailableMB', 'availableMB', 'Available memory in MB'],
  ['AvailableVCores', 'availableVCores', 'Available CPU in virtual cores'],
  ['PendingMB', 'pendingMB', 'Pending memory allocation in MB'],
  ['PendingVCores', 'pendingVCores', 'Pending CPU allocation in virtual cores'],
  ['PendingContainers', 'pendingContainers', '# of pending containers'],
];

/**
 * The ResourceManager's Prometheus registry: the records a YARN RM publishes through Hadoop's
 * PrometheusMetricsSink — ClusterMetrics (NM counts), QueueMetrics per queue (tag `queue` is the
 * queue path) and CapacitySchedulerMetrics' allocate rate (weft's scheduling pass) — with the
 * sink's names and its lower-cased record tags (`context`, `hostname`, `queue`).
 */
export class RmMetrics {
  readonly registry = new Registry();
  private readonly queueCounters: QueueAppCounters;
  private readonly deps: RmMetricsDeps;
  private lastPass = { numOps: 0, totalMs: 0, avg: 0 };

  constructor(deps: RmMetricsDeps) {
    this.deps = deps;
    this.queueCounters = new QueueAppCounters(deps.ctx);
    const host: Labels = { context: 'yarn', hostname: deps.ctx.config.hostname };
    for (const [metric, key, help] of CLUSTER_NODES) {
      sampledMetric(this.registry, {
        name: hadoopPrometheusName('ClusterMetrics', metric),
        help,
        type: 'gauge',
        labelNames: ['context', 'hostname'],
        read: () => [{ labels: host, value: clusterMetrics(deps.ctx, deps.counters())[key] }],
      });
    }
    const queueLabels = ['queue', 'context', 'hostname'];
    for (const [metric, key, help] of QUEUE_COUNTERS) {
      sampledMetric(this.registry, {
        name: hadoopPrometheusName('QueueMetrics', metric),
        help,
        type: 'counter',
        labelNames: queueLabels,
        read: () => this.queueSamples(host, (path) => this.countsOf(path)[key]),
      });
    }
    for (const [metric, key, help] of QUEUE_GAUGES) {
      sampledMetric(this.registry, {
        name: hadoopPrometheusName('QueueMetrics', metric),
        help,
        type: 'gauge',
        labelNames: queueLabels,
        read: () => {
          const figures = this.figures();
          return this.queueSamples(host, (path) => figures.get(path)?.[key] ?? 0);
        },
      });
    }
    sampledMetric(this.registry, {
      name: hadoopPrometheusName('CapacitySchedulerMetrics', 'AllocateNumOps'),
      help: 'Scheduler allocate containers: number of scheduling passes',
      type: 'counter',
      labelNames: ['context', 'hostname'],
      read: () => [{ labels: host, value: deps.passTimer.times.numOps }],
    });
    sampledMetric(this.registry, {
      name: hadoopPrometheusName('CapacitySchedulerMetrics', 'AllocateAvgTime'),
      help: 'Scheduler allocate containers: mean time of a scheduling pass since the previous scrape, in ms',
      type: 'gauge',
      labelNames: ['context', 'hostname'],
      read: () => [{ labels: host, value: this.passAverage() }],
    });
  }

  start(): void {
    this.queueCounters.start();
  }

  stop(): void {
    this.queueCounters.stop();
  }

  private queues(): string[] {
    return queueTree(this.deps.schedulerInfo()).map((q) => q.path);
  }

  private queueSamples(host: Labels, value: (path: string) => number): Sample[] {
    return this.queues().map((queue) => ({ labels: { queue, ...host }, value: value(queue) }));
  }

  private figures(): Map<string, QueueFigures> {
    return queueFigures(this.deps.ctx, queueTree(this.deps.schedulerInfo()), clusterCapacity(this.deps.ctx));
  }

  /** A queue's counts: its own leaf's, or the sum of the leaves under it. */
  private countsOf(path: string): AppCounts {
    const sum: AppCounts = { appsSubmitted: 0, appsCompleted: 0, appsFailed: 0, appsKilled: 0 };
    const leaves = this.deps.ctx.scheduler.leafQueues();
    for (const [queue, c] of this.queueCounters.byQueue) {
      const leaf = leafPath(queue, leaves);
      if (leaf !== path && !leaf.startsWith(`${path}.`)) continue;
      sum.appsSubmitted += c.appsSubmitted;
      sum.appsCompleted += c.appsCompleted;
      sum.appsFailed += c.appsFailed;
      sum.appsKilled += c.appsKilled;
    }
    return sum;
  }

  /** MutableRate's AvgTime: the mean over the passes since the last snapshot, kept when there were none. */
  private passAverage(): number {
    const { numOps, totalMs } = this.deps.passTimer.times;
    const ops = numOps - this.lastPass.numOps;
    const avg = ops > 0 ? (totalMs - this.lastPass.totalMs) / ops : this.lastPass.avg;
    this.lastPass = { numOps, totalMs, avg };
    return avg;
  }
}
