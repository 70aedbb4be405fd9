import { runApp } from '../js/app-runner.js';
import { Shell } from '../js/shell.js';
import { flinkApi } from './api.js';
import { appId, flinkEventsUrl, yarnAppUrl } from './context.js';
import { jobManagerPage } from './pages/jobmanager.js';
import { jobPage } from './pages/job.js';
import { jobsPage } from './pages/jobs.js';
import { overviewPage } from './pages/overview.js';
import { taskManagerPage } from './pages/taskmanager.js';
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
      { id: 'jobmanager', label: 'Job Manager', href: '#/jobmanager' },
    ],
  },
  ...(yarn ? [{ title: 'YARN', items: [{ id: 'yarn', label: 'Application ↗', href: yarn }] }] : []),
];

const routes = [
  { nav: 'overview', match: (/** @type {string[]} */ p) => p.length === 0, create: (/** @type {any} */ c) => overviewPage(c) },
  { nav: 'jobs', match: (/** @type {string[]} */ p) => p.length === 1 && p[0] === 'jobs', create: (/** @type {any} */ c) => jobsPage(c) },
  { nav: 'jobs', match: (/** @type {string[]} */ p) => p.length === 2 && p[0] === 'jobs', create: (/** @type {any} */ c, /** @type {any} */ r) => jobPage(c, r.path[1] ?? '', r.query) },
  { nav: 'taskmanagers', match: (/** @type {string[]} */ p) => p.length === 1 && p[0] === 'taskmanagers', create: (/** @type {any} */ c) => taskManagersPage(c) },
  { nav: 'taskmanagers', match: (/** @type {string[]} */ p) => p.length === 2 && p[0] === 'taskmanagers', create: (/** @type {any} */ c, /** @type {any} */ r) => taskManagerPage(c, r.path[1] ?? '', r.query) },
  { nav: 'jobmanager', match: (/** @type {string[]} */ p) => p.length === 1 && p[0] === 'jobmanager', create: (/** @type {any} */ c, /** @type {any} */ r) => jobManagerPage(c, r.query) },
];

const shell = new Shell(root, { product: 'weft · Flink', sections });
const ctx = { api: flinkApi };

async function identity() {
  try {
    const config = await flinkApi.config();
    shell.setIdentity(appId || 'JobManager', `Flink ${config['flink-version']} · JobManager`);
  } catch {
    shell.setIdentity(appId || 'JobManager', 'JobManager unreachable');
  }
}

runApp({ shell, ctx, routes, notFound: { href: '#/', label: 'Back to the Flink overview' }, identity, eventsUrl: flinkEventsUrl() });
