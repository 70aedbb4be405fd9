import { Partitioner } from './partitioner.ts';
import { ChainingStrategy, displayName, type StreamEdge, type StreamGraph, type StreamNode } from './stream-graph.ts';

/**
 * Flink's StreamingJobGraphGenerator.isChainable: two operators run in one task, calling each other
 * directly, only when nothing between them needs a real exchange.
 */
export function isChainable(graph: StreamGraph, edge: StreamEdge): boolean {
  return chainBreakReason(graph, edge) === undefined;
}

/** Why an edge is not chained, or undefined if it is; exported so tests and the plan can say why. */
export function chainBreakReason(graph: StreamGraph, edge: StreamEdge): string | undefined {
  const upstream = graph.node(edge.source);
  const downstream = graph.node(edge.target);
  if (!graph.chainingEnabled) return 'chaining disabled for the job';
  if (edge.typeNumber !== undefined) return 'downstream is a two-input operator';
  if (downstream.inEdges.length !== 1) return 'downstream has more than one input';
  if (edge.partitioner !== Partitioner.FORWARD) return `${edge.partitioner} edge`;
  if (upstream.parallelism !== downstream.parallelism) return 'different parallelism';
  if (upstream.slotSharingGroup !== downstream.slotSharingGroup) return 'different slot sharing group';
  if (upstream.chainingStrategy === ChainingStrategy.NEVER) return 'chaining disabled on upstream';
  if (downstream.chainingStrategy !== ChainingStrategy.ALWAYS) return `downstream chaining strategy ${downstream.chainingStrategy}`;
  return undefined;
}

/**
 * Flink's createChainedName: `A -> B` for one chained successor, `A -> (B, C)` for several.
 * `chainedOutputs` returns the successors chained to a node.
 */
export function chainedName(node: StreamNode, chainedOutputs: (node: StreamNode) => StreamNode[]): string {
  const outputs = chainedOutputs(node);
  const own = displayName(node);
  if (outputs.length === 0) return own;
  const names = outputs.map((o) => chainedName(o, chainedOutputs));
  return outputs.length === 1 ? `${own} -> ${names[0] ?? ''}` : `${own} -> (${names.join(', ')})`;
}
