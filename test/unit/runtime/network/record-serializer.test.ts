import { describe, expect, it } from 'vitest';
import { DataInputView } from '../../../../runtime/network/data-input-view.ts';
import { DataOutputView } from '../../../../runtime/network/data-output-view.ts';
import { JsonRecordSerializer, ValueSerializer, ValueTag, type RecordSerializer } from '../../../../runtime/network/record-serializer.ts';

function roundTrip(value: unknown, serializer: RecordSerializer = new ValueSerializer()): unknown {
  const out = new DataOutputView(Buffer.alloc(16), true);
  serializer.serialize(value, out);
  expect(out.overflow).toBe(false);
  const input = new DataInputView(out.bytes.subarray(0, out.pos));
  const back = serializer.deserialize(input);
  expect(input.pos).toBe(out.pos);
  return back;
}

function tagOf(value: unknown): number {
  const out = new DataOutputView(Buffer.alloc(64), true);
  new ValueSerializer().serialize(value, out);
  return out.bytes[0]!;
}

describe('ValueSerializer', () => {
  it.each([
    ['a word-count tuple', ['hello', 42]],
    ['a tuple with a fractional number', ['x', 0.5]],
    ['int32 bounds', [2147483647, -2147483648]],
    ['large and fractional numbers', [2 ** 53, -1.5e300, 1e-300]],
    ['null, booleans', [null, true, false]],
    ['an empty string and array', ['', []]],
    ['a plain object', { word: 'flink', count: 3, nested: { a: [1, 'b', null] } }],
    ['an array of objects', [{ k: 1 }, { k: 2 }]],
    ['a long ASCII string', 'x'.repeat(10_000)],
  ])('round-trips %s', (_name, value) => {
    expect(roundTrip(value)).toStrictEqual(value);
  });

  it('reads field names right when names of one length and first and last letter alternate, and when they are not ASCII', () => {
    // "axb" and "ayb" (and "aéb", 4 bytes) share what the reader keeps recent field names by.
    const records = [{ axb: 1 }, { ayb: 2 }, { axb: 3, ayb: 4 }, { 'aéb': 5 }, { 'aéb': 6, axb: 7 }, { ['a'.repeat(40)]: 8 }];
    const out = new DataOutputView(Buffer.alloc(16), true);
    const serializer = new ValueSerializer();
    for (const r of records) serializer.serialize(r, out);
    const input = new DataInputView(out.bytes.subarray(0, out.pos));
    expect(records.map(() => serializer.deserialize(input))).toStrictEqual(records);
    const proto = JSON.parse('{"__proto__": 1, "__proto__x": 2}') as Record<string, unknown>;
    const back = roundTrip(proto) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', '__proto__x']);
  });

  it('round-trips unicode strings on both the short and the long path', () => {
    for (const s of ['héllo', 'naïve café', '日本語のテキスト', '🦀 crab 🦀', 'mixed ascii then ü', 'ü'.repeat(40), '𝄞'.repeat(50), 'a'.repeat(70) + '😀']) {
      expect(roundTrip(s)).toBe(s);
      expect(roundTrip([s, 1])).toStrictEqual([s, 1]);
      expect(roundTrip({ [s]: s })).toStrictEqual({ [s]: s });
    }
  });

  it('replaces lone surrogates with U+FFFD on both paths, as UTF-8 must', () => {
    expect(roundTrip('a\ud800b')).toBe('a\ufffdb');
    expect(roundTrip('a'.repeat(70) + '\udc00')).toBe('a'.repeat(70) + '\ufffd');
  });

  it('keeps what JSON would lose: -0, NaN, Infinity, undefined, bigint', () => {
    const back = roundTrip([-0, NaN, Infinity, -Infinity, undefined, 12345678901234567890n, { u: undefined }]) as unknown[];
    expect(Object.is(back[0], -0)).toBe(true);
    expect(back[1]).toBeNaN();
    expect(back.slice(2)).toStrictEqual([Infinity, -Infinity, undefined, 12345678901234567890n, { u: undefined }]);
    expect(Object.is((roundTrip(['k', -0]) as unknown[])[1], -0)).toBe(true);
  });

  it('uses the compact tags for the common shapes', () => {
    expect(tagOf(['w', 1])).toBe(ValueTag.STRING_NUMBER_TUPLE);
    expect(tagOf(7)).toBe(ValueTag.INT32);
    expect(tagOf(-0)).toBe(ValueTag.FLOAT64);
    expect(tagOf(1.5)).toBe(ValueTag.FLOAT64);
    expect(tagOf({ a: 1 })).toBe(ValueTag.OBJECT);
    expect(tagOf([1, 2, 3])).toBe(ValueTag.ARRAY);
  });

  it('falls back to JSON for non-plain objects and deep trees, with JSON semantics', () => {
    const date = new Date(Date.UTC(2026, 0, 2));
    expect(tagOf(date)).toBe(ValueTag.JSON);
    expect(roundTrip(date)).toBe(date.toISOString());
    class Point {
      readonly x = 1;
      readonly y = 2;
    }
    expect(roundTrip(new Point())).toStrictEqual({ x: 1, y: 2 });
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(roundTrip(deep)).toStrictEqual(deep);
  });

  it('does not let a "__proto__" key change the prototype of the decoded object', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const back = roundTrip(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toStrictEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses functions and symbols, and cycles (through the JSON fallback)', () => {
    expect(() => roundTrip(() => 1)).toThrow(/function/);
    expect(() => roundTrip(Symbol('s'))).toThrow(/symbol/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => roundTrip(cyclic)).toThrow(/circular/i);
  });

  it('sets overflow instead of writing past a fixed buffer, leaving the bytes before it intact', () => {
    const bytes = Buffer.alloc(12, 0xee);
    const out = new DataOutputView(bytes);
    new ValueSerializer().serialize(['a long enough word', 1], out);
    expect(out.overflow).toBe(true);
    expect(out.pos).toBeLessThanOrEqual(12);
  });
});

describe('JsonRecordSerializer', () => {
  it('round-trips with JSON semantics', () => {
    const s = new JsonRecordSerializer();
    expect(roundTrip({ a: [1, 'ü', null], b: 'x' }, s)).toStrictEqual({ a: [1, 'ü', null], b: 'x' });
    expect(roundTrip([undefined], s)).toStrictEqual([null]);
  });
});
