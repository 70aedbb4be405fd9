import { h, mount } from '../dom.js';
import { formatMemory, formatNumber, formatPercent } from '../format.js';
import { errorBanner, facts, panel } from '../components/cards.js';
import { stateBadge } from '../components/state-badge.js';
import { table } from '../components/table.js';
import { pageResources } from './page.js';

/**
 * The scheduler's queues from `/ws/v1/cluster/scheduler`: the CapacityScheduler's tree with
 * configured, used and maximum capacity, applications and the AM limit with what AMs use of it;
 * the FIFO scheduler's single queue.
 * @param {import('./page.js').PageContext} ctx
 * @returns {import('./page.js').Page}
 */
export function queuesPage(ctx) {
  const element = h('div', { class: 'page page-queues' });
  /** @type {any} */
  let info;
  const res = pageResources(render);
  const schedR = res.add(async (signal) => {
    info = await ctx.api.scheduler(signal);
  });

  function render() {
    mount(element, res.error ? errorBanner(res.error) : null, info ? schedulerView(info) : h('p', { class: 'muted' }, 'Loading…'));
  }

  render();
  return {
    title: 'Queues',
    element,
    load: res.reloadAll,
    reloadAll: res.reloadAll,
    onChanges(changes) {
      if (changes.some((c) => c.kind === 'app' || c.kind === 'container' || c.kind === 'node')) void schedR.reload();
    },
    dispose: res.dispose,
  };
}

/** @param {any} info schedulerInfo */
function schedulerView(info) {
  if (info.type === 'capacityScheduler') {
    const rows = flatten(info, 0);
    return panel('Queues', h('span', { class: 'muted' }, 'CapacityScheduler · bars show absolute capacity: fill used, tick guaranteed, track maximum'), queueTable(rows));
  }
  if (info.type === 'fifoScheduler') {
    return panel(
      'Queue',
      h('span', { class: 'muted' }, 'FifoScheduler'),
      facts([
        ['State', stateBadge(String(info.qstate))],
        ['Used capacity', formatPercent(Number(info.usedCapacity) * 100)],
        ['Used memory', `${formatMemory(info.usedNodeCapacity)} of ${formatMemory(info.totalNodeCapacity)}`],
        ['Available memory', formatMemory(info.availNodeCapacity)],
        ['Nodes', formatNumber(info.numNodes)],
        ['Containers', formatNumber(info.numContainers)],
        ['Min / max allocation', `${formatMemory(info.minQueueMemoryCapacity)} / ${formatMemory(info.maxQueueMemoryCapacity)}`],
      ]),
    );
  }
  return panel(
    'Scheduler',
    h('span', { class: 'muted' }, String(info.type)),
    facts(
      Object.entries(info)
        .filter(([, v]) => typeof v !== 'object')
        .map(([k, v]) => [k, String(v)]),
    ),
  );
}

/**
 * @param {any} q
 * @param {number} depth
 * @returns {{ q: any, depth: number }[]}
 */
function flatten(q, depth) {
  const children = q.queues?.queue ?? [];
  return [{ q, depth }, ...children.flatMap((/** @type {any} */ c) => flatten(c, depth + 1))];
}

/** @param {{ q: any, depth: number }[]} rows */
function queueTable(rows) {
  /** @type {import('../components/table.js').Column<{ q: any, depth: number }>[]} */
  const columns = [
    {
      label: 'Queue',
      cell: ({ q, depth }) => h('span', { class: 'queue-name', style: { paddingLeft: `${depth * 1.1}rem` }, title: q.queuePath ?? q.queueName }, depth > 0 ? h('span', { class: 'muted' }, q.queues ? '▾ ' : '· ') : null, q.queueName),
      class: 'nowrap',
    },
    { label: 'State', cell: ({ q }) => (q.state ? stateBadge(q.state) : '') },
    { label: 'Capacity', cell: ({ q }) => h('span', { class: 'num' }, formatPercent(q.capacity)), class: 'right', title: 'Guaranteed share of the parent' },
    { label: 'Used', cell: ({ q }) => h('span', { class: ['num', q.usedCapacity > 100 ? 'tone-text-wait' : null] }, formatPercent(q.usedCapacity)), class: 'right', title: 'Used, as a share of the guarantee (may exceed 100%)' },
    { label: 'Max', cell: ({ q }) => h('span', { class: 'num' }, formatPercent(q.maxCapacity)), class: 'right', title: 'Maximum share of the parent' },
    { label: 'Of cluster', cell: ({ q }) => capacityBar(q), class: 'col-usage' },
    { label: 'Apps', cell: ({ q }) => appsCell(q), class: 'right nowrap' },
    { label: 'Containers', cell: ({ q }) => (q.numContainers !== undefined ? h('span', { class: 'num' }, formatNumber(q.numContainers)) : ''), class: 'right' },
    { label: 'Used resources', cell: ({ q }) => (q.resourcesUsed ? h('span', { title: resourceText(q.resourcesUsed) }, resourceCell(q.resourcesUsed)) : ''), class: 'nowrap' },
    {
      label: 'AM limit',
      cell: ({ q }) => amLimitCell(q),
      class: 'nowrap',
      title: 'Max Application Master Resources (AMResourceLimit): maximum-am-resource-percent of what the queue can use; apps past it stay ACCEPTED',
    },
    { label: 'AM used', cell: ({ q }) => amUsedCell(q), class: 'nowrap', title: 'Used Application Master Resources (usedAMResource)' },
    { label: 'Users', cell: ({ q }) => (q.users?.user ?? []).map((/** @type {any} */ u) => u.username).join(', '), class: 'hide-narrow' },
  ];
  return table(columns, rows, { rowKey: ({ q }) => q.queuePath ?? q.queueName });
}

/** @param {{ memory: number, vCores: number }} r */
function resourceText(r) {
  return `${formatMemory(r.memory)}, ${r.vCores} vcores`;
}

/**
 * Memory over vcores, so three resource columns fit beside the capacity bar.
 * @param {{ memory: number, vCores: number }} r
 * @param {import('../dom.js').Child} [extra]
 */
function resourceCell(r, extra) {
  return [h('span', { class: 'num' }, formatMemory(r.memory)), extra ?? null, h('span', { class: 'muted small block' }, `${r.vCores} vcores`)];
}

/** @param {any} q */
function amLimitCell(q) {
  if (!q.AMResourceLimit) return '';
  const pct = Number(q.configuredMaxAMResourceLimit) * 100;
  const share = Number.isFinite(pct) ? h('span', { class: 'muted small' }, ` (${formatPercent(pct)})`) : null;
  return h('span', { 'data-am': 'limit', title: `${resourceText(q.AMResourceLimit)}; maximum-am-resource-percent ${Number(q.configuredMaxAMResourceLimit)}` }, resourceCell(q.AMResourceLimit, share));
}

/**
 * Tinted while apps wait in ACCEPTED: the AMs already hold what the limit allows.
 * @param {any} q
 */
function amUsedCell(q) {
  if (!q.usedAMResource) return '';
  const blocked = q.numPendingApplications > 0;
  return h(
    'span',
    { 'data-am': 'used', class: blocked ? 'tone-text-wait' : null, title: blocked ? `${q.numPendingApplications} application(s) ACCEPTED, waiting for AM room` : resourceText(q.usedAMResource) },
    resourceCell(q.usedAMResource),
  );
}

/** @param {any} q */
function capacityBar(q) {
  const abs = q.absoluteCapacity ?? q.capacity;
  const used = q.absoluteUsedCapacity ?? q.usedCapacity;
  const max = q.absoluteMaxCapacity ?? q.maxCapacity;
  const clamp = (/** @type {number} */ n) => `${Math.max(0, Math.min(100, Number(n) || 0))}%`;
  return h(
    'span',
    { class: 'usage' },
    h(
      'span',
      { class: 'qbar', title: `used ${formatPercent(used)} · guaranteed ${formatPercent(abs)} · max ${formatPercent(max)} of the cluster` },
      h('span', { class: 'qbar-max', style: { width: clamp(max) } }),
      h('span', { class: ['qbar-used', used > abs ? 'tone-wait' : 'tone-run'], style: { width: clamp(used) } }),
      h('span', { class: 'qbar-guarantee', style: { left: clamp(abs) } }),
    ),
    h('span', { class: 'usage-label num' }, `${formatPercent(used)} / ${formatPercent(abs)}`),
  );
}

/** @param {any} q */
function appsCell(q) {
  if (q.numActiveApplications === undefined) return h('span', { class: 'num' }, formatNumber(q.numApplications ?? 0));
  return h('span', { class: 'num', title: `${q.numActiveApplications} active, ${q.numPendingApplications} pending, max ${q.maxApplications}` }, `${q.numApplications}`, q.numPendingApplications ? h('span', { class: 'tone-text-wait' }, ` (${q.numPendingApplications} pending)`) : null);
}
