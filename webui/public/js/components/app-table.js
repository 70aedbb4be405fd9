import { h } from '../dom.js';
import { formatTime } from '../format.js';
import { progressBar } from './bars.js';
import { appLink } from './links.js';
import { elapsed } from './live-time.js';
import { stateBadge, toneOf } from './state-badge.js';
import { table } from './table.js';

/**
 * The applications table (id, user, name, type, queue, state, final status, progress, started,
 * elapsed, tracking link), newest first.
 * @param {any[]} apps as `/ws/v1/cluster/apps` lists them
 * @param {{ empty?: string, compact?: boolean }} [options]
 */
export function appTable(apps, options = {}) {
  const rows = [...apps].sort((a, b) => (b.startedTime ?? 0) - (a.startedTime ?? 0) || String(b.id).localeCompare(String(a.id)));
  /** @type {import('./table.js').Column<any>[]} */
  const all = [
    { label: 'ID', cell: (a) => appLink(a.id), class: 'nowrap' },
    { label: 'User', cell: (a) => a.user },
    { label: 'Name', cell: (a) => h('span', { class: 'app-name', title: a.name }, a.name), class: 'wide' },
    { label: 'Type', cell: (a) => a.applicationType },
    { label: 'Queue', cell: (a) => a.queue, class: 'hide-narrow' },
    { label: 'State', cell: (a) => stateBadge(a.state) },
    { label: 'Final status', cell: (a) => (a.finalStatus === 'UNDEFINED' ? h('span', { class: 'muted' }, '–') : stateBadge(a.finalStatus)), class: 'hide-narrow' },
    { label: 'Progress', cell: (a) => progressBar(a.progress ?? 0, toneOf(a.state)), class: 'col-progress' },
    { label: 'Started', cell: (a) => h('span', { class: 'num' }, formatTime(a.startedTime)), class: 'nowrap hide-narrow' },
    { label: 'Elapsed', cell: (a) => elapsed(a.startedTime, a.finishedTime), class: 'nowrap' },
    { label: 'Tracking', cell: (a) => trackingLink(a), class: 'hide-narrow' },
  ];
  // The overview's short list leaves out what the full list has room for.
  const columns = options.compact ? all.filter((c) => c.label !== 'Type' && c.label !== 'Final status') : all;
  return table(columns, rows, { empty: options.empty ?? 'No applications.', rowKey: (a) => a.id });
}

/** @param {any} app */
export function trackingLink(app) {
  if (!app.trackingUrl || app.trackingUI === 'UNASSIGNED') return h('span', { class: 'muted' }, 'unassigned');
  return h('a', { href: app.trackingUrl, target: '_blank', rel: 'noopener', title: app.trackingUrl }, app.trackingUI === 'History' ? 'History' : 'AM UI');
}
