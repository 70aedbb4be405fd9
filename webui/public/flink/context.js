/**
 * Where this dashboard lives: its YARN application id (from the RM proxy path, or the `<meta>`
 * the JobManager fills in), the RM's application page, and the hub's URL next to the page.
 */

/** @param {string} name */
function meta(name) {
  return document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';
}

const proxied = /^\/proxy\/([^/]+)\//.exec(location.pathname);

/** The YARN application id, '' when unknown. */
export const appId = proxied ? decodeURIComponent(proxied[1] ?? '') : meta('weft-app-id');

/** The RM's page of this application (`/#/apps/<appId>` on the RM origin), or '' when unknown. */
export function yarnAppUrl() {
  if (!appId) return '';
  const rm = proxied ? location.origin : meta('weft-rm-url').replace(/\/+$/, '');
  return rm ? `${rm}/#/apps/${encodeURIComponent(appId)}` : '';
}

/** `ws(s)://…/ws/events` relative to the page, so the RM proxy prefix is kept. */
export function flinkEventsUrl() {
  const url = new URL('ws/events', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  return url.href;
}
