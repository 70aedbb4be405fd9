import type { Partitioner } from '../jobgraph/partitioner.ts';
import type { ChainingStrategy } from '../jobgraph/stream-graph.ts';
import type { KeySelector } from '../streaming/functions.ts';
import type { OperatorFactory } from '../streaming/user-code.ts';

/**
 * What each DataStream call records (Flink's Transformation): physical ones become operators;
 * `partition` (keyBy, rebalance, broadcast, ...), `union` and `side-output` (getSideOutput) are
 * virtual and only shape the edges.
 */
export type TransformationKind = 'source' | 'operator' | 'sink' | 'partition' | 'union' | 'side-output';

export interface TransformationSpec {
  readonly kind: TransformationKind;
  /** Operator type and default name: 'Map', 'Keyed Aggregation', ... */
  readonly type: string;
  readonly inputs: readonly Transformation[];
  readonly factory?: OperatorFactory;
  /** Data describing the operator (shown in the JobGraph; the factory holds the same facts). */
  readonly config?: Record<string, unknown>;
  readonly partitioner?: Partitioner;
  readonly keySelector?: KeySelector<unknown, unknown>;
  /** A source that only runs with parallelism 1 (fromElements, readTextFile). */
  readonly nonParallel?: boolean;
  /** For `side-output`: the OutputTag id its edges carry. */
  readonly outputTag?: string;
  /** An operator over exactly two inputs (Flink's TwoInputTransformation): inputs[0] is input 1. */
  readonly twoInput?: boolean;
}

export class Transformation {
  /** Creation order within its environment; deterministic for a given job file and args. */
  readonly id: number;
  readonly kind: TransformationKind;
  readonly type: string;
  readonly inputs: readonly Transformation[];
  readonly factory: OperatorFactory | undefined;
  readonly config: Record<string, unknown>;
  readonly partitioner: Partitioner | undefined;
  readonly keySelector: KeySelector<unknown, unknown> | undefined;
  readonly nonParallel: boolean;
  readonly outputTag: string | undefined;
  readonly twoInput: boolean;
  name: string | undefined;
  uid: string | undefined;
  parallelism: number | undefined;
  maxParallelism: number | undefined;
  slotSharingGroup: string | undefined;
  chainingStrategy: ChainingStrategy | undefined;

  constructor(id: number, spec: TransformationSpec) {
    this.id = id;
    this.kind = spec.kind;
    this.type = spec.type;
    this.inputs = spec.inputs;
    this.factory = spec.factory;
    this.config = spec.config ?? {};
    this.partitioner = spec.partitioner;
    this.keySelector = spec.keySelector;
    this.nonParallel = spec.nonParallel ?? false;
    this.outputTag = spec.outputTag;
    this.twoInput = spec.twoInput ?? false;
    if (this.twoInput && this.inputs.length !== 2) throw new Error(`A two-input operator '${spec.type}' needs two inputs, got ${this.inputs.length}`);
    this.name = undefined;
    this.uid = undefined;
    this.parallelism = undefined;
    this.maxParallelism = undefined;
    this.slotSharingGroup = undefined;
    this.chainingStrategy = undefined;
  }

  get isPhysical(): boolean {
    return this.kind === 'source' || this.kind === 'operator' || this.kind === 'sink';
  }

  /** How messages name it: `'Map'`, or `'Map (uid=foo)'`. */
  get label(): string {
    return `'${this.name ?? this.type}${this.uid === undefined ? '' : ` (uid=${this.uid})`}'`;
  }

  /** The id a HASH edge uses to find this keyBy's key selector in the user code. */
  get keySelectorId(): string {
    return `keyBy-${this.id}`;
  }
}
