import { chainedName, isChainable } from './chaining.ts';
import { resolveMaxParallelism, validateStreamGraph } from './graph-validation.ts';
import type { JobEdge, JobGraph, JobOperator, JobVertex } from './job-graph.ts';
import { newJobId } from './job-id.ts';
import { computeOperatorIds } from './operator-id.ts';
import { displayName, type StreamEdge, type StreamGraph, type StreamNode } from './stream-graph.ts';

export interface GeneratedJobGraph {
  readonly jobGraph: JobGraph;
  /** Stream node id -> operator id, so the API can file each user function under its operator. */
  readonly operatorIds: ReadonlyMap<number, string>;
}

/**
 * StreamGraph -> JobGraph (Flink's StreamingJobGraphGenerator): validates, assigns operator ids,
 * and folds chainable operators into one JobVertex each.
 */
export function generateJobGraph(graph: StreamGraph, options: { jobId?: string } = {}): GeneratedJobGraph {
  const order = validateStreamGraph(graph);
  const operatorIds = computeOperatorIds(graph, order);
  const idOf = (node: StreamNode | number): string => operatorIds.get(typeof node === 'number' ? node : node.id) as string;

  // Chain head of every node; topological order means an input's head is known first.
  const headOf = new Map<number, number>();
  const chained = (edge: StreamEdge): boolean => headOf.get(edge.target) === headOf.get(edge.source) && headOf.has(edge.source);
  for (const node of order) {
    const only = node.inEdges.length === 1 ? node.inEdges[0] : undefined;
    headOf.set(node.id, only && isChainable(graph, only) ? (headOf.get(only.source) as number) : node.id);
  }
  const chainedOutputs = (node: StreamNode): StreamNode[] => node.outEdges.filter(chained).map((e) => graph.node(e.target));

  const vertices: JobVertex[] = [];
  for (const head of order.filter((n) => headOf.get(n.id) === n.id)) {
    const members = order.filter((n) => headOf.get(n.id) === head.id);
    vertices.push({
      id: idOf(head),
      name: chainedName(head, chainedOutputs),
      parallelism: head.parallelism,
      maxParallelism: resolveMaxParallelism(graph, head),
      slotSharingGroup: head.slotSharingGroup,
      operators: members.map((n): JobOperator => ({
        id: idOf(n),
        ...(n.uid === undefined ? {} : { uid: n.uid }),
        name: displayName(n),
        type: n.type,
        role: n.role,
        parallelism: n.parallelism,
        config: n.config,
      })),
      chainedEdges: members.flatMap((n) =>
        n.outEdges.filter(chained).map((e) => ({ source: idOf(e.source), target: idOf(e.target), ...(e.outputTag === undefined ? {} : { outputTag: e.outputTag }) })),
      ),
    });
  }

  const edges: JobEdge[] = [];
  for (const node of order) {
    for (const edge of node.outEdges) {
      if (chained(edge)) continue;
      edges.push({
        source: idOf(headOf.get(edge.source) as number),
        target: idOf(headOf.get(edge.target) as number),
        sourceOperator: idOf(edge.source),
        targetOperator: idOf(edge.target),
        partitioner: edge.partitioner,
        ...(edge.keySelector === undefined ? {} : { keySelector: edge.keySelector }),
        ...(edge.outputTag === undefined ? {} : { outputTag: edge.outputTag }),
        ...(edge.typeNumber === undefined ? {} : { typeNumber: edge.typeNumber }),
      });
    }
  }

  return { jobGraph: { jobId: options.jobId ?? newJobId(), jobName: graph.jobName, vertices, edges }, operatorIds };
}
