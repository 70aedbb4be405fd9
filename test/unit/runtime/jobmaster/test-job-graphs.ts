import { createHash } from 'node:crypto';
import type { JobEdge, JobGraph, JobVertex } from '../../../../runtime/jobgraph/job-graph.ts';
import type { Partitioner } from '../../../../runtime/jobgraph/partitioner.ts';
import type { JobFileRef } from '../../../../runtime/protocol/task-deployment-descriptor.ts';

/** Deterministic 32-hex ids from names, so tests read well. */
export const hexId = (name: string): string => createHash('md5').update(name).digest('hex');

export interface VertexSpec {
  readonly name: string;
  readonly parallelism: number;
  readonly group?: string;
  readonly maxParallelism?: number;
  readonly role?: 'source' | 'operator' | 'sink';
}

export function vertex(spec: VertexSpec): JobVertex {
  const id = hexId(spec.name);
  return {
    id,
    name: spec.name,
    parallelism: spec.parallelism,
    maxParallelism: spec.maxParallelism ?? 128,
    slotSharingGroup: spec.group ?? 'default',
    operators: [{ id, name: spec.name, type: 'Map', role: spec.role ?? 'operator', parallelism: spec.parallelism, config: {} }],
    chainedEdges: [],
  };
}

export function edge(source: JobVertex, target: JobVertex, partitioner: Partitioner): JobEdge {
  return { source: source.id, target: target.id, sourceOperator: source.id, targetOperator: target.id, partitioner };
}

/** Builds a JobGraph from vertices (topological order) and edges `[from, to, partitioner]` by vertex name. */
export function jobGraph(name: string, vertices: readonly VertexSpec[], edges: readonly [string, string, Partitioner][] = []): JobGraph {
  const vs = vertices.map(vertex);
  const byName = new Map(vs.map((v) => [v.name, v]));
  return {
    jobId: hexId(`${name}-${Math.random()}`),
    jobName: name,
    vertices: vs,
    edges: edges.map(([from, to, p]) => edge(byName.get(from)!, byName.get(to)!, p)),
  };
}

/** Source (p) -> keyed map (p) -> sink (1), all in one slot sharing group. */
export function pipeline(parallelism = 2): JobGraph {
  return jobGraph(
    'pipeline',
    [
      { name: 'Source: Sequence', parallelism, role: 'source' },
      { name: 'Keyed Map', parallelism },
      { name: 'Sink: Collect', parallelism: 1, role: 'sink' },
    ],
    [
      ['Source: Sequence', 'Keyed Map', 'HASH'],
      ['Keyed Map', 'Sink: Collect', 'REBALANCE'],
    ],
  );
}

export const JOB_FILE: JobFileRef = { blobKey: `${'0'.repeat(64)}_job.ts`, fileName: 'job.ts', args: [] };
