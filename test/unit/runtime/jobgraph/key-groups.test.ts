import { describe, expect, it } from 'vitest';
import { javaHashCode, longHashCode, stringHashCode } from '../../../../runtime/jobgraph/java-hash-code.ts';
import {
  assignKeyToParallelOperator,
  assignToKeyGroup,
  computeDefaultMaxParallelism,
  computeKeyGroupRangeForOperatorIndex,
  computeOperatorIndexForKeyGroup,
  murmurHash,
  roundUpToPowerOfTwo,
} from '../../../../runtime/jobgraph/key-groups.ts';

describe('Java-compatible hashCode', () => {
  it('matches String.hashCode for known strings', () => {
    expect(stringHashCode('')).toBe(0);
    expect(stringHashCode('a')).toBe(97);
    expect(stringHashCode('hello')).toBe(99162322);
    // Famous collisions and the Integer.MIN_VALUE case.
    expect(stringHashCode('Aa')).toBe(stringHashCode('BB'));
    expect(stringHashCode('polygenelubricants')).toBe(-2147483648);
  });

  it('hashes ints like Integer, larger integers like Long, booleans like Boolean', () => {
    expect(javaHashCode(42)).toBe(42);
    expect(javaHashCode(-7)).toBe(-7);
    expect(javaHashCode(2 ** 32)).toBe(longHashCode(2n ** 32n));
    expect(longHashCode(2n ** 32n)).toBe(1);
    expect(longHashCode(-1n)).toBe(0);
    expect(javaHashCode(true)).toBe(1231);
    expect(javaHashCode(false)).toBe(1237);
    // Double.hashCode(1.5): bits 0x3FF8000000000000 -> 0x3FF80000.
    expect(javaHashCode(1.5)).toBe(0x3ff80000);
  });

  it("hashes arrays like Flink's Tuple hashCode and refuses null keys", () => {
    // Tuple2.of("a", 1).hashCode() = 31 * "a".hashCode() + Integer.hashCode(1) = 31 * 97 + 1.
    expect(javaHashCode(['a', 1])).toBe(31 * 97 + 1);
    expect(javaHashCode(['a'])).toBe(97); // Tuple1: f0.hashCode()
    expect(javaHashCode(['a', 'b', 'c'])).toBe((31 * (31 * 97 + 98) + 99) | 0);
    expect(javaHashCode({ a: 1, b: 2 })).toBe(javaHashCode({ b: 2, a: 1 }));
    expect(() => javaHashCode(null)).toThrow(/Assigned key must not be null/);
    expect(() => javaHashCode(undefined)).toThrow(/Assigned key must not be null/);
  });
});

describe('MathUtils.murmurHash', () => {
  it('equals Murmur3 x86_32 (seed 0) of the int, made non-negative', () => {
    // Reference vectors of Murmur3 x86_32 with seed 0: bytes 00 00 00 00 -> 0x2362F9DE,
    // bytes 21 43 65 87 (int 0x87654321, little endian) -> 0xF55B516B (negative as int32).
    expect(murmurHash(0)).toBe(0x2362f9de);
    expect(murmurHash(0x87654321 | 0)).toBe(0x100000000 - 0xf55b516b);
  });

  it('is never negative', () => {
    for (let i = -5000; i < 5000; i++) expect(murmurHash(i * 104729)).toBeGreaterThanOrEqual(0);
  });
});

describe('KeyGroupRangeAssignment', () => {
  it('assigns a key to murmurHash(hashCode) % maxParallelism', () => {
    expect(assignToKeyGroup(0, 128)).toBe(0x2362f9de % 128);
    expect(assignToKeyGroup('hello', 128)).toBe(murmurHash(99162322) % 128);
    expect(assignToKeyGroup('hello', 128)).toBe(35);
  });

  it('computes the default max parallelism: min(max(pow2(p + p/2), 128), 32768)', () => {
    expect(computeDefaultMaxParallelism(1)).toBe(128);
    expect(computeDefaultMaxParallelism(85)).toBe(128);
    expect(computeDefaultMaxParallelism(86)).toBe(256);
    expect(computeDefaultMaxParallelism(100)).toBe(256);
    expect(computeDefaultMaxParallelism(200)).toBe(512);
    expect(computeDefaultMaxParallelism(30000)).toBe(32768);
    expect(roundUpToPowerOfTwo(129)).toBe(256);
    expect(roundUpToPowerOfTwo(128)).toBe(128);
    expect(() => computeDefaultMaxParallelism(0)).toThrow(/not within bounds/);
  });

  it('gives each operator index a contiguous range; together they cover [0, maxP) exactly once', () => {
    for (const maxParallelism of [128, 10, 7]) {
      for (let p = 1; p <= 7; p++) {
        let next = 0;
        for (let i = 0; i < p; i++) {
          const range = computeKeyGroupRangeForOperatorIndex(maxParallelism, p, i);
          expect(range.startKeyGroup).toBe(next);
          expect(range.startKeyGroup).toBe(Math.ceil((i * maxParallelism) / p));
          expect(range.endKeyGroup).toBe(Math.ceil(((i + 1) * maxParallelism) / p) - 1);
          for (let kg = range.startKeyGroup; kg <= range.endKeyGroup; kg++) {
            expect(computeOperatorIndexForKeyGroup(maxParallelism, p, kg)).toBe(i);
          }
          next = range.endKeyGroup + 1;
        }
        expect(next).toBe(maxParallelism);
      }
    }
  });

  it('knows ranges from Flink for 128 key groups', () => {
    expect(computeKeyGroupRangeForOperatorIndex(128, 3, 0)).toEqual({ startKeyGroup: 0, endKeyGroup: 42 });
    expect(computeKeyGroupRangeForOperatorIndex(128, 3, 1)).toEqual({ startKeyGroup: 43, endKeyGroup: 85 });
    expect(computeKeyGroupRangeForOperatorIndex(128, 3, 2)).toEqual({ startKeyGroup: 86, endKeyGroup: 127 });
    expect(() => computeKeyGroupRangeForOperatorIndex(2, 3, 0)).toThrow(/must not be smaller/);
  });

  it('routes a key to the operator whose range holds its key group', () => {
    expect(assignKeyToParallelOperator('hello', 128, 3)).toBe(0); // key group 35 in [0, 42]
    expect(assignKeyToParallelOperator('hello', 128, 4)).toBe(1); // 35 * 4 / 128 = 1
  });
});
