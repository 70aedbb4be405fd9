import type { KeySelector } from './functions.ts';
import type { StreamOperator } from './stream-operator.ts';

/** Makes a fresh operator instance for one subtask. */
export type OperatorFactory = () => StreamOperator<unknown, unknown>;

/**
 * The user functions of a job, found by the ids the JobGraph refers to. Every process gets them by
 * loading the job file itself; they never travel.
 */
export interface UserCode {
  readonly operators: ReadonlyMap<string, OperatorFactory>;
  /** Key selectors of HASH edges, by JobEdge.keySelector. */
  readonly keySelectors: ReadonlyMap<string, KeySelector<unknown, unknown>>;
}
