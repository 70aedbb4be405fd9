const RENDER = Symbol('renderedJson');

/**
 * A response body that can render its own JSON text: the HTTP server sends that text as it is,
 * anyone else (an in-process caller, the route's schema) sees the value, built on first use. For
 * large bodies made of parts that rarely change (the application list), so a request joins
 * cached parts instead of building and serialising every object again.
 */
export function renderedJson<T extends object>(value: () => T, text: () => string): T {
  let built: T | undefined;
  const target = (): T => (built ??= value());
  return new Proxy({} as T, {
    get: (_, key) => (key === RENDER ? text : Reflect.get(target(), key)),
    // Symbol checks (is this a Reply?) must not build the value; JSON bodies have no symbol keys.
    has: (_, key) => key === RENDER || (typeof key !== 'symbol' && Reflect.has(target(), key)),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      return d ? { ...d, configurable: true } : undefined;
    },
  });
}

/** The JSON text of a body made by renderedJson, or undefined for any other body. */
export function renderedText(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const render = (body as { [RENDER]?: () => string })[RENDER];
  return typeof render === 'function' ? render() : undefined;
}
