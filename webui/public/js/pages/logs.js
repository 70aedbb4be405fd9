import { h, mount } from '../dom.js';
import { href } from '../router.js';
import { nmLogUrl } from '../components/links.js';

const POLL_MS = 2000;

/**
 * Follows a container's log file as the NodeManager serves it
 * (`/ws/v1/node/containerlogs/<cid>/<file>`), re-reading it every two seconds and appending
 * what grew. The NM is another origin: without CORS headers from it the browser refuses the
 * read, and the page says so and links to the file instead.
 * @param {import('./page.js').PageContext} _ctx
 * @param {string} containerId
 * @param {string} file
 * @param {URLSearchParams} query `nm` = the NM's base URL
 * @returns {import('./page.js').Page}
 */
export function logsPage(_ctx, containerId, file, query) {
  const nm = query.get('nm') ?? '';
  const url = nm ? nmLogUrl(nm, containerId, file) : '';
  const element = h('div', { class: 'page page-logs' });
  const pre = h('pre', { class: 'log', 'data-testid': 'log-text', tabindex: '0' });
  const status = h('span', { class: 'muted small' });
  const bannerSlot = h('div');
  let text = '';
  let follow = true;
  let stopped = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const controller = new AbortController();

  const followBox = h('input', {
    type: 'checkbox',
    checked: true,
    on: {
      change: (/** @type {Event} */ ev) => {
        follow = /** @type {HTMLInputElement} */ (ev.target).checked;
        if (follow) void poll();
      },
    },
  });

  mount(
    element,
    h(
      'header',
      { class: 'page-head' },
      h('div', { class: 'crumbs' }, 'Logs / ', h('span', { class: 'mono' }, containerId)),
      h(
        'div',
        { class: 'title-row' },
        h('h1', null, file),
        h(
          'nav',
          { class: 'chips' },
          ['stdout', 'stderr'].map((f) => h('a', { class: ['chip', 'filter', f === file ? 'active' : null], href: href(['logs', containerId, f], { nm }) }, f)),
        ),
        h('label', { class: 'follow' }, followBox, ' follow'),
        url ? h('a', { class: 'button', href: url, target: '_blank', rel: 'noopener' }, 'Raw from NodeManager ↗') : null,
        status,
      ),
    ),
    bannerSlot,
    pre,
  );

  async function poll() {
    clearTimeout(timer);
    if (stopped || !url) return;
    try {
      const res = await fetch(url, { signal: controller.signal, cache: 'no-store' });
      if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
      show(await res.text());
      mount(bannerSlot);
      status.textContent = `updated ${new Date().toLocaleTimeString('en-GB', { hour12: false })}`;
    } catch (err) {
      if (controller.signal.aborted) return;
      const cors = err instanceof TypeError;
      mount(
        bannerSlot,
        h(
          'div',
          { class: 'banner tone-wait', role: 'alert' },
          cors
            ? `The browser could not read this log from the NodeManager at ${nm}: it is another origin and did not allow a cross-origin read (CORS), or it is down. Open the file directly: `
            : `The NodeManager answered ${err instanceof Error ? err.message : String(err)}. `,
          h('a', { href: url, target: '_blank', rel: 'noopener' }, url),
        ),
      );
    }
    if (follow && !stopped) timer = setTimeout(() => void poll(), POLL_MS);
  }

  /** @param {string} next */
  function show(next) {
    const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 40;
    if (next.startsWith(text)) {
      if (next.length > text.length) pre.appendChild(document.createTextNode(next.slice(text.length)));
    } else {
      pre.textContent = next;
    }
    text = next;
    if (atBottom && follow) pre.scrollTop = pre.scrollHeight;
  }

  if (!url) mount(bannerSlot, h('div', { class: 'banner tone-bad' }, 'No NodeManager address in the link.'));
  return {
    title: `${file} · ${containerId}`,
    element,
    load: poll,
    reloadAll: async () => {},
    onChanges() {},
    dispose() {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
    },
  };
}
