import { api } from './api.js';
import { h } from './dom.js';
import { formatTime } from './format.js';
import { eventsUrl, LiveConnection } from './live.js';
import { currentRoute } from './router.js';
import { routes, sections } from './routes.js';
import { Shell } from './shell.js';
import { tickTimes } from './components/live-time.js';

/**
 * Boots the cluster UI: the shell, the route → page switch, the live connection that forwards
 * pushed changes to the open page, and the one-second ticker for moving times.
 */
const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app');
const shell = new Shell(root, { product: 'weft', sections });
/** @type {import('./pages/page.js').PageContext} */
const ctx = { api };
/** @type {import('./pages/page.js').Page | undefined} */
let page;

function route() {
  page?.dispose();
  const r = currentRoute();
  const spec = routes.find((s) => s.match(r.path));
  if (!spec) {
    page = undefined;
    shell.renderNav('');
    shell.show(h('div', { class: 'page' }, h('h1', null, 'Not found'), h('p', null, h('a', { href: '#/' }, 'Back to the cluster overview'))), 'Not found');
    return;
  }
  page = spec.create(ctx, r);
  shell.renderNav(spec.nav);
  shell.show(page.element, page.title);
  void page.load();
}

async function identity() {
  try {
    const info = await api.clusterInfo();
    shell.setIdentity(`cluster ${info.id}`, `RM ${info.resourceManagerVersion} · ${info.haState?.toLowerCase?.() ?? ''} · up since ${formatTime(info.startedOn)}`);
  } catch {
    shell.setIdentity('cluster', 'ResourceManager unreachable');
  }
}

const live = new LiveConnection(eventsUrl(), {
  onChanges: (changes) => page?.onChanges(changes),
  onResync: () => {
    void identity();
    void page?.reloadAll();
  },
  onStatus: (status, detail) => shell.setLive(status, detail),
});

window.addEventListener('hashchange', route);
setInterval(() => {
  tickTimes(document);
  page?.tick?.();
}, 1000);
void identity();
route();
live.start();
