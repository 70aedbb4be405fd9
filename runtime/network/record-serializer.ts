import type { DataInputView } from './data-input-view.ts';
import type { DataOutputView } from './data-output-view.ts';

/**
 * Turns records into bytes inside a network buffer and back. `serialize` may leave `out.overflow`
 * set when the buffer is full; the caller rolls back and retries in a new buffer, so a serializer
 * never needs to know how much space is left.
 */
export interface RecordSerializer<T = unknown> {
  serialize(value: T, out: DataOutputView): void;
  deserialize(input: DataInputView): T;
}

/** Type tags of {@link ValueSerializer}: one byte in front of every value. */
export const ValueTag = {
  NULL: 0,
  UNDEFINED: 1,
  FALSE: 2,
  TRUE: 3,
  INT32: 4,
  FLOAT64: 5,
  STRING: 6,
  /** `[string, number]`: the word-count shape, written without per-element tags. */
  STRING_NUMBER_TUPLE: 7,
  ARRAY: 8,
  OBJECT: 9,
  BIGINT: 10,
  /** Anything else (Date, class instances, deep trees): JSON text, with JSON's semantics. */
  JSON: 11,
} as const;

/** Deeper trees go to JSON, which also reports cycles. */
const MAX_BINARY_DEPTH = 16;

/**
 * The default serializer: a tagged binary format for numbers, strings, booleans, null/undefined,
 * bigint, arrays and plain objects, and JSON for everything else. Binary keeps -0, NaN, Infinity
 * and undefined, which JSON would lose.
 */
export class ValueSerializer implements RecordSerializer {
  serialize(value: unknown, out: DataOutputView): void {
    writeValue(value, out, 0);
  }

  deserialize(input: DataInputView): unknown {
    return readValue(input);
  }
}

/** Every record as JSON text: the explicit fallback, for values that must round-trip exactly as JSON would. */
export class JsonRecordSerializer implements RecordSerializer {
  serialize(value: unknown, out: DataOutputView): void {
    out.writeString(toJson(value));
  }

  deserialize(input: DataInputView): unknown {
    return JSON.parse(input.readString());
  }
}

function writeValue(value: unknown, out: DataOutputView, depth: number): void {
  switch (typeof value) {
    case 'string':
      out.writeU8(ValueTag.STRING);
      out.writeString(value);
      return;
    case 'number':
      if ((value | 0) === value && (value !== 0 || 1 / value > 0)) {
        out.writeU8(ValueTag.INT32);
        out.writeI32(value);
      } else {
        out.writeU8(ValueTag.FLOAT64);
        out.writeF64(value);
      }
      return;
    case 'boolean':
      out.writeU8(value ? ValueTag.TRUE : ValueTag.FALSE);
      return;
    case 'undefined':
      out.writeU8(ValueTag.UNDEFINED);
      return;
    case 'bigint':
      out.writeU8(ValueTag.BIGINT);
      out.writeString(value.toString());
      return;
    case 'object':
      if (value === null) {
        out.writeU8(ValueTag.NULL);
        return;
      }
      if (depth < MAX_BINARY_DEPTH) {
        if (Array.isArray(value)) {
          writeArray(value, out, depth);
          return;
        }
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto === Object.prototype || proto === null) {
          writeObject(value as Record<string, unknown>, out, depth);
          return;
        }
      }
      out.writeU8(ValueTag.JSON);
      out.writeString(toJson(value));
      return;
    case 'function':
    case 'symbol':
      throw new TypeError(`cannot send a ${typeof value} between tasks`);
  }
}

function writeArray(value: readonly unknown[], out: DataOutputView, depth: number): void {
  const n = value.length;
  if (n === 2) {
    const first: unknown = value[0];
    const second: unknown = value[1];
    if (typeof first === 'string' && typeof second === 'number') {
      out.writeU8(ValueTag.STRING_NUMBER_TUPLE);
      out.writeString(first);
      out.writeF64(second);
      return;
    }
  }
  out.writeU8(ValueTag.ARRAY);
  out.writeU32(n);
  for (let i = 0; i < n; i++) writeValue(value[i], out, depth + 1);
}

function writeObject(value: Record<string, unknown>, out: DataOutputView, depth: number): void {
  out.writeU8(ValueTag.OBJECT);
  const countAt = out.pos;
  out.writeU32(0);
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    out.writeString(key);
    writeValue(value[key], out, depth + 1);
    count++;
  }
  // Back-patch the key count: counting first would walk the keys twice.
  if (!out.overflow) out.view.setUint32(countAt, count);
}

function readValue(input: DataInputView): unknown {
  const tag = input.readU8();
  switch (tag) {
    case ValueTag.STRING_NUMBER_TUPLE: {
      const s = input.readString();
      return [s, input.readF64()];
    }
    case ValueTag.STRING:
      return input.readString();
    case ValueTag.INT32:
      return input.readI32();
    case ValueTag.FLOAT64:
      return input.readF64();
    case ValueTag.NULL:
      return null;
    case ValueTag.UNDEFINED:
      return undefined;
    case ValueTag.FALSE:
      return false;
    case ValueTag.TRUE:
      return true;
    case ValueTag.BIGINT:
      return BigInt(input.readString());
    case ValueTag.ARRAY: {
      const n = input.readU32();
      const arr: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) arr[i] = readValue(input);
      return arr;
    }
    case ValueTag.OBJECT: {
      const n = input.readU32();
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const key = readFieldName(input);
        const v = readValue(input);
        // A plain assignment to "__proto__" would change the prototype instead of adding a key.
        if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        else obj[key] = v;
      }
      return obj;
    }
    case ValueTag.JSON:
      return JSON.parse(input.readString());
    default:
      throw new Error(`corrupt record: unknown value tag ${tag} at byte ${input.pos - 1}`);
  }
}

/**
 * Field names repeat in every record, so the last short ASCII names seen are kept by length and
 * first and last byte: a hit compares the bytes and returns the same string, already interned as a
 * property key, instead of decoding a new one (which the object's store would intern again). It
 * is a cache of immutable strings only, so sharing it across the process is harmless.
 */
const FIELD_NAMES = 512;
const fieldNames: (string | undefined)[] = new Array<string | undefined>(FIELD_NAMES).fill(undefined);

function readFieldName(input: DataInputView): string {
  const start = input.pos + 4;
  if (start > input.end) return input.readString();
  const len = input.view.getUint32(input.pos);
  if (len === 0 || len > 32 || start + len > input.end) return input.readString();
  const bytes = input.bytes;
  const slot = (len * 31 + bytes[start]! * 7 + bytes[start + len - 1]!) & (FIELD_NAMES - 1);
  const cached = fieldNames[slot];
  if (cached !== undefined && cached.length === len) {
    let i = 0;
    while (i < len && cached.charCodeAt(i) === bytes[start + i]) i++;
    if (i === len) {
      input.pos = start + len;
      return cached;
    }
  }
  const name = input.readString();
  // As many UTF-16 units as UTF-8 bytes: ASCII, which the byte comparison above relies on.
  if (name.length === len) fieldNames[slot] = name;
  return name;
}

function toJson(value: unknown): string {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) throw new TypeError('record has no JSON form');
  return text;
}
