import { checkParallelismPreconditions, computeDefaultMaxParallelism, UPPER_BOUND_MAX_PARALLELISM } from './key-groups.ts';
import { operatorLabel, type StreamGraph, type StreamNode } from './stream-graph.ts';

/**
 * Refuses graphs that cannot run, naming the operator at fault: cycles, operators that no source
 * feeds or that feed no sink, and parallelism outside 1..maxParallelism. Returns the nodes in
 * topological order (stable by creation order), which is what the generator needs next.
 */
export function validateStreamGraph(graph: StreamGraph): StreamNode[] {
  const nodes = graph.nodes;
  if (nodes.length === 0) throw new Error('No operators defined in streaming topology. Cannot execute.');
  const order = topologicalOrder(graph);
  for (const node of nodes) {
    if (node.role === 'source' && node.inEdges.length > 0) throw new Error(`Source ${operatorLabel(node)} cannot have inputs`);
    if (node.role !== 'source' && node.inEdges.length === 0) throw new Error(`Operator ${operatorLabel(node)} is not connected to any source`);
    if (node.role === 'sink' && node.outEdges.length > 0) throw new Error(`Sink ${operatorLabel(node)} cannot have outputs`);
    if (node.role !== 'sink' && node.outEdges.length === 0) {
      throw new Error(`Operator ${operatorLabel(node)} is not connected to any sink (add print(), writeAsText() or collect() after it)`);
    }
    checkParallelism(node, resolveMaxParallelism(graph, node));
  }
  return order;
}

export function resolveMaxParallelism(graph: StreamGraph, node: StreamNode): number {
  return node.maxParallelism ?? graph.maxParallelism ?? computeDefaultMaxParallelism(Math.min(node.parallelism, UPPER_BOUND_MAX_PARALLELISM));
}

function checkParallelism(node: StreamNode, maxParallelism: number): void {
  try {
    checkParallelismPreconditions(node.parallelism);
  } catch {
    throw new Error(`The parallelism (${node.parallelism}) of operator ${operatorLabel(node)} must be between 1 and ${UPPER_BOUND_MAX_PARALLELISM}`);
  }
  if (!Number.isInteger(maxParallelism) || maxParallelism <= 0 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new Error(`The max parallelism (${maxParallelism}) of operator ${operatorLabel(node)} must be between 1 and ${UPPER_BOUND_MAX_PARALLELISM}`);
  }
  if (node.parallelism > maxParallelism) {
    throw new Error(`The parallelism (${node.parallelism}) of operator ${operatorLabel(node)} is larger than its max parallelism (${maxParallelism})`);
  }
}

/** Kahn's algorithm; on a cycle, names an operator on it and the cycle itself. */
function topologicalOrder(graph: StreamGraph): StreamNode[] {
  const remaining = new Map<number, number>();
  for (const node of graph.nodes) remaining.set(node.id, node.inEdges.length);
  const ready = graph.nodes.filter((n) => n.inEdges.length === 0).map((n) => n.id);
  const order: StreamNode[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const node = graph.node(ready.shift() as number);
    order.push(node);
    for (const edge of node.outEdges) {
      const left = (remaining.get(edge.target) ?? 0) - 1;
      remaining.set(edge.target, left);
      if (left === 0) ready.push(edge.target);
    }
  }
  if (order.length < graph.nodes.length) {
    const stuck = graph.nodes.filter((n) => (remaining.get(n.id) ?? 0) > 0);
    const cycle = findCycle(graph, stuck);
    const first = cycle[0] ?? stuck[0];
    const path = cycle.length > 0 ? `: ${[...cycle, first].map((n) => n && operatorLabel(n)).join(' -> ')}` : '';
    throw new Error(`Operator ${first ? operatorLabel(first) : '?'} is part of a cycle${path}`);
  }
  return order;
}

function findCycle(graph: StreamGraph, candidates: StreamNode[]): StreamNode[] {
  const state = new Map<number, 'visiting' | 'done'>();
  const stack: StreamNode[] = [];
  const visit = (node: StreamNode): StreamNode[] | undefined => {
    state.set(node.id, 'visiting');
    stack.push(node);
    for (const edge of node.outEdges) {
      const next = graph.node(edge.target);
      if (state.get(next.id) === 'visiting') return stack.slice(stack.findIndex((n) => n.id === next.id));
      if (!state.has(next.id)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node.id, 'done');
    return undefined;
  };
  for (const node of candidates) {
    if (state.has(node.id)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return [];
}
