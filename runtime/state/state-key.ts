/**
 * The form in which keyed state stores a key: equal keys by value AND type map to one JS Map key.
 * Numbers, booleans, bigints, undefined and strings are kept as they are (a Map already tells the
 * number 1 from the string '1'); composite keys (arrays, which are a TypeScript user's tuples, and
 * objects, Flink's POJO keys) become a canonical text behind a NUL tag that no plain string key
 * keeps: a string that itself starts with NUL is tagged too. So `['a']` and `'["a"]'` are two keys,
 * and `{a: 1, b: 2}` equals `{b: 2, a: 1}` as POJOs with equal fields are equal in Flink.
 */
export type StateKey = string | number | boolean | bigint | undefined | null;

const TAG = '\u0000';

export function stateKeyOf(key: unknown): StateKey {
  switch (typeof key) {
    case 'string':
      return key.length > 0 && key.charCodeAt(0) === 0 ? `${TAG}s${key}` : key;
    case 'object':
      return key === null ? null : `${TAG}o${canonical(key)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return key;
    default:
      throw new TypeError(`a ${typeof key} cannot be a key: key selectors must return values (strings, numbers, arrays, plain objects)`);
  }
}

/** Type-tagged text: strings quoted, numbers bare, bigints with `n`, object fields sorted. */
function canonical(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
      if (value instanceof Date) return `Date(${value.getTime()})`;
      const fields = Object.keys(value).sort();
      return `{${fields.map((f) => `${JSON.stringify(f)}:${canonical((value as Record<string, unknown>)[f])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`a ${typeof value} cannot be part of a key`);
  }
}

/**
 * The key of a state or timer namespace. A window gives its own (Window#namespaceKey, made once
 * per window), so that registering a timer per record does not build a canonical text of the
 * window object each time; anything else is keyed by value as stateKeyOf does.
 */
export function namespaceKeyOf(namespace: unknown): StateKey {
  if (typeof namespace === 'object' && namespace !== null) {
    const own = (namespace as { readonly namespaceKey?: unknown }).namespaceKey;
    if (own !== undefined) return stateKeyOf(own);
  }
  return stateKeyOf(namespace);
}
