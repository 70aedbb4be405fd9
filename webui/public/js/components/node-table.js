import { h } from '../dom.js';
import { formatMemory, formatNumber } from '../format.js';
import { usageBar } from './bars.js';
import { nmBase, nodeLink } from './links.js';
import { ago } from './live-time.js';
import { stateBadge } from './state-badge.js';
import { table } from './table.js';

/**
 * The nodes table (id, state, health, containers, memory and vcores used/available, last heartbeat).
 * @param {any[]} nodes as `/ws/v1/cluster/nodes` lists them
 */
export function nodeTable(nodes) {
  const rows = [...nodes].sort((a, b) => String(a.id).localeCompare(String(b.id)));
  /** @type {import('./table.js').Column<any>[]} */
  const columns = [
    { label: 'Node', cell: (n) => nodeLink(n.id), class: 'nowrap' },
    { label: 'Rack', cell: (n) => n.rack, class: 'hide-narrow' },
    { label: 'State', cell: (n) => stateBadge(n.state) },
    { label: 'Health', cell: (n) => health(n), class: 'wide' },
    { label: 'Containers', cell: (n) => h('span', { class: 'num' }, formatNumber(n.numContainers)), class: 'right' },
    { label: 'Memory used / total', cell: (n) => usageBar(n.usedMemoryMB, n.usedMemoryMB + n.availMemoryMB, formatMemory), class: 'col-usage' },
    { label: 'VCores used / total', cell: (n) => usageBar(n.usedVirtualCores, n.usedVirtualCores + n.availableVirtualCores, formatNumber), class: 'col-usage' },
    { label: 'Last heartbeat', cell: (n) => ago(n.lastHealthUpdate), class: 'nowrap' },
    { label: 'Web', cell: (n) => (n.nodeHTTPAddress ? h('a', { href: nmBase(n.nodeHTTPAddress), target: '_blank', rel: 'noopener', class: 'mono' }, n.nodeHTTPAddress) : '–'), class: 'hide-narrow' },
  ];
  return table(columns, rows, { empty: 'No NodeManager has registered yet. Start one with `weft nm start`.', rowKey: (n) => n.id });
}

/** @param {any} n */
function health(n) {
  const unhealthy = n.state === 'UNHEALTHY';
  return h('span', { class: unhealthy ? 'tone-text-bad' : 'muted', title: n.healthReport }, n.healthReport || (unhealthy ? 'unhealthy' : 'healthy'));
}
