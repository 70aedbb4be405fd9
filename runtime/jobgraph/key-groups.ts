import { javaHashCode } from './java-hash-code.ts';

/**
 * Flink's KeyGroupRangeAssignment and the MathUtils it relies on. Key groups are the unit in which
 * keyed state is partitioned and later rescaled; a key's group depends only on the key and the max
 * parallelism, and each subtask owns one contiguous range of groups.
 */

/** Lower bound of the default max parallelism (1 << 7). */
export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 128;
/** Inclusive upper bound of max parallelism (1 << 15). */
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

/** An inclusive range of key groups [startKeyGroup, endKeyGroup]. */
export interface KeyGroupRange {
  readonly startKeyGroup: number;
  readonly endKeyGroup: number;
}

/** MathUtils.murmurHash: Murmur3 (x86, 32 bit, seed 0) of one int, made non-negative. */
export function murmurHash(code: number): number {
  let h = Math.imul(code | 0, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= 4;
  // bitMix, Murmur3's finaliser.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  if (h >= 0) return h;
  return h !== -0x80000000 ? -h : 0;
}

/** MathUtils.roundUpToPowerOfTwo for positive int32 values. */
export function roundUpToPowerOfTwo(x: number): number {
  let v = (x - 1) | 0;
  v |= v >> 1;
  v |= v >> 2;
  v |= v >> 4;
  v |= v >> 8;
  v |= v >> 16;
  return (v + 1) | 0;
}

export function assignToKeyGroup(key: unknown, maxParallelism: number): number {
  return computeKeyGroupForKeyHash(javaHashCode(key), maxParallelism);
}

export function computeKeyGroupForKeyHash(keyHash: number, maxParallelism: number): number {
  return murmurHash(keyHash) % maxParallelism;
}

/** The subtask index a key is routed to by a keyBy (HASH) edge. */
export function assignKeyToParallelOperator(key: unknown, maxParallelism: number, parallelism: number): number {
  return computeOperatorIndexForKeyGroup(maxParallelism, parallelism, assignToKeyGroup(key, maxParallelism));
}

export function computeOperatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  // maxParallelism <= 32768 keeps keyGroup * parallelism well inside int32, as Flink requires.
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

export function computeKeyGroupRangeForOperatorIndex(maxParallelism: number, parallelism: number, operatorIndex: number): KeyGroupRange {
  checkParallelismPreconditions(parallelism);
  checkParallelismPreconditions(maxParallelism);
  if (maxParallelism < parallelism) throw new Error('Maximum parallelism must not be smaller than parallelism.');
  const start = Math.floor((operatorIndex * maxParallelism + parallelism - 1) / parallelism);
  const end = Math.floor(((operatorIndex + 1) * maxParallelism - 1) / parallelism);
  return { startKeyGroup: start, endKeyGroup: end };
}

export function computeDefaultMaxParallelism(operatorParallelism: number): number {
  checkParallelismPreconditions(operatorParallelism);
  return Math.min(
    Math.max(roundUpToPowerOfTwo(operatorParallelism + Math.floor(operatorParallelism / 2)), DEFAULT_LOWER_BOUND_MAX_PARALLELISM),
    UPPER_BOUND_MAX_PARALLELISM,
  );
}

export function checkParallelismPreconditions(parallelism: number): void {
  if (!Number.isInteger(parallelism) || parallelism <= 0 || parallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new Error(`Operator parallelism not within bounds: ${parallelism}`);
  }
}
