import { z } from 'zod';
import type { ArchivedExecutionGraph, ArchivedExecutionJobVertex } from '../executiongraph/archived-execution-graph.ts';
import type { TaskMetricsReport } from '../protocol/records.ts';
import { formatLong } from './metric-store.ts';

/** One upstream subtask, seen from the input channel that reads it. */
export const InputChannelInfo = z.object({
  'vertex-id': z.string(),
  'vertex-name': z.string(),
  subtask: z.number(),
  /** As Flink prints a long; `-9223372036854775808` = none yet. */
  watermark: z.string(),
  status: z.enum(['ACTIVE', 'IDLE', 'ENDED']),
});
export type InputChannelInfo = z.infer<typeof InputChannelInfo>;

const WatermarkStatus = z.enum(['ACTIVE', 'IDLE']);

export const SubtaskWatermarkInfo = z.object({
  subtask: z.number(),
  /** The task's currentInputWatermark, or for a source the watermark it emits; null until it reported. */
  watermark: z.string().nullable(),
  /** The WatermarkStatus the subtask announces downstream; null until it reported. */
  status: WatermarkStatus.nullable(),
  /** The input channel its watermark waits for: the lowest active one. */
  'held-back-by': InputChannelInfo.nullable(),
  channels: z.array(InputChannelInfo),
});
export type SubtaskWatermarkInfo = z.infer<typeof SubtaskWatermarkInfo>;

export const VertexWatermarkInfo = z.object({
  id: z.string(),
  name: z.string(),
  parallelism: z.number(),
  /** Watermarks are generated here: the subtasks' watermarks are the ones they emit. */
  source: z.boolean(),
  /** The lowest watermark over the active subtasks (over all once every one is idle); null until one reported. */
  'low-watermark': z.string().nullable(),
  /** IDLE once every subtask that reported is idle. */
  status: WatermarkStatus.nullable(),
  /** Who holds the vertex back: the subtask with the lowest watermark and the input channel it waits for. */
  'held-back-by': z.object({ subtask: z.number(), input: InputChannelInfo.nullable() }).nullable(),
  /**
   * Where that wait starts: the held-back-by chain followed upstream, subtask by subtask, to the
   * subtask that waits for no one (a source's generator, usually). Null when nothing holds it back.
   */
  origin: z.object({ 'vertex-id': z.string(), 'vertex-name': z.string(), subtask: z.number() }).nullable(),
  subtasks: z.array(SubtaskWatermarkInfo),
});
export type VertexWatermarkInfo = z.infer<typeof VertexWatermarkInfo>;

/**
 * weft's `GET /jobs/:jobid/watermarks`: per vertex, its lowest watermark and who holds it back —
 * which subtask, which of its input channels (the upstream subtask), or that it is idle — with a
 * per-subtask and per-channel table. Flink shows only the per-subtask currentInputWatermark and
 * leaves the rest to the user; this is what the dashboard's job page renders.
 */
export const JobWatermarksInfo = z.object({ jid: z.string(), vertices: z.array(VertexWatermarkInfo) });
export type JobWatermarksInfo = z.infer<typeof JobWatermarksInfo>;

type Reported = { subtask: number; watermark: number; report: TaskMetricsReport };

function subtaskWatermark(report: TaskMetricsReport, source: boolean): number | undefined {
  if (!source) return report.currentInputWatermark;
  const ops = report.operators;
  return ops[ops.length - 1]?.metrics.currentOutputWatermark;
}

export function vertexWatermarkInfo(graph: ArchivedExecutionGraph, jv: ArchivedExecutionJobVertex): VertexWatermarkInfo {
  const names = new Map(graph.verticesInTopologicalOrder.map((v) => [v.id, v.name]));
  const source = graph.jobGraph.vertices.find((v) => v.id === jv.id)?.operators[0]?.role === 'source';
  const channel = (report: TaskMetricsReport, gate: number, index: number): InputChannelInfo | null => {
    const input = report.inputs[gate];
    const c = input?.channels[index];
    if (!input || !c) return null;
    return { 'vertex-id': input.sourceVertexId, 'vertex-name': names.get(input.sourceVertexId) ?? input.sourceVertexId, subtask: c.producerSubtaskIndex, watermark: formatLong(c.watermark), status: c.status };
  };
  const reported: Reported[] = [];
  const subtasks = jv.taskVertices.map((v): SubtaskWatermarkInfo => {
    const report = v.currentExecution.metrics;
    const watermark = report ? subtaskWatermark(report, source) : undefined;
    if (report && watermark !== undefined) reported.push({ subtask: v.subtaskIndex, watermark, report });
    return {
      subtask: v.subtaskIndex,
      watermark: watermark === undefined ? null : formatLong(watermark),
      status: report?.watermarkStatus ?? null,
      'held-back-by': report?.heldBackBy ? channel(report, report.heldBackBy.gate, report.heldBackBy.channel) : null,
      channels: report ? report.inputs.flatMap((input, g) => input.channels.map((_, i) => channel(report, g, i)!)) : [],
    };
  });
  const active = reported.filter((r) => r.report.watermarkStatus === 'ACTIVE');
  const candidates = active.length > 0 ? active : reported;
  let lowest: Reported | undefined;
  for (const r of candidates) if (lowest === undefined || r.watermark < lowest.watermark) lowest = r;
  const held = lowest?.report.heldBackBy;
  return {
    id: jv.id,
    name: jv.name,
    parallelism: jv.parallelism,
    source,
    'low-watermark': lowest === undefined ? null : formatLong(lowest.watermark),
    status: reported.length === 0 ? null : active.length > 0 ? 'ACTIVE' : 'IDLE',
    'held-back-by': lowest === undefined || active.length === 0 ? null : { subtask: lowest.subtask, input: held ? channel(lowest.report, held.gate, held.channel) : null },
    origin: null,
    subtasks,
  };
}

/** Follows the vertex's held-back-by upstream until a subtask waits for no input (jobWatermarksInfo's `origin`). */
function originOf(v: VertexWatermarkInfo, byId: ReadonlyMap<string, VertexWatermarkInfo>): VertexWatermarkInfo['origin'] {
  const held = v['held-back-by'];
  if (held === null) return null;
  let at = { 'vertex-id': v.id, 'vertex-name': v.name, subtask: held.subtask };
  let next = held.input;
  // A job graph is acyclic; the bound only guards against reports that disagree with each other.
  for (let hops = 0; next !== null && hops <= byId.size; hops++) {
    at = { 'vertex-id': next['vertex-id'], 'vertex-name': next['vertex-name'], subtask: next.subtask };
    next = byId.get(next['vertex-id'])?.subtasks.find((s) => s.subtask === next!.subtask)?.['held-back-by'] ?? null;
  }
  return at;
}

export function jobWatermarksInfo(graph: ArchivedExecutionGraph): JobWatermarksInfo {
  const vertices = graph.verticesInTopologicalOrder.map((jv) => vertexWatermarkInfo(graph, jv));
  const byId = new Map(vertices.map((v) => [v.id, v]));
  return { jid: graph.jobId, vertices: vertices.map((v) => ({ ...v, origin: originOf(v, byId) })) };
}
