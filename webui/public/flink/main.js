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
 * Served by the history server (`/config` says `features.web-history`, as Flink's dashboard reads
 * it) it shows only the archived, completed jobs, re-read every `refresh-interval`.
 */

// Relative URLs need the trailing slash: `/proxy/<appId>` → `/proxy/<appId>/`.
if (!location.pathname.endsWith('/') && !location.pathname.endsWith('.html')) location.replace(`${location.pathname}/${location.search}${location.hash}`);

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app');
const yarn = yarnAppUrl();
/** @type {any} */
const config = await flinkApi.config().catch(() => undefined);
const history = config?.features?.['web-history'] === true;

/** @type {import('../js/shell.js').NavSection[]} */
const sections = history
  ? [{ title: 'Flink History', items: [{ id: 'jobs', label: 'Completed Jobs', href: '#/jobs' }] }]
  : [
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

/** The history server has jobs only: its start page is the completed jobs. */
const historyRoutes = [
  { nav: 'jobs', match: (/** @type {string[]} */ p) => p.length === 0 || (p.length === 1 && p[0] === 'jobs'), create: (/** @type {any} */ c) => jobsPage(c) },
  { nav: 'jobs', match: (/** @type {string[]} */ p) => p.length === 2 && p[0] === 'jobs', create: (/** @type {any} */ c, /** @type {any} */ r) => jobPage(c, r.path[1] ?? '', r.query) },
];

const jobManagerRoutes = [
  { nav: 'overview', match: (/** @type {string[]} */ p) => p.length === 0, create: (/** @type {any} */ c) => overviewPage(c) },
  { nav: 'jobs', match: (/** @type {string[]} */ p) => p.length === 1 && p[0] === 'jobs', create: (/** @type {any} */ c) => jobsPage(c) },
  { nav: 'jobs', match: (/** @type {string[]} */ p) => p.length === 2 && p[0] === 'jobs', create: (/** @type {any} */ c, /** @type {any} */ r) => jobPage(c, r.path[1] ?? '', r.query) },
  { nav: 'taskmanagers', match: (/** @type {string[]} */ p) => p.length === 1 && p[0] === 'taskmanagers', create: (/** @type {any} */ c) => taskManagersPage(c) },
  { nav: 'taskmanagers', match: (/** @type {string[]} */ p) => p.length === 2 && p[0] === 'taskmanagers', create: (/** @type {any} */ c, /** @type {any} */ r) => taskManagerPage(c, r.path[1] ?? '', r.query) },
  { nav: 'jobmanager', match: (/** @type {string[]} */ p) => p.length === 1 && p[0] === 'jobmanager', create: (/** @type {any} */ c, /** @type {any} */ r) => jobManagerPage(c, r.query) },
];

const shell = new Shell(root, { product: history ? 'weft · Flink History' : 'weft · Flink', sections });
const ctx = { api: flinkApi, history };

async function identity() {
  try {
    const current = await flinkApi.config();
    if (history) shell.setIdentity('History Server', `Flink ${current['flink-version']} · completed jobs`);
    else shell.setIdentity(appId || 'JobManager', `Flink ${current['flink-version']} · JobManager`);
  } catch {
    shell.setIdentity(history ? 'History Server' : appId || 'JobManager', history ? 'unreachable' : 'JobManager unreachable');
  }
}

runApp({
  shell,
  ctx,
  routes: history ? historyRoutes : jobManagerRoutes,
  notFound: { href: '#/', label: history ? 'Back to the completed jobs' : 'Back to the Flink overview' },
  identity,
  eventsUrl: history ? '' : flinkEventsUrl(),
  refreshMs: Number(config?.['refresh-interval']) || undefined,
});
