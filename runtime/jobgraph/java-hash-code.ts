/**
 * Java-compatible `hashCode` for the JS values a job uses as keys, so that a key lands in the same
 * key group as it would in Flink (`String.hashCode`, `Integer.hashCode`, `Long.hashCode`,
 * `Double.hashCode`, `Boolean.hashCode`, `Tuple.hashCode`). Results are int32.
 */
export function javaHashCode(key: unknown): number {
  switch (typeof key) {
    case 'string':
      return stringHashCode(key);
    case 'number':
      return numberHashCode(key);
    case 'boolean':
      // Boolean.hashCode: 1231 for true, 1237 for false.
      return key ? 1231 : 1237;
    case 'bigint':
      return longHashCode(key);
    case 'object':
      if (key === null) break;
      return Array.isArray(key) ? tupleHashCode(key) : objectHashCode(key as Record<string, unknown>);
    default:
      break;
  }
  // Flink's KeyGroupRangeAssignment refuses null keys with this message.
  throw new Error(`Assigned key must not be null! (got ${String(key)})`);
}

/** `String.hashCode`: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, in int32. */
export function stringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** int-valued numbers hash like Integer, larger integers like Long, others like Double. */
export function numberHashCode(n: number): number {
  if ((n | 0) === n) return n;
  if (Number.isSafeInteger(n)) return longHashCode(BigInt(n));
  return doubleHashCode(n);
}

/** `Long.hashCode`: (int)(value ^ (value >>> 32)). */
export function longHashCode(value: bigint): number {
  const v = BigInt.asUintN(64, value);
  return Number(BigInt.asIntN(32, v ^ (v >> 32n)));
}

const scratch = new DataView(new ArrayBuffer(8));

/** `Double.hashCode`: the long hash of `doubleToLongBits` (NaN canonicalised, as Java does). */
export function doubleHashCode(d: number): number {
  scratch.setFloat64(0, Number.isNaN(d) ? NaN : d);
  return (scratch.getInt32(0) ^ scratch.getInt32(4)) | 0;
}

/**
 * Arrays are a TypeScript user's tuples, so they hash like Flink's `Tuple2.hashCode` .. `Tuple25`:
 * `f0.hashCode`, then `31 * h + fi.hashCode` (null = 0). Unlike `List.hashCode` it starts at 0,
 * not 1, so `[a, b]` lands in the key group Flink gives `Tuple2.of(a, b)`.
 */
function tupleHashCode(list: readonly unknown[]): number {
  let h = 0;
  for (const e of list) h = (Math.imul(h, 31) + (e === null || e === undefined ? 0 : javaHashCode(e))) | 0;
  return h;
}

/** `Map.hashCode`: sum of key.hashCode ^ value.hashCode, so property order does not matter. */
function objectHashCode(obj: Record<string, unknown>): number {
  let h = 0;
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    h = (h + (stringHashCode(k) ^ (v === null || v === undefined ? 0 : javaHashCode(v)))) | 0;
  }
  return h;
}
