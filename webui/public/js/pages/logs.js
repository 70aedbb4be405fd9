import { h, mount } from '../dom.js';
import { href } from '../router.js';
import { containerLogSource } from '../components/log-source.js';
import { followedLogText } from '../components/log-text.js';

const POLL_MS = 2000;

/** The file opened when the link names none: the process's own log first, then its stdout. */
const PREFERRED = ['taskmanager.log', 'jobmanager.log', 'AppMaster.stderr', 'stdout'];

/**
 * A container's log files: every file it has, as chips, and one of them followed, re-read every
 * two seconds with what grew appended. While the container's NodeManager keeps the files they
 * come from it (`/ws/v1/node/containers/<cid>/logs`, a cross-origin read the NM allows for the
 * RM's UI); once the NodeManager no longer has them, from the aggregated copy on the RM's own log
 * server (`/ws/v1/applicationhistory/...`), so a finished application's logs stay readable.
 * @param {import('./page.js').PageContext} _ctx
 * @param {string} containerId
 * @param {string} requested the file, '' for the default one
 * @param {URLSearchParams} query `nm` = the NM's base URL
 * @returns {import('./page.js').Page}
 */
export function logsPage(_ctx, containerId, requested, query) {
  const nm = query.get('nm') ?? '';
  const element = h('div', { class: 'page page-logs' });
  const log = followedLogText({ onFollow: () => void poll() });
  const status = h('span', { class: 'muted small' });
  const bannerSlot = h('div');
  const chipsSlot = h('nav', { class: 'chips', 'data-testid': 'log-files' });
  const titleSlot = h('h1', null, requested || 'Logs');
  const rawSlot = h('span');
  let file = requested;
  let stopped = false;
  /** @type {import('../components/log-source.js').LogSource | undefined} */
  let source;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const controller = new AbortController();

  mount(
    element,
    h(
      'header',
      { class: 'page-head' },
      h('div', { class: 'crumbs' }, 'Logs / ', h('span', { class: 'mono' }, containerId)),
      h('div', { class: 'title-row' }, titleSlot, log.followControl, rawSlot, status),
      chipsSlot,
    ),
    bannerSlot,
    log.pre,
  );

  function renderHead() {
    titleSlot.textContent = file || 'Logs';
    const files = source?.files ?? [];
    mount(
      chipsSlot,
      files.map((f) =>
        h('a', { class: ['chip', 'filter', f.fileName === file ? 'active' : null], href: href(['logs', containerId, f.fileName], { nm }), title: `${f.fileSize} bytes` }, f.fileName),
      ),
      source ? h('span', { class: 'muted small', 'data-testid': 'log-source' }, source.type === 'AGGREGATED' ? 'aggregated copy' : `on ${source.nodeId}`) : null,
    );
    mount(rawSlot, source && file ? h('a', { class: 'button', href: source.url(file), target: '_blank', rel: 'noopener' }, source.type === 'AGGREGATED' ? 'Raw ↗' : 'Raw from NodeManager ↗') : null);
  }

  /** @param {string} message @param {string} [link] */
  function banner(message, link) {
    mount(bannerSlot, h('div', { class: 'banner tone-wait', role: 'alert' }, message, link ? h('a', { href: link, target: '_blank', rel: 'noopener' }, link) : null));
  }

  async function load() {
    try {
      source = await containerLogSource(nm, containerId, controller.signal);
    } catch (err) {
      if (controller.signal.aborted) return;
      banner(err instanceof Error ? err.message : String(err));
      return;
    }
    if (!file) file = PREFERRED.find((p) => source?.files.some((f) => f.fileName === p)) ?? source.files[0]?.fileName ?? '';
    renderHead();
    if (!file) {
      banner('This container has written no log files.');
      return;
    }
    await poll();
  }

  async function poll() {
    clearTimeout(timer);
    if (stopped || !source || !file) return;
    const url = source.url(file);
    try {
      const res = await fetch(url, { signal: controller.signal, cache: 'no-store' });
      if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
      log.show(await res.text());
      mount(bannerSlot);
      status.textContent = `updated ${new Date().toLocaleTimeString('en-GB', { hour12: false })}`;
    } catch (err) {
      if (controller.signal.aborted) return;
      banner(
        err instanceof TypeError
          ? `The browser could not read ${file}: the NodeManager is another origin and did not allow the read (CORS), or it is down. Open the file directly: `
          : `Reading ${file} answered ${err instanceof Error ? err.message : String(err)}. `,
        url,
      );
    }
    // An aggregated copy no longer changes.
    if (log.following && !stopped && source.type === 'LOCAL') timer = setTimeout(() => void poll(), POLL_MS);
  }

  return {
    title: `${requested || 'logs'} · ${containerId}`,
    element,
    load,
    reloadAll: async () => {},
    onChanges() {},
    dispose() {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
    },
  };
}
