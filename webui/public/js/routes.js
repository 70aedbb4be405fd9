import { appPage } from './pages/app.js';
import { appsPage } from './pages/apps.js';
import { clusterPage } from './pages/cluster.js';
import { logsPage } from './pages/logs.js';
import { nodePage } from './pages/node.js';
import { nodesPage } from './pages/nodes.js';
import { queuesPage } from './pages/queues.js';
import { simulatorPage } from './pages/simulator.js';

/**
 * Route table: the first entry whose `match` accepts the hash path builds the page; `nav` says
 * which navigation item lights up.
 *
 * @typedef {import('./pages/page.js').PageContext} PageContext
 * @typedef {import('./router.js').Route} Route
 * @typedef {{ nav: string, match: (path: string[]) => boolean, create: (ctx: PageContext, route: Route) => import('./pages/page.js').Page }} RouteSpec
 */

/** @type {RouteSpec[]} */
export const routes = [
  { nav: 'cluster', match: (p) => p.length === 0, create: (ctx) => clusterPage(ctx) },
  { nav: 'nodes', match: (p) => p.length === 1 && p[0] === 'nodes', create: (ctx) => nodesPage(ctx) },
  { nav: 'nodes', match: (p) => p.length === 2 && p[0] === 'nodes', create: (ctx, r) => nodePage(ctx, r.path[1] ?? '') },
  { nav: 'apps', match: (p) => p.length === 1 && p[0] === 'apps', create: (ctx, r) => appsPage(ctx, r.query) },
  { nav: 'apps', match: (p) => p.length === 2 && p[0] === 'apps', create: (ctx, r) => appPage(ctx, r.path[1] ?? '') },
  { nav: 'queues', match: (p) => p.length === 1 && p[0] === 'queues', create: (ctx) => queuesPage(ctx) },
  { nav: 'apps', match: (p) => (p.length === 2 || p.length === 3) && p[0] === 'logs', create: (ctx, r) => logsPage(ctx, r.path[1] ?? '', r.path[2] ?? '', r.query) },
  { nav: 'simulator', match: (p) => p.length === 1 && p[0] === 'simulator', create: (ctx) => simulatorPage(ctx) },
];

/** @type {import('./shell.js').NavSection[]} */
export const sections = [
  {
    title: 'Cluster',
    items: [
      { id: 'cluster', label: 'Overview', href: '#/' },
      { id: 'nodes', label: 'Nodes', href: '#/nodes' },
      { id: 'apps', label: 'Applications', href: '#/apps' },
      { id: 'queues', label: 'Queues', href: '#/queues' },
    ],
  },
  {
    title: 'Tools',
    items: [{ id: 'simulator', label: 'Simulator report', href: '#/simulator' }],
  },
];
