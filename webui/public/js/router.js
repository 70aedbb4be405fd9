/**
 * Hash routing: `#/apps/<id>?tab=x` → `{ path: ['apps', '<id>'], query }`. Path segments are
 * URI-decoded; pages build links with {@link href}.
 *
 * @typedef {{ path: string[], query: URLSearchParams }} Route
 */

/** @returns {Route} */
export function currentRoute() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const path = pathPart
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { path, query: new URLSearchParams(queryPart) };
}

/**
 * @param {string[]} segments
 * @param {Record<string, string | undefined>} [query]
 */
export function href(segments, query = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v);
  const qs = q.toString();
  return `#/${segments.map(encodeURIComponent).join('/')}${qs ? `?${qs}` : ''}`;
}
