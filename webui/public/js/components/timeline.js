import { h } from '../dom.js';
import { formatDuration, formatTime } from '../format.js';

/**
 * A container timeline: one row per container, a bar from start to end (or to now while it runs),
 * on a shared time axis. YARN's own UI has no such picture.
 *
 * @typedef {{ id: string, label: string, sublabel?: string, start: number, end: number, tone: string, title: string }} TimelineRow
 */

const STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400].map((s) => s * 1000);

/**
 * @param {TimelineRow[]} rows `end` 0 means still running
 * @param {number} now
 * @param {{ empty?: string }} [options]
 */
export function timeline(rows, now, options = {}) {
  const placed = rows.filter((r) => r.start > 0);
  if (placed.length === 0) return h('p', { class: 'muted timeline-empty' }, options.empty ?? 'No containers yet.');
  const t0 = Math.min(...placed.map((r) => r.start));
  const t1 = Math.max(t0 + 1000, ...placed.map((r) => (r.end > 0 ? r.end : now)));
  const span = t1 - t0;
  const step = STEPS.find((s) => span / s <= 6) ?? STEPS[STEPS.length - 1];
  /** @param {number} t */
  const pos = (t) => ((t - t0) / span) * 100;

  const ticks = [];
  for (let t = 0; t <= span; t += step) {
    ticks.push(h('span', { class: 'tl-tick', style: { left: `${pos(t0 + t)}%` } }, h('span', { class: 'tl-tick-label' }, t === 0 ? formatTime(t0) : `+${formatDuration(t)}`)));
  }
  const open = placed.some((r) => r.end <= 0);
  const axis = h('div', { class: 'tl-row tl-axis' }, h('div', { class: 'tl-label' }), h('div', { class: 'tl-track' }, ticks));
  const lines = placed.map((r) => {
    const end = r.end > 0 ? r.end : now;
    const left = pos(r.start);
    const width = Math.max(0.4, pos(end) - left);
    return h(
      'div',
      { class: 'tl-row', 'data-container': r.id },
      h('div', { class: 'tl-label', title: r.id }, h('span', { class: 'mono' }, r.label), r.sublabel ? h('span', { class: 'tl-sub' }, r.sublabel) : null),
      h(
        'div',
        { class: 'tl-track' },
        ticks.map((t) => h('span', { class: 'tl-grid', style: { left: t.style.left } })),
        h('span', { class: ['tl-bar', `tone-${r.tone}`, r.end > 0 ? null : 'tl-open'], style: { left: `${left}%`, width: `${width}%` }, title: r.title }, width > 7 ? h('span', { class: 'tl-bar-text' }, formatDuration(end - r.start)) : null),
      ),
    );
  });
  return h(
    'div',
    { class: 'timeline', role: 'img', 'aria-label': `Timeline of ${placed.length} containers` },
    axis,
    lines,
    open ? h('div', { class: 'tl-row tl-now-row' }, h('div', { class: 'tl-label' }), h('div', { class: 'tl-track' }, h('span', { class: 'tl-now', style: { left: '100%' } }, 'now'))) : null,
  );
}
