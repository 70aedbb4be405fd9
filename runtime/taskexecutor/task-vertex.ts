import type { BuiltJob } from '../api/stream-execution-environment.ts';
import type { ChainedEdge, JobEdge, JobGraph, JobOperator, JobVertex } from '../jobgraph/job-graph.ts';
import { computeDefaultMaxParallelism } from '../jobgraph/key-groups.ts';
import type { ResultPartitionDescriptor, TaskDeploymentDescriptor } from '../protocol/task-deployment-descriptor.ts';
import type { KeySelector } from '../streaming/functions.ts';

/** One output of the task: the JobEdge its chain writes to and how to partition it. */
export interface TaskOutput {
  readonly descriptor: ResultPartitionDescriptor;
  readonly keySelector?: KeySelector<unknown, unknown>;
  /** Max parallelism of the consuming vertex (HASH routes by its key groups). */
  readonly consumerMaxParallelism: number;
}

/**
 * The task's chain as OperatorChain needs it: a one-vertex graph with this task's out-edges, and
 * its in-edges in the order of the TDD's input gates (what a two-input task reads its inputs by).
 */
export interface ResolvedTaskVertex {
  readonly jobGraph: JobGraph;
  readonly vertex: JobVertex;
  readonly outputs: ReadonlyMap<JobEdge, TaskOutput>;
}

interface Link {
  readonly source: string;
  readonly target: string;
  readonly keySelector?: string;
  readonly outputTag?: string;
}

/**
 * Builds the vertex of a TDD from the job file as this TaskManager loaded it. The JobManager's
 * chaining is authoritative: the TDD names the chain's operators and its result partitions, so
 * the vertex is rebuilt from operator ids and the links between them, not taken from the local
 * graph (whose chaining could differ if the default parallelism did).
 */
export function resolveTaskVertex(job: BuiltJob, tdd: TaskDeploymentDescriptor): ResolvedTaskVertex {
  const graph = job.jobGraph;
  const operators = new Map<string, { op: JobOperator; vertex: JobVertex }>();
  for (const vertex of graph.vertices) for (const op of vertex.operators) operators.set(op.id, { op, vertex });
  const links: Link[] = [
    ...graph.vertices.flatMap((v) => v.chainedEdges.map((e: ChainedEdge) => ({ source: e.source, target: e.target, ...tagOf(e) }))),
    ...graph.edges.map((e) => ({ source: e.sourceOperator, target: e.targetOperator, ...(e.keySelector === undefined ? {} : { keySelector: e.keySelector }), ...tagOf(e) })),
  ];

  const chain = tdd.operatorIds.map((id) => {
    const found = operators.get(id);
    if (!found) {
      throw new Error(
        `operator ${id} of task '${tdd.taskName}' is not in the graph of job file ${tdd.jobFile.fileName} ` +
          `(args ${JSON.stringify(tdd.jobFile.args)}); was it loaded with the same arguments?`,
      );
    }
    return found.op;
  });
  if (chain.length === 0) throw new Error(`task '${tdd.taskName}' has no operators`);
  const inChain = new Set(tdd.operatorIds);
  const chainedEdges = links.filter((l) => inChain.has(l.source) && inChain.has(l.target)).map((l) => ({ source: l.source, target: l.target, ...tagOf(l) }));

  const edges: JobEdge[] = [];
  const outputs = new Map<JobEdge, TaskOutput>();
  const used = new Set<Link>();
  for (const descriptor of tdd.resultPartitions) {
    const link = links.find((l) => !used.has(l) && inChain.has(l.source) && l.target === descriptor.targetVertexId);
    if (!link) throw new Error(`task '${tdd.taskName}': no operator of its chain feeds vertex ${descriptor.targetVertexId} in the job file's graph`);
    used.add(link);
    let keySelector: KeySelector<unknown, unknown> | undefined;
    if (descriptor.partitioner === 'HASH') {
      keySelector = link.keySelector === undefined ? undefined : job.userCode.keySelectors.get(link.keySelector);
      if (!keySelector) throw new Error(`task '${tdd.taskName}': the HASH edge to vertex ${descriptor.targetVertexId} has no key selector in the job's user code`);
    }
    const consumer = operators.get(descriptor.targetVertexId)?.vertex;
    const consumerMaxParallelism =
      consumer !== undefined && consumer.maxParallelism >= descriptor.numberOfSubpartitions ? consumer.maxParallelism : computeDefaultMaxParallelism(descriptor.numberOfSubpartitions);
    const edge: JobEdge = {
      source: tdd.jobVertexId,
      target: descriptor.targetVertexId,
      sourceOperator: link.source,
      targetOperator: descriptor.targetVertexId,
      partitioner: descriptor.partitioner,
      ...(link.keySelector === undefined ? {} : { keySelector: link.keySelector }),
      ...tagOf(link),
    };
    edges.push(edge);
    outputs.set(edge, { descriptor, consumerMaxParallelism, ...(keySelector ? { keySelector } : {}) });
  }

  // The gates in TDD order, as edges: their typeNumber tells a two-input task which input each feeds.
  for (const gate of tdd.inputGates) {
    edges.push({
      source: gate.sourceVertexId,
      target: tdd.jobVertexId,
      sourceOperator: gate.sourceVertexId,
      targetOperator: tdd.operatorIds[0]!,
      partitioner: gate.partitioner,
      ...(gate.typeNumber === undefined ? {} : { typeNumber: gate.typeNumber }),
    });
  }

  const vertex: JobVertex = {
    id: tdd.jobVertexId,
    name: vertexNameOf(tdd),
    parallelism: tdd.parallelism,
    maxParallelism: tdd.maxParallelism,
    slotSharingGroup: operators.get(tdd.operatorIds[0]!)?.vertex.slotSharingGroup ?? 'default',
    operators: chain,
    chainedEdges,
  };
  return { jobGraph: { jobId: tdd.jobId, jobName: tdd.jobName, vertices: [vertex], edges }, vertex, outputs };
}

function tagOf(edge: { readonly outputTag?: string | undefined }): { outputTag?: string } {
  return edge.outputTag === undefined ? {} : { outputTag: edge.outputTag };
}

/** The TDD's task name without a trailing "(i/p)" subtask suffix, if the JobMaster added one. */
export function vertexNameOf(tdd: TaskDeploymentDescriptor): string {
  const suffix = ` (${tdd.subtaskIndex + 1}/${tdd.parallelism})`;
  return tdd.taskName.endsWith(suffix) ? tdd.taskName.slice(0, -suffix.length) : tdd.taskName;
}
