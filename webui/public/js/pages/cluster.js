import { h, mount } from '../dom.js';
import { formatMemory, formatNumber } from '../format.js';
import { href } from '../router.js';
import { appTable } from '../components/app-table.js';
import { usageBar } from '../components/bars.js';
import { card, errorBanner, panel } from '../components/cards.js';
import { nodeTable } from '../components/node-table.js';
import { has, pageResources } from './page.js';

/**
 * The cluster overview: totals from `/metrics`, the nodes, and the latest applications.
 * @param {import('./page.js').PageContext} ctx
 * @returns {import('./page.js').Page}
 */
export function clusterPage(ctx) {
  const element = h('div', { class: 'page page-cluster' });
  /** @type {any} */
  let metrics;
  /** @type {any[] | undefined} */
  let nodes;
  /** @type {any[] | undefined} */
  let apps;
  const res = pageResources(render);
  const metricsR = res.add(async (signal) => {
    metrics = await ctx.api.metrics(signal);
  });
  const nodesR = res.add(async (signal) => {
    nodes = await ctx.api.nodes(signal);
  });
  const appsR = res.add(async (signal) => {
    apps = await ctx.api.apps(signal);
  });

  function render() {
    mount(
      element,
      res.error ? errorBanner(res.error) : null,
      metrics ? cards(metrics) : h('div', { class: 'cards skeleton' }),
      panel('Nodes', h('a', { href: href(['nodes']) }, 'All nodes →'), nodes ? nodeTable(nodes) : loading()),
      panel(
        'Applications',
        h('a', { href: href(['apps']) }, 'All applications →'),
        apps ? appTable(apps.slice().sort((a, b) => b.startedTime - a.startedTime).slice(0, 15), { compact: true, empty: 'No applications yet. Submit one with `weft dshell` or the REST API.' }) : loading(),
      ),
    );
  }

  render();
  return {
    title: 'Cluster',
    element,
    load: res.reloadAll,
    reloadAll: res.reloadAll,
    onChanges(changes) {
      void metricsR.reload();
      if (has(changes, 'node') || has(changes, 'container')) void nodesR.reload();
      if (has(changes, 'app') || has(changes, 'attempt')) void appsR.reload();
    },
    dispose: res.dispose,
  };
}

/** @param {any} m clusterMetrics */
function cards(m) {
  const appStates = [
    ['Running', m.appsRunning, 'run'],
    ['Pending', m.appsPending, 'wait'],
    ['Completed', m.appsCompleted, 'ok'],
    ['Failed', m.appsFailed, 'bad'],
    ['Killed', m.appsKilled, 'muted'],
  ];
  const badNodes = [
    m.lostNodes ? `${m.lostNodes} lost` : '',
    m.unhealthyNodes ? `${m.unhealthyNodes} unhealthy` : '',
    m.decommissionedNodes ? `${m.decommissionedNodes} decommissioned` : '',
    m.rebootedNodes ? `${m.rebootedNodes} rebooted` : '',
    m.shutdownNodes ? `${m.shutdownNodes} shut down` : '',
  ].filter(Boolean);
  return h(
    'div',
    { class: 'cards' },
    card({ label: 'Nodes', value: `${formatNumber(m.activeNodes)}`, detail: badNodes.length ? h('span', { class: 'tone-text-bad' }, badNodes.join(' · ')) : `${formatNumber(m.totalNodes)} total, all healthy`, testId: 'card-nodes' }),
    card({
      label: 'Memory',
      value: formatMemory(m.allocatedMB),
      detail: `of ${formatMemory(m.totalMB)} · ${formatMemory(m.availableMB)} free`,
      body: usageBar(m.allocatedMB, m.totalMB, formatMemory),
      testId: 'card-memory',
    }),
    card({
      label: 'VCores',
      value: formatNumber(m.allocatedVirtualCores),
      detail: `of ${formatNumber(m.totalVirtualCores)} · ${formatNumber(m.availableVirtualCores)} free`,
      body: usageBar(m.allocatedVirtualCores, m.totalVirtualCores, formatNumber),
      testId: 'card-vcores',
    }),
    card({ label: 'Containers', value: formatNumber(m.containersAllocated), detail: `${formatNumber(m.containersPending)} pending · ${formatNumber(m.containersReserved)} reserved`, testId: 'card-containers' }),
    card({
      label: 'Applications',
      value: formatNumber(m.appsSubmitted),
      detail: 'submitted',
      body: h(
        'div',
        { class: 'app-states' },
        appStates.map(([label, n, tone]) => h('span', { class: ['chip', `tone-${tone}`, n ? null : 'chip-zero'] }, h('b', { class: 'num' }, formatNumber(Number(n))), ` ${label}`)),
      ),
      testId: 'card-apps',
    }),
  );
}

function loading() {
  return h('p', { class: 'muted loading' }, 'Loading…');
}
