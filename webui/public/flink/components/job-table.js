import { h } from '../../js/dom.js';
import { formatDuration, formatTime } from '../../js/format.js';
import { href } from '../../js/router.js';
import { table } from '../../js/components/table.js';
import { flinkBadge, flinkTone, shortId } from './flink-state.js';

const TASK_STATES = ['running', 'deploying', 'scheduled', 'initializing', 'created', 'finished', 'canceling', 'canceled', 'failed'];

/**
 * Tasks by state as a stacked strip.
 * @param {Record<string, number>} tasks `/jobs/overview` counts (lower-case states + total)
 */
export function taskStrip(tasks) {
  const total = tasks?.total ?? 0;
  const parts = TASK_STATES.filter((s) => (tasks?.[s] ?? 0) > 0);
  return h(
    'span',
    { class: 'task-strip', title: parts.map((s) => `${tasks[s]} ${s}`).join(', ') || 'no tasks' },
    h('span', { class: 'task-strip-bar' }, parts.map((s) => h('span', { class: ['task-strip-part', `tone-bg-${flinkTone(s.toUpperCase())}`], style: { flexGrow: String(tasks[s]) } }))),
    h('span', { class: 'num small' }, String(total)),
  );
}

/**
 * @param {any[]} jobs `/jobs/overview` entries
 * @param {{ empty?: string }} [options]
 */
export function jobTable(jobs, options = {}) {
  const rows = jobs.slice().sort((a, b) => b['start-time'] - a['start-time']);
  return table(
    [
      { label: 'Job', cell: (j) => h('a', { href: href(['jobs', j.jid]), class: 'job-name' }, j.name) },
      { label: 'Id', cell: (j) => shortId(j.jid), class: 'hide-narrow' },
      { label: 'State', cell: (j) => flinkBadge(j.state) },
      { label: 'Started', cell: (j) => formatTime(j['start-time']), class: 'hide-narrow nowrap' },
      { label: 'Duration', cell: (j) => formatDuration(j.duration), class: 'num nowrap' },
      { label: 'Tasks', cell: (j) => taskStrip(j.tasks) },
    ],
    rows,
    { rowKey: (j) => j.jid, empty: options.empty ?? 'No jobs yet. Submit one with `weft run --target session --app <appId> job.ts`.' },
  );
}
