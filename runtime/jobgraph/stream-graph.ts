import type { OperatorRole } from './job-graph.ts';
import { Partitioner } from './partitioner.ts';

/**
 * The operator-level graph (Flink's StreamGraph): one node per operator, edges carrying their
 * partitioner. The DataStream API builds it from transformations; tests may build it directly, for
 * instance to check that a cycle is refused. `generateJobGraph` validates it and chains it.
 */

/** Flink's ChainingStrategy. */
export const ChainingStrategy = {
  /** Chains with its predecessor and successors whenever the other rules allow. */
  ALWAYS: 'ALWAYS',
  /** Starts a new chain; successors may still chain to it (`startNewChain()`, sources). */
  HEAD: 'HEAD',
  /** Never chained, on either side (`disableChaining()`). */
  NEVER: 'NEVER',
} as const;
export type ChainingStrategy = (typeof ChainingStrategy)[keyof typeof ChainingStrategy];

export const DEFAULT_SLOT_SHARING_GROUP = 'default';

export interface StreamNodeSpec {
  /** What the operator does, e.g. 'Map'; also its default name. */
  readonly type: string;
  readonly role: OperatorRole;
  readonly name?: string;
  readonly uid?: string;
  readonly parallelism: number;
  readonly maxParallelism?: number;
  readonly slotSharingGroup?: string;
  readonly chainingStrategy?: ChainingStrategy;
  readonly config?: Record<string, unknown>;
}

export interface StreamNode {
  readonly id: number;
  readonly type: string;
  readonly role: OperatorRole;
  readonly name: string;
  readonly uid: string | undefined;
  readonly parallelism: number;
  readonly maxParallelism: number | undefined;
  readonly slotSharingGroup: string;
  readonly chainingStrategy: ChainingStrategy;
  readonly config: Record<string, unknown>;
  readonly inEdges: StreamEdge[];
  readonly outEdges: StreamEdge[];
}

export interface StreamEdge {
  readonly source: number;
  readonly target: number;
  readonly partitioner: Partitioner;
  readonly keySelector: string | undefined;
  /** The side output this edge carries (an OutputTag id); undefined for the main output. */
  readonly outputTag: string | undefined;
  /** Into a two-input operator: which input (1 or 2), as Flink's StreamEdge typeNumber; else undefined. */
  readonly typeNumber: 1 | 2 | undefined;
}

export interface StreamEdgeOptions {
  /** Unset: FORWARD when both sides have the same parallelism, REBALANCE otherwise (Flink's rule). */
  readonly partitioner?: Partitioner;
  readonly keySelector?: string;
  readonly outputTag?: string;
  readonly typeNumber?: 1 | 2;
}

export interface StreamGraphOptions {
  readonly jobName: string;
  /** `pipeline.operator-chaining.enabled`; true by default. */
  readonly chainingEnabled?: boolean;
  /** Job-wide max parallelism (`env.setMaxParallelism`); per-operator default rule otherwise. */
  readonly maxParallelism?: number;
}

export class StreamGraph {
  readonly jobName: string;
  readonly chainingEnabled: boolean;
  readonly maxParallelism: number | undefined;
  private readonly nodeList: StreamNode[] = [];

  constructor(options: StreamGraphOptions) {
    this.jobName = options.jobName;
    this.chainingEnabled = options.chainingEnabled ?? true;
    this.maxParallelism = options.maxParallelism;
  }

  get nodes(): readonly StreamNode[] {
    return this.nodeList;
  }

  node(id: number): StreamNode {
    const node = this.nodeList[id];
    if (!node) throw new Error(`No stream node ${id}`);
    return node;
  }

  addNode(spec: StreamNodeSpec): number {
    const id = this.nodeList.length;
    this.nodeList.push({
      id,
      type: spec.type,
      role: spec.role,
      name: spec.name ?? spec.type,
      uid: spec.uid,
      parallelism: spec.parallelism,
      maxParallelism: spec.maxParallelism,
      slotSharingGroup: spec.slotSharingGroup ?? DEFAULT_SLOT_SHARING_GROUP,
      chainingStrategy: spec.chainingStrategy ?? (spec.role === 'source' ? ChainingStrategy.HEAD : ChainingStrategy.ALWAYS),
      config: spec.config ?? {},
      inEdges: [],
      outEdges: [],
    });
    return id;
  }

  addEdge(sourceId: number, targetId: number, options: StreamEdgeOptions = {}): void {
    const source = this.node(sourceId);
    const target = this.node(targetId);
    const sameParallelism = source.parallelism === target.parallelism;
    const partitioner = options.partitioner ?? (sameParallelism ? Partitioner.FORWARD : Partitioner.REBALANCE);
    if (partitioner === Partitioner.FORWARD && !sameParallelism) {
      throw new Error(
        `Forward partitioning does not allow change of parallelism. Upstream operation: ${operatorLabel(source)} parallelism: ${source.parallelism}, ` +
          `downstream operation: ${operatorLabel(target)} parallelism: ${target.parallelism} You must use another partitioning strategy, such as broadcast, rebalance, rescale or keyBy.`,
      );
    }
    if (partitioner === Partitioner.HASH && options.keySelector === undefined) {
      throw new Error(`A HASH edge into ${operatorLabel(target)} needs a key selector`);
    }
    const edge: StreamEdge = {
      source: sourceId,
      target: targetId,
      partitioner,
      keySelector: options.keySelector,
      outputTag: options.outputTag,
      typeNumber: options.typeNumber,
    };
    source.outEdges.push(edge);
    target.inEdges.push(edge);
  }
}

/** The name shown in chain names and the REST API: sources and sinks are prefixed as in Flink. */
export function displayName(node: Pick<StreamNode, 'role' | 'name'>): string {
  if (node.role === 'source') return `Source: ${node.name}`;
  if (node.role === 'sink') return `Sink: ${node.name}`;
  return node.name;
}

/** How error messages name an operator: `'Map (uid=foo)'`. */
export function operatorLabel(node: Pick<StreamNode, 'role' | 'name' | 'uid'>): string {
  return `'${displayName(node)}${node.uid === undefined ? '' : ` (uid=${node.uid})`}'`;
}
