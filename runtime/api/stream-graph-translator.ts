import type { Partitioner } from '../jobgraph/partitioner.ts';
import { DEFAULT_SLOT_SHARING_GROUP, StreamGraph, type StreamGraphOptions } from '../jobgraph/stream-graph.ts';
import type { KeySelector } from '../streaming/functions.ts';
import type { OperatorFactory } from '../streaming/user-code.ts';
import type { Transformation } from './transformation.ts';

export interface TranslatedGraph {
  readonly streamGraph: StreamGraph;
  /** Stream node id -> the factory of its operator. */
  readonly factories: ReadonlyMap<number, OperatorFactory>;
  readonly keySelectors: ReadonlyMap<string, KeySelector<unknown, unknown>>;
}

interface ResolvedInput {
  readonly node: number;
  readonly partitioner: Partitioner | undefined;
  readonly keySelector: string | undefined;
  readonly outputTag: string | undefined;
  readonly typeNumber?: 1 | 2;
}

/**
 * Transformations -> StreamGraph (Flink's StreamGraphGenerator). Physical transformations become
 * nodes, in creation order (inputs are always created first); virtual ones are folded into the
 * edges: a partitioning sets the partitioner, a union fans its inputs into the consumer.
 */
export function translateTransformations(
  transformations: readonly Transformation[],
  options: StreamGraphOptions & { readonly defaultParallelism: number },
): TranslatedGraph {
  const graph = new StreamGraph(options);
  const nodeOf = new Map<Transformation, number>();
  const factories = new Map<number, OperatorFactory>();
  const keySelectors = new Map<string, KeySelector<unknown, unknown>>();

  const resolve = (t: Transformation, partitioner: Partitioner | undefined, keySelector: string | undefined): ResolvedInput[] => {
    if (t.kind === 'union') return t.inputs.flatMap((input) => resolve(input, partitioner, keySelector));
    if (t.kind === 'side-output') {
      // getSideOutput() applies to the operator that produced its input: the edge carries the tag.
      const [input] = t.inputs;
      if (input?.kind !== 'operator' && input?.kind !== 'source') throw new Error(`getSideOutput() applies to an operator, not to ${input?.label ?? 'nothing'}`);
      return resolve(input, partitioner, keySelector).map((r) => ({ ...r, outputTag: t.outputTag }));
    }
    if (t.kind === 'partition') {
      if (t.keySelector) keySelectors.set(t.keySelectorId, t.keySelector);
      // The partitioning closest to the consumer wins, as in Flink.
      return t.inputs.flatMap((input) =>
        resolve(input, partitioner ?? t.partitioner, partitioner === undefined && t.keySelector ? t.keySelectorId : keySelector),
      );
    }
    const node = nodeOf.get(t);
    if (node === undefined) throw new Error(`Input ${t.label} was not translated before its consumer`);
    return [{ node, partitioner, keySelector, outputTag: undefined }];
  };

  for (const t of transformations) {
    if (!t.isPhysical) continue;
    // A two-input operator's edges say which input they feed, however many edges a union made.
    const inputs = t.inputs.flatMap((input, i) =>
      resolve(input, undefined, undefined).map((r) => (t.twoInput ? { ...r, typeNumber: (i + 1) as 1 | 2 } : r)),
    );
    const inputGroups = new Set(inputs.map((i) => graph.node(i.node).slotSharingGroup));
    const inherited = inputGroups.size === 1 ? (inputGroups.values().next().value as string) : DEFAULT_SLOT_SHARING_GROUP;
    const node = graph.addNode({
      type: t.type,
      role: t.kind === 'source' ? 'source' : t.kind === 'sink' ? 'sink' : 'operator',
      ...(t.name === undefined ? {} : { name: t.name }),
      ...(t.uid === undefined ? {} : { uid: t.uid }),
      parallelism: t.parallelism ?? (t.nonParallel ? 1 : options.defaultParallelism),
      ...(t.maxParallelism === undefined ? {} : { maxParallelism: t.maxParallelism }),
      slotSharingGroup: t.slotSharingGroup ?? inherited,
      ...(t.chainingStrategy === undefined ? {} : { chainingStrategy: t.chainingStrategy }),
      config: t.config,
    });
    nodeOf.set(t, node);
    if (t.factory) factories.set(node, t.factory);
    for (const input of inputs) {
      graph.addEdge(input.node, node, {
        ...(input.partitioner === undefined ? {} : { partitioner: input.partitioner }),
        ...(input.keySelector === undefined ? {} : { keySelector: input.keySelector }),
        ...(input.outputTag === undefined ? {} : { outputTag: input.outputTag }),
        ...(input.typeNumber === undefined ? {} : { typeNumber: input.typeNumber }),
      });
    }
  }
  return { streamGraph: graph, factories, keySelectors };
}
