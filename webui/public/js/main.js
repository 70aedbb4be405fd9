import { api } from './api.js';
import { runApp } from './app-runner.js';
import { formatTime } from './format.js';
import { eventsUrl } from './live.js';
import { routes, sections } from './routes.js';
import { Shell } from './shell.js';

/** Boots the cluster UI on the shared shell, reading the RM's REST API and its live events. */
const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app');
const shell = new Shell(root, { product: 'weft', sections });

async function identity() {
  try {
    const info = await api.clusterInfo();
    shell.setIdentity(`cluster ${info.id}`, `RM ${info.resourceManagerVersion} · ${info.haState?.toLowerCase?.() ?? ''} · up since ${formatTime(info.startedOn)}`);
  } catch {
    shell.setIdentity('cluster', 'ResourceManager unreachable');
  }
}

/** @type {import('./pages/page.js').PageContext} */
const ctx = { api };
runApp({ shell, ctx, routes, notFound: { href: '#/', label: 'Back to the cluster overview' }, identity, eventsUrl: eventsUrl() });
