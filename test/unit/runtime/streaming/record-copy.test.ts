import { describe, expect, it } from 'vitest';
import { copyRecord } from '../../../../runtime/streaming/record-copy.ts';

class Reading {
  sensor = 's1';
  values = [1, 2];
  label(): string {
    return `${this.sensor}:${this.values.join(',')}`;
  }
}

describe('copyRecord (object reuse off: each chained operator gets its own record)', () => {
  it('returns primitives and strings as they are', () => {
    for (const v of [1, -0, NaN, 'a', true, undefined, null, 10n]) expect(Object.is(copyRecord(v), v)).toBe(true);
  });

  it('copies plain objects deeply: changing the copy at any depth leaves the original alone', () => {
    const original = { key: 'a', count: 1, inner: { list: [1, { n: 2 }] }, when: new Date(5) };
    const copy = copyRecord(original);
    expect(copy).toEqual(original);
    copy.count = 9;
    copy.inner.list.push(3);
    (copy.inner.list[1] as { n: number }).n = 7;
    copy.when.setTime(6);
    expect(original).toEqual({ key: 'a', count: 1, inner: { list: [1, { n: 2 }] }, when: new Date(5) });
  });

  it('keeps an own "__proto__" field a field, at the top and inside', () => {
    const original = JSON.parse('{"__proto__": {"x": 1}, "inner": {"__proto__": 2}}') as Record<string, unknown>;
    const copy = copyRecord(original);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(copy['__proto__']).toEqual({ x: 1 });
    expect(copy['__proto__']).not.toBe(original['__proto__']);
    expect(Object.hasOwn(copy['inner'] as object, '__proto__')).toBe(true);
  });

  it('keeps the class of an instance (a POJO stays a POJO) and copies Map, Set and arrays as such', () => {
    const reading = new Reading();
    const copy = copyRecord(reading);
    expect(copy).toBeInstanceOf(Reading);
    copy.values.push(3);
    expect(reading.label()).toBe('s1:1,2');
    const m = new Map([['k', { v: 1 }]]);
    const s = new Set([1]);
    const [mc, sc] = copyRecord([m, s] as const);
    mc.get('k')!.v = 2;
    sc.add(2);
    expect(m.get('k')).toEqual({ v: 1 });
    expect([...s]).toEqual([1]);
  });
});
