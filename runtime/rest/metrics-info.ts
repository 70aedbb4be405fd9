import { z } from 'zod';
import { badRequest } from '../../rm/common/errors.ts';
import type { ArchivedExecutionJobVertex } from '../executiongraph/archived-execution-graph.ts';
import { subtaskMetricStore, taskMetricStore, type SubtaskMetricStore } from './metric-store.ts';

/** Flink's Metric: `{"id"}` in a listing, `{"id", "value"}` when asked for with `get`. */
export const Metric = z.object({ id: z.string(), value: z.string().optional() });
/** Flink's MetricCollectionResponseBody: a bare JSON array. */
export const MetricCollection = z.array(Metric);
export type MetricCollection = z.infer<typeof MetricCollection>;

/** Flink's AggregatedMetric: only the aggregations asked for (all by default). */
export const AggregatedMetric = z.object({
  id: z.string(),
  min: z.number().optional(),
  max: z.number().optional(),
  avg: z.number().optional(),
  sum: z.number().optional(),
  skew: z.number().optional(),
});
export const AggregatedMetrics = z.array(AggregatedMetric);
export type AggregatedMetrics = z.infer<typeof AggregatedMetrics>;

/** `get=a,b` (or repeated `get`), as Flink's MetricsFilterParameter splits it. */
const listParam = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s.length > 0)));

export const MetricsQuery = z.object({ get: listParam });
export const AggregatedMetricsQuery = z.object({ get: listParam, agg: listParam, subtasks: listParam });

const AGGREGATIONS = ['min', 'max', 'avg', 'sum', 'skew'] as const;
type Aggregation = (typeof AGGREGATIONS)[number];

/** AbstractMetricsHandler: no `get` lists the ids; with `get`, the values of those that exist. */
export function metricCollection(store: SubtaskMetricStore, get: readonly string[]): MetricCollection {
  if (get.length === 0) return [...store.keys()].sort().map((id) => ({ id }));
  return [...new Set(get)].flatMap((id) => {
    const value = store.get(id);
    return value === undefined ? [] : [{ id, value }];
  });
}

export function vertexMetrics(jv: ArchivedExecutionJobVertex, get: readonly string[]): MetricCollection {
  return metricCollection(taskMetricStore(jv), get);
}

export function subtaskMetrics(jv: ArchivedExecutionJobVertex, subtask: number, get: readonly string[]): MetricCollection {
  const v = jv.taskVertices.find((t) => t.subtaskIndex === subtask);
  return v ? metricCollection(subtaskMetricStore(v.currentExecution), get) : [];
}

/** `subtasks=0-2,4` as AggregatingSubtasksMetricsHandler reads it; an unparsable range is skipped, as there. */
function subtaskRange(ranges: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const range of ranges) {
    const dash = range.indexOf('-');
    const start = Number(dash < 0 ? range : range.slice(0, dash));
    const end = Number(dash < 0 ? range : range.slice(dash + 1));
    if (!Number.isInteger(start) || !Number.isInteger(end)) continue;
    for (let i = start; i <= end; i++) out.add(i);
  }
  return out;
}

/** Flink's DoubleDataSkew: average absolute deviation over the average, in percent, at most 100. */
function skew(values: readonly number[]): number {
  const avg = values.reduce((a, b) => a + b, 0) / values.length;
  if (avg === 0) return 0;
  const avgDev = values.reduce((a, v) => a + Math.abs(avg - v), 0) / values.length;
  return Math.min((avgDev / avg) * 100, 100);
}

/**
 * `GET /jobs/:jobid/vertices/:vertexid/subtasks/metrics` (AggregatingSubtasksMetricsHandler): no
 * `get` lists the metric ids of all subtasks; with `get`, each metric aggregated over the chosen
 * subtasks with the `agg` aggregations (all by default). As in Flink, a non-numeric metric is left
 * out, and a requested metric no subtask has empties the whole answer.
 */
export function aggregatedSubtaskMetrics(jv: ArchivedExecutionJobVertex, query: z.infer<typeof AggregatedMetricsQuery>): AggregatedMetrics {
  const chosen = query.subtasks.length === 0 ? undefined : subtaskRange(query.subtasks);
  const stores = jv.taskVertices.filter((v) => chosen === undefined || chosen.has(v.subtaskIndex)).map((v) => subtaskMetricStore(v.currentExecution));
  if (query.get.length === 0) return [...new Set(stores.flatMap((s) => [...s.keys()]))].sort().map((id) => ({ id }));
  for (const a of query.agg) if (!(AGGREGATIONS as readonly string[]).includes(a)) throw badRequest(`Invalid aggregation '${a}': expected one of ${AGGREGATIONS.join(', ')}`);
  const aggs = (query.agg.length === 0 ? AGGREGATIONS : query.agg) as readonly Aggregation[];
  const out: AggregatedMetrics = [];
  for (const id of query.get) {
    const raw = stores.flatMap((s) => (s.has(id) ? [s.get(id)!] : []));
    if (raw.length === 0) return [];
    const values = raw.map(Number);
    if (values.some((v) => Number.isNaN(v))) continue;
    const sum = values.reduce((a, b) => a + b, 0);
    const result: z.infer<typeof AggregatedMetric> = { id };
    for (const a of aggs) {
      if (a === 'min') result.min = Math.min(...values);
      else if (a === 'max') result.max = Math.max(...values);
      else if (a === 'avg') result.avg = sum / values.length;
      else if (a === 'sum') result.sum = sum;
      else result.skew = skew(values);
    }
    out.push(result);
  }
  return out;
}

/**
 * `GET /jobs/:jobid/vertices/:vertexid/watermarks` (JobVertexWatermarksHandler): each subtask's
 * task-scope `currentInputWatermark`, `[{"id": "<subtask>.currentInputWatermark", "value": "..."}]`.
 * A source vertex, or a subtask that has not reported yet, has none, as in Flink.
 */
export function vertexWatermarks(jv: ArchivedExecutionJobVertex): MetricCollection {
  const store = taskMetricStore(jv);
  return jv.taskVertices.flatMap((v) => {
    const id = `${v.subtaskIndex}.currentInputWatermark`;
    const value = store.get(id);
    return value === undefined ? [] : [{ id, value }];
  });
}
