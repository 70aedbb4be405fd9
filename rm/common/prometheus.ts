import type { Request, Response, Router } from 'express';
import type * as PromClient from 'prom-client';

type PromClientModule = typeof PromClient;
/** Defines metrics on the prom-client registry once the module is loaded. */
type Definition = (client: PromClientModule, registry: PromClient.Registry) => void;

/**
 * A Prometheus registry that loads prom-client (and the @opentelemetry/api it pulls in, ~40 ms)
 * on its first scrape, not when the process starts: every JobManager and TaskManager container
 * has one, and most are never scraped, while their start-up is on the per-job deploy path.
 */
export class Registry {
  /** What prom-client's Registry answers with (Registry.PROMETHEUS_CONTENT_TYPE). */
  readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';
  private readonly definitions: Definition[] = [];
  private loaded: { client: PromClientModule; registry: PromClient.Registry } | null = null;
  private loading: Promise<PromClient.Registry> | null = null;

  define(definition: Definition): void {
    if (this.loaded) definition(this.loaded.client, this.loaded.registry);
    else this.definitions.push(definition);
  }

  async metrics(): Promise<string> {
    this.loading ??= import('prom-client').then((module) => {
      // A CommonJS package: bundled, its exports arrive as the namespace's default.
      const client: PromClientModule = (module as unknown as { default?: PromClientModule }).default ?? module;
      const registry = new client.Registry();
      for (const definition of this.definitions.splice(0)) definition(client, registry);
      this.loaded = { client, registry };
      return registry;
    });
    return (await this.loading).metrics();
  }
}

/** Prometheus labels of one series. */
export type Labels = Readonly<Record<string, string>>;

/** One value of a metric, read from live state at scrape time. */
export interface Sample {
  readonly labels: Labels;
  readonly value: number;
}

export interface SampledMetricSpec {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly labelNames: readonly string[];
  /** Every series this metric has now; series of entities that are gone are simply not returned. */
  readonly read: () => Iterable<Sample>;
}

/**
 * Registers a metric whose series are read from live state on each scrape, so a process keeps
 * no second copy of its figures, and a container or task that went away drops out of the output.
 * Counters are read from the monotonic counts the process keeps (a counter is never decremented).
 */
export function sampledMetric(registry: Registry, spec: SampledMetricSpec): void {
  registry.define(({ Counter, Gauge }, promRegistry) => {
    const labelNames = [...spec.labelNames];
    const common = { name: spec.name, help: spec.help, labelNames, registers: [promRegistry] };
    if (spec.type === 'counter') {
      new Counter({
        ...common,
        collect(this: PromClient.Counter<string>) {
          this.reset();
          for (const s of spec.read()) this.inc(s.labels, s.value);
        },
      });
      return;
    }
    new Gauge({
      ...common,
      collect(this: PromClient.Gauge<string>) {
        this.reset();
        for (const s of spec.read()) this.set(s.labels, s.value);
      },
    });
  });
}

// Hadoop's PrometheusMetricsSink SPLIT_PATTERN: split before an upper-case letter that follows a
// lower-case one, and before the upper-case letter that starts a capitalised word.
const SPLIT_PATTERN = /(?<!(?:^|[A-Z_]))(?=[A-Z])|(?<!^)(?=[A-Z][a-z])/;

/**
 * The name Hadoop's PrometheusMetricsSink gives `metricName` of record `recordName`
 * (`ClusterMetrics` + `NumActiveNMs` -> `cluster_metrics_num_active_n_ms`), so dashboards and
 * alerts written for a real YARN cluster's `/prom` endpoint read weft's unchanged.
 */
export function hadoopPrometheusName(recordName: string, metricName: string): string {
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  const base = (cap(recordName) + cap(metricName)).replace(/-/g, '_');
  return base
    .split(SPLIT_PATTERN)
    .filter((part) => part !== undefined && part !== '')
    .join('_')
    .toLowerCase();
}

/** Serves `registry` in the Prometheus text format at `path` on `router`. */
export function mountPrometheus(router: Router, path: string, registry: Registry): void {
  router.get(path, async (_req: Request, res: Response) => {
    const text = await registry.metrics();
    res.status(200).set('Content-Type', registry.contentType).send(text);
  });
}

