/**
 * How records of one JobEdge are distributed over the consumer's subtasks (Flink's
 * StreamPartitioner subclasses, by their `toString` names).
 */
export const Partitioner = {
  /** Subtask i to subtask i; requires equal parallelism; the only edge that can be chained. */
  FORWARD: 'FORWARD',
  /** Round-robin over all consumer subtasks. */
  REBALANCE: 'REBALANCE',
  /** By key group of the record's key (keyBy). */
  HASH: 'HASH',
  /** Every record to every consumer subtask. */
  BROADCAST: 'BROADCAST',
  /** Round-robin over the subset of consumers this producer is pointwise-connected to. */
  RESCALE: 'RESCALE',
} as const;
export type Partitioner = (typeof Partitioner)[keyof typeof Partitioner];

export const PARTITIONERS = Object.values(Partitioner) as [Partitioner, ...Partitioner[]];

/** Flink's DistributionPattern: which producer subtasks feed which consumer subtasks. */
export function isPointwise(partitioner: Partitioner): boolean {
  return partitioner === Partitioner.FORWARD || partitioner === Partitioner.RESCALE;
}

/**
 * Consumer subtasks that producer `producerIndex` sends to (EdgeManagerBuildUtil.connectPointwise
 * for pointwise edges, every consumer otherwise), in ascending order.
 */
export function connectedConsumers(partitioner: Partitioner, producers: number, consumers: number, producerIndex: number): number[] {
  if (!isPointwise(partitioner)) return range(0, consumers);
  if (producers === consumers) return [producerIndex];
  if (producers < consumers) {
    return range(Math.floor((producerIndex * consumers) / producers), Math.floor(((producerIndex + 1) * consumers) / producers));
  }
  // More producers than consumers: consumer j reads producers [j*P/C, (j+1)*P/C).
  for (let j = 0; j < consumers; j++) {
    const end = Math.floor(((j + 1) * producers) / consumers);
    if (producerIndex < end) return [j];
  }
  return [consumers - 1];
}

/** Producer subtasks that consumer `consumerIndex` reads from: the inverse of {@link connectedConsumers}. */
export function connectedProducers(partitioner: Partitioner, producers: number, consumers: number, consumerIndex: number): number[] {
  const result: number[] = [];
  for (let i = 0; i < producers; i++) if (connectedConsumers(partitioner, producers, consumers, i).includes(consumerIndex)) result.push(i);
  return result;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}
