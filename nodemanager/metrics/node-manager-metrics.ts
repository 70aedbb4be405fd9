import { hadoopPrometheusName, Registry, sampledMetric, type Labels, type Sample } from '../../rm/common/prometheus.ts';
import type { Container } from '../containers/container.ts';
import type { NmContext } from '../nm-context.ts';

const MB = 1024 * 1024;

export interface NodeManagerMetricsDeps {
  readonly context: NmContext;
  /** The ContainersMonitor's last process-tree RSS per container (empty with the checks off). */
  readonly rssBytes: (containerId: string) => number | undefined;
}

type Count = 'containersLaunched' | 'containersCompleted' | 'containersFailed' | 'containersKilled';

/**
 * The NodeManager's Prometheus registry: YARN's NodeManagerMetrics record (containers launched,
 * completed, failed, killed; running and initing; allocated and available GB and vcores) and a
 * ContainerResource record per live container (its memory limit and sampled physical memory),
 * named as Hadoop's PrometheusMetricsSink names them. Hadoop's sink puts the container id in the
 * record's name; weft puts it in a `container_id` label so one query covers every container.
 */
export class NodeManagerMetrics {
  readonly registry = new Registry();
  private readonly counts: Record<Count, number> = { containersLaunched: 0, containersCompleted: 0, containersFailed: 0, containersKilled: 0 };
  private readonly deps: NodeManagerMetricsDeps;

  constructor(deps: NodeManagerMetricsDeps) {
    this.deps = deps;
    const ctx = deps.context;
    const tags = (): Labels => ({ context: 'yarn', hostname: ctx.hostname });
    const node = (metric: string, help: string, type: 'counter' | 'gauge', value: () => number): void => {
      sampledMetric(this.registry, {
        name: hadoopPrometheusName('NodeManagerMetrics', metric),
        help,
        type,
        labelNames: ['context', 'hostname'],
        read: () => [{ labels: tags(), value: value() }],
      });
    };
    for (const key of Object.keys(this.counts) as Count[]) node(key, `# of ${key.replace('containers', 'containers ').toLowerCase()}`, 'counter', () => this.counts[key]);
    node('containersRunning', '# of running containers', 'gauge', () => this.live().filter((c) => c.state === 'RUNNING' || c.state === 'KILLING').length);
    node('containersIniting', '# of initializing containers', 'gauge', () => this.live().filter((c) => c.state === 'LOCALIZING' || c.state === 'NEW' || c.state === 'LOCALIZED').length);
    node('allocatedContainers', 'Current # of allocated containers', 'gauge', () => this.live().length);
    // As NodeManagerMetrics: allocated GB rounds up, available GB rounds down.
    node('allocatedGB', 'Current allocated memory in GB', 'gauge', () => Math.ceil(this.allocated().memory / 1024));
    node('availableGB', 'Current available memory in GB', 'gauge', () => Math.floor(Math.max(0, ctx.resource.memory - this.allocated().memory) / 1024));
    node('allocatedVCores', 'Current allocated Virtual Cores', 'gauge', () => this.allocated().vCores);
    node('availableVCores', 'Current available Virtual Cores', 'gauge', () => Math.max(0, ctx.resource.vCores - this.allocated().vCores));

    const perContainer = (metric: string, help: string, value: (c: Container) => number | undefined): void => {
      sampledMetric(this.registry, {
        name: hadoopPrometheusName('ContainerResource', metric),
        help,
        type: 'gauge',
        labelNames: ['container_id', 'context', 'hostname'],
        read: () => {
          const out: Sample[] = [];
          for (const c of this.live()) {
            const v = value(c);
            if (v !== undefined) out.push({ labels: { container_id: c.id, context: 'container', hostname: ctx.hostname }, value: v });
          }
          return out;
        },
      });
    };
    perContainer('pMemLimitMBs', 'Physical memory limit of the container in MB', (c) => c.resource.memory);
    perContainer('vCoreLimit', 'CPU limit of the container in number of vcores', (c) => c.resource.vCores);
    perContainer('pMemUsageMBs', 'Physical memory used by the container process tree in MB, last sample', (c) => {
      const rss = c.hasProcess ? deps.rssBytes(c.id) : undefined;
      return rss === undefined ? undefined : rss / MB;
    });
  }

  /** A container process started (NodeManagerMetrics.launchedContainer). */
  launched(): void {
    this.counts.containersLaunched++;
  }

  /** A container ended: killed if it ended on a kill, else completed or failed by its exit status. */
  ended(exitStatus: number, killed: boolean): void {
    if (killed) this.counts.containersKilled++;
    else if (exitStatus === 0) this.counts.containersCompleted++;
    else this.counts.containersFailed++;
  }

  private live(): Container[] {
    return [...this.deps.context.containers.values()].filter((c) => !c.isDone);
  }

  private allocated(): { memory: number; vCores: number } {
    let memory = 0;
    let vCores = 0;
    for (const c of this.live()) {
      memory += c.resource.memory;
      vCores += c.resource.vCores;
    }
    return { memory, vCores };
  }
}
