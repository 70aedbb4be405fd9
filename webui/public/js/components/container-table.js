import { h } from '../dom.js';
import { exitStatusName, formatMemory, formatTime } from '../format.js';
import { shortContainerId } from '../ids.js';
import { logLinks, nodeLink } from './links.js';
import { elapsed } from './live-time.js';
import { containerTone } from './state-badge.js';
import { table } from './table.js';

/**
 * One attempt's containers as `/appattempts/{id}/containers` lists them.
 * @param {any[]} containers
 */
export function containerTable(containers) {
  const rows = [...containers].sort((a, b) => String(a.containerId).localeCompare(String(b.containerId)));
  /** @type {import('./table.js').Column<any>[]} */
  const columns = [
    { label: 'Container', cell: (c) => h('span', { class: 'mono', title: c.containerId, 'data-container-id': c.containerId }, shortContainerId(c.containerId)), class: 'nowrap' },
    { label: 'Node', cell: (c) => nodeLink(c.nodeId || c.assignedNodeId), class: 'nowrap' },
    { label: 'Memory', cell: (c) => h('span', { class: 'num' }, formatMemory(c.allocatedMB)), class: 'right' },
    { label: 'VCores', cell: (c) => h('span', { class: 'num' }, String(c.allocatedVCores)), class: 'right' },
    { label: 'State', cell: (c) => containerBadge(c) },
    { label: 'Exit status', cell: (c) => exitCell(c), class: 'nowrap' },
    { label: 'Started', cell: (c) => h('span', { class: 'num' }, formatTime(c.startedTime)), class: 'nowrap hide-narrow' },
    { label: 'Elapsed', cell: (c) => elapsed(c.startedTime, c.finishedTime), class: 'nowrap' },
    { label: 'Logs', cell: (c) => logLinks(c.nodeHttpAddress, c.containerId), class: 'nowrap' },
    { label: 'Diagnostics', cell: (c) => (c.diagnosticsInfo ? h('span', { class: 'diag', title: c.diagnosticsInfo }, c.diagnosticsInfo) : ''), class: 'wide diag-col' },
  ];
  return table(columns, rows, { empty: 'No containers allocated to this attempt.', rowKey: (c) => c.containerId });
}

/** @param {any} c */
function containerBadge(c) {
  return h('span', { class: ['badge', `tone-${containerTone(c)}`], 'data-state': c.containerState }, c.containerState);
}

/** @param {any} c */
function exitCell(c) {
  if (c.containerState !== 'COMPLETE') return h('span', { class: 'muted' }, '–');
  return h('span', { class: `tone-text-${containerTone(c)}`, title: exitStatusName(c.containerExitStatus) }, h('b', { class: 'num' }, String(c.containerExitStatus)), exitStatusName(c.containerExitStatus) ? h('span', { class: 'small' }, ` ${exitStatusName(c.containerExitStatus)}`) : null);
}

/**
 * Timeline rows for containers.
 * @param {any[]} containers
 * @returns {import('./timeline.js').TimelineRow[]}
 */
export function containerTimelineRows(containers) {
  return [...containers]
    .sort((a, b) => String(a.containerId).localeCompare(String(b.containerId)))
    .map((c) => ({
      id: c.containerId,
      label: shortContainerId(c.containerId),
      sublabel: c.nodeId,
      start: c.startedTime,
      end: c.containerState === 'COMPLETE' ? c.finishedTime || c.startedTime : 0,
      tone: containerTone(c),
      title: `${c.containerId} on ${c.nodeId}\n${c.containerState}${c.containerState === 'COMPLETE' ? `, exit ${c.containerExitStatus} ${exitStatusName(c.containerExitStatus)}` : ''}\n${formatMemory(c.allocatedMB)}, ${c.allocatedVCores} vcores\nstarted ${formatTime(c.startedTime)}${c.finishedTime ? `, ended ${formatTime(c.finishedTime)}` : ''}${c.diagnosticsInfo ? `\n${c.diagnosticsInfo}` : ''}`,
    }));
}
