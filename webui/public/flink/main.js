import { h } from '../js/dom.js';
import { LiveConnection } from '../js/live.js';
import { currentRoute } from '../js/router.js';
import { Shell } from '../js/shell.js';
import { tickTimes } from '../js/components/live-time.js';
import { flinkApi } from './api.js';
import { appId, flinkEventsUrl, yarnAppUrl } from './context.js';
import { jobPage } from './pages/job.js';
import { jobsPage } from './pages/jobs.js';
import { overviewPage } from './pages/overview.js';
import { taskManagersPage } from './pages/taskmanagers.js';

/**
 * Boots the Flink dashboard (served by the JobManager at `/`, reached through the RM's
 * `/proxy/<appId>/`): the shared shell with a Flink section and a link back to the YARN
 * application, hash routes, and the live connection to the JobManager's hub (`ws/events`).
 */

// Relative URLs need the trailing slash: `/proxy/<appId>` → `/proxy/<appId>/`.
if (!location.pathname.endsWith('/') && !location.pathname.endsWith('.html')) location.replace(`${location.pathname}/${location.search}${location.hash}`);

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app');
const yarn = yarnAppUrl();

/** @type {import('../js/shell.js').NavSection[]} */
const sections = [
  {
    title: 'Flink',
    items: [
      { id: 'overview', label: 'Overview', href: '#/' },
      { id: 'jobs', label: 'Jobs', href: '#/jobs' },
      { id: 'taskmanagers', label: 'TaskManagers', href: '#/taskmanagers' },
    ],
  },
  ...(yarn ? [{ title: 'YARN', items: [{ id: 'yarn', label: 'Application ↗', href: yarn }] }] : []),
];

const routes = [
  { nav: 'overview', match: (/** @type {string[]} */ p) => p.length === 0, create: () => overviewPage(ctx) },
  { nav: 'jobs', match: (/** @type {string[]} */ p) => p.length === 1 && p[0] === 'jobs', create: () => jobsPage(ctx) },
  { nav: 'jobs', match: (/** @type {string[]} */ p) => p.length === 2 && p[0] === 'jobs', create: (/** @type {any} */ r) => jobPage(ctx, r.path[1] ?? '', r.query) },
  { nav: 'taskmanagers', match: (/** @type {string[]} */ p) => p.length === 1 && p[0] === 'taskmanagers', create: () => taskManagersPage(ctx) },
];

const shell = new Shell(root, { product: 'weft · Flink', sections });
const ctx = { api: flinkApi };
/** @type {any} */
let page;

function route() {
  page?.dispose();
  const r = currentRoute();
  const spec = routes.find((s) => s.match(r.path));
  if (!spec) {
    page = undefined;
    shell.renderNav('');
    shell.show(h('div', { class: 'page' }, h('h1', null, 'Not found'), h('p', null, h('a', { href: '#/' }, 'Back to the Flink overview'))), 'Not found');
    return;
  }
  page = spec.create(r);
  shell.renderNav(spec.nav);
  shell.show(page.element, page.title);
  void page.load();
}

async function identity() {
  try {
    const config = await flinkApi.config();
    shell.setIdentity(appId || 'JobManager', `Flink ${config['flink-version']} · JobManager`);
  } catch {
    shell.setIdentity(appId || 'JobManager', 'JobManager unreachable');
  }
}

const live = new LiveConnection(flinkEventsUrl(), {
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
