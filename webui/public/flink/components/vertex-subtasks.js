import { h } from '../../js/dom.js';
import { formatDuration, formatNumber, formatPercent } from '../../js/format.js';
import { href } from '../../js/router.js';
import { panel } from '../../js/components/cards.js';
import { table } from '../../js/components/table.js';
import { backpressureBadge, flinkBadge } from './flink-state.js';

/**
 * One vertex of the job graph, as Flink's vertex drawer shows it (SubTasks and BackPressure
 * tabs in one table): each subtask's state, attempt, TaskManager and host, records and bytes
 * in and out, back-pressured / busy share of the time, and how long it runs. Reads
 * `/jobs/:id/vertices/:vid` and `…/backpressure`.
 * @param {string} jobId
 * @param {any} vertex JobVertexDetailsInfo, or undefined while loading
 * @param {any} backpressure JobVertexBackPressureInfo, or undefined
 */
export function vertexSubtasks(jobId, vertex, backpressure) {
  const close = h('a', { href: href(['jobs', jobId]), 'data-testid': 'vertex-close' }, 'Close ×');
  if (!vertex) return panel('Vertex', close, h('p', { class: 'muted loading pad' }, 'Loading…'));
  /** @type {Map<number, any>} */
  const bp = new Map((backpressure?.subtasks ?? []).map((/** @type {any} */ s) => [s.subtask, s]));
  const agg = vertex.aggregated?.metrics ?? {};
  const columns = [
    { label: '#', cell: (/** @type {any} */ s) => String(s.subtask), class: 'num' },
    { label: 'State', cell: (/** @type {any} */ s) => flinkBadge(s.status) },
    { label: 'Attempt', cell: (/** @type {any} */ s) => String(s.attempt), class: 'num hide-narrow' },
    {
      label: 'TaskManager',
      cell: (/** @type {any} */ s) =>
        s['taskmanager-id'] && s['taskmanager-id'] !== '(unassigned)'
          ? h('span', { 'data-tm': s['taskmanager-id'] }, h('span', { class: 'mono small tm-ref' }, s['taskmanager-id']), h('span', { class: 'muted small block' }, s.host))
          : h('span', { class: 'muted' }, 'not deployed'),
    },
    { label: 'Records in', cell: (/** @type {any} */ s) => formatNumber(s.metrics?.['read-records']), class: 'num' },
    { label: 'Records out', cell: (/** @type {any} */ s) => formatNumber(s.metrics?.['write-records']), class: 'num' },
    { label: 'Bytes in / out', cell: (/** @type {any} */ s) => `${formatNumber(s.metrics?.['read-bytes'])} / ${formatNumber(s.metrics?.['write-bytes'])}`, class: 'num hide-narrow' },
    {
      label: 'Backpressure',
      cell: (/** @type {any} */ s) => {
        const b = bp.get(s.subtask);
        return b ? h('span', { class: 'nowrap' }, backpressureBadge(b['backpressure-level']), ' ', h('span', { class: 'muted small' }, formatPercent(b.ratio * 100))) : backpressureBadge(undefined);
      },
    },
    { label: 'Busy', cell: (/** @type {any} */ s) => (bp.has(s.subtask) ? formatPercent(bp.get(s.subtask).busyRatio * 100) : '–'), class: 'num hide-narrow' },
    { label: 'Duration', cell: (/** @type {any} */ s) => formatDuration(s.duration), class: 'num' },
  ];
  return h(
    'div',
    { 'data-testid': 'vertex-panel', 'data-vertex': vertex.id },
    panel(
      vertex.name,
      h('span', { class: 'vertex-aside' }, h('span', { class: 'muted small' }, `parallelism ${vertex.parallelism} · in ${formatNumber(agg['read-records']?.sum)} · out ${formatNumber(agg['write-records']?.sum)} records `), close),
      table(columns, vertex.subtasks ?? [], { rowKey: (/** @type {any} */ s) => String(s.subtask), empty: 'No subtasks.' }),
    ),
  );
}
