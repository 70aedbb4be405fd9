import { createHash } from 'node:crypto';
import { z } from 'zod';
import { HEX_ID_PATTERN } from './job-id.ts';
import { PARTITIONERS } from './partitioner.ts';

/**
 * The JobGraph: what the client submits and the JobManager stores and schedules. Plain data, so it
 * travels over REST as JSON; the user functions it refers to stay in the job file, which every
 * process loads itself (see runtime/api/job-loader.ts) and looks up by operator id.
 */

const hexId = z.string().regex(HEX_ID_PATTERN, 'expected 32 lower-case hex characters');
const jsonValue: z.ZodType<unknown> = z.json();

export const OperatorRole = { SOURCE: 'source', OPERATOR: 'operator', SINK: 'sink' } as const;
export type OperatorRole = (typeof OperatorRole)[keyof typeof OperatorRole];

export const JobOperatorSchema = z.object({
  /** Hash of the uid, or of the operator's position in the graph; equal across processes. */
  id: hexId,
  uid: z.string().optional(),
  name: z.string(),
  /** What kind of operator: 'Map', 'Filter', 'Keyed Aggregation', 'Sequence Source', ... */
  type: z.string(),
  role: z.enum(['source', 'operator', 'sink']),
  parallelism: z.number().int().positive(),
  /** Operator-specific settings that are data (a sum field, a sink name, a file path). */
  config: z.record(z.string(), jsonValue),
});
export type JobOperator = z.infer<typeof JobOperatorSchema>;

/** The id of the OutputTag whose side output an edge carries; absent for the main output. */
const outputTag = z.string().min(1).optional();

/** An edge between two operators of the same chain (always FORWARD). */
export const ChainedEdgeSchema = z.object({ source: hexId, target: hexId, outputTag });
export type ChainedEdge = z.infer<typeof ChainedEdgeSchema>;

export const JobVertexSchema = z.object({
  /** The id of the chain's head operator, as in Flink. */
  id: hexId,
  /** "Source: Sequence Source -> Map -> Sink: Print to Std. Out" */
  name: z.string(),
  parallelism: z.number().int().positive(),
  maxParallelism: z.number().int().positive(),
  slotSharingGroup: z.string(),
  /** Chained operators in topological order; the head first. */
  operators: z.array(JobOperatorSchema).min(1),
  chainedEdges: z.array(ChainedEdgeSchema),
});
export type JobVertex = z.infer<typeof JobVertexSchema>;

export const JobEdgeSchema = z.object({
  source: hexId,
  target: hexId,
  /** The operator inside the source vertex that emits into this edge. */
  sourceOperator: hexId,
  /** The operator inside the target vertex that consumes it (always the target's head). */
  targetOperator: hexId,
  partitioner: z.enum(PARTITIONERS),
  /** For HASH edges: the key selector's id in the job's user code. */
  keySelector: z.string().optional(),
  outputTag,
  /**
   * Which input of a two-input head the edge feeds, 1 or 2 (Flink's StreamEdge typeNumber); absent
   * for the single input of every other operator.
   */
  typeNumber: z.union([z.literal(1), z.literal(2)]).optional(),
});
export type JobEdge = z.infer<typeof JobEdgeSchema>;

/**
 * What the environment was created with before the job file's main ran (Flink's ExecutionConfig,
 * as far as it shapes the graph): every process that loads the job file builds it with the same.
 */
export const ExecutionConfigSchema = z.object({
  /** The default parallelism (`parallelism.default`, or --parallelism). */
  parallelism: z.number().int().positive(),
  /** The default max parallelism (`pipeline.max-parallelism`), if set. */
  maxParallelism: z.number().int().positive().optional(),
});

export const JobGraphSchema = z.object({
  jobId: hexId,
  jobName: z.string(),
  /** Vertices in topological order. */
  vertices: z.array(JobVertexSchema).min(1),
  edges: z.array(JobEdgeSchema),
  /** Absent in a hand-written graph: then the TaskManagers' default of parallelism 1 applies. */
  executionConfig: ExecutionConfigSchema.optional(),
  /**
   * The job's own Flink configuration (`-D` at submission, `flinkConfiguration` of
   * `/jars/:id/run`): its keys win over the cluster's (restart strategy, parallelism.default, ...).
   */
  jobConfiguration: z.record(z.string(), z.string()).optional(),
});
export type JobGraph = z.infer<typeof JobGraphSchema>;

const fingerprints = new WeakMap<JobGraph, string>();

/**
 * A hash of what a graph is (vertices, operators with their ids and settings, edges), not of what
 * it is called (job id, name): equal when two processes built the same graph from a job file.
 */
export function jobGraphFingerprint(graph: JobGraph): string {
  let fingerprint = fingerprints.get(graph);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(canonicalJson({ vertices: graph.vertices, edges: graph.edges })).digest('hex').slice(0, 32);
    fingerprints.set(graph, fingerprint);
  }
  return fingerprint;
}

/** JSON with object keys sorted: a parsed graph and a freshly built one may order keys differently. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function jobGraphToJSON(graph: JobGraph): unknown {
  return JSON.parse(JSON.stringify(graph)) as unknown;
}

/** Parses and checks a JobGraph received over the wire; refuses edges to unknown vertices. */
export function jobGraphFromJSON(json: unknown): JobGraph {
  const graph = JobGraphSchema.parse(typeof json === 'string' ? JSON.parse(json) : json);
  const vertices = new Map(graph.vertices.map((v) => [v.id, v]));
  for (const edge of graph.edges) {
    const source = vertices.get(edge.source);
    const target = vertices.get(edge.target);
    if (!source || !target) throw new Error(`JobEdge ${edge.source} -> ${edge.target} refers to an unknown vertex`);
    if (!source.operators.some((o) => o.id === edge.sourceOperator)) throw new Error(`JobEdge source operator ${edge.sourceOperator} is not in vertex '${source.name}'`);
    if (target.operators[0]?.id !== edge.targetOperator) throw new Error(`JobEdge target operator ${edge.targetOperator} is not the head of vertex '${target.name}'`);
  }
  for (const vertex of graph.vertices) {
    const inputs = inputEdges(graph, vertex.id);
    const numbered = inputs.filter((e) => e.typeNumber !== undefined);
    if (numbered.length === 0) continue;
    if (numbered.length !== inputs.length || !numbered.some((e) => e.typeNumber === 1) || !numbered.some((e) => e.typeNumber === 2)) {
      throw new Error(`Vertex '${vertex.name}' has two inputs: each of its input edges must say which (typeNumber 1 or 2), and both must be fed`);
    }
  }
  return graph;
}

export function findVertex(graph: JobGraph, vertexId: string): JobVertex {
  const vertex = graph.vertices.find((v) => v.id === vertexId);
  if (!vertex) throw new Error(`No vertex ${vertexId} in job ${graph.jobId}`);
  return vertex;
}

export function inputEdges(graph: JobGraph, vertexId: string): JobEdge[] {
  return graph.edges.filter((e) => e.target === vertexId);
}

export function outputEdges(graph: JobGraph, vertexId: string): JobEdge[] {
  return graph.edges.filter((e) => e.source === vertexId);
}
