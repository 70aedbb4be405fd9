import { describe, expect, it } from 'vitest';
import { stateKeyOf } from '../../../../runtime/state/state-key.ts';

describe('stateKeyOf', () => {
  it('tells keys apart by type as well as value', () => {
    const keys = [['a'], '["a"]', 1, '1', [1], ['1'], true, 'true', 1n, '\u0000o["a"]', { a: 1 }, '{"a":1}'];
    expect(new Set(keys.map(stateKeyOf)).size).toBe(keys.length);
  });

  it('maps equal composite keys to one state key; object field order does not matter', () => {
    expect(stateKeyOf(['a', 1, [2, { x: null }]])).toBe(stateKeyOf(['a', 1, [2, { x: null }]]));
    expect(stateKeyOf({ a: 1, b: 'x' })).toBe(stateKeyOf({ b: 'x', a: 1 }));
    expect(stateKeyOf('plain')).toBe('plain');
  });

  it('refuses a function as a key with a message that says what keys may be', () => {
    expect(() => stateKeyOf(() => 1)).toThrow(/function cannot be a key.*strings, numbers, arrays/);
  });
});
