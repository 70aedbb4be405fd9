import { h } from '../dom.js';
import { formatPercent } from '../format.js';

/**
 * A thin horizontal bar: `fraction` in [0, 1].
 * @param {number} fraction
 * @param {string} [tone]
 * @param {string} [title]
 */
export function bar(fraction, tone = 'run', title) {
  const pct = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0)) * 100;
  return h('span', { class: 'bar', title, role: 'meter', 'aria-valuenow': Math.round(pct), 'aria-valuemin': 0, 'aria-valuemax': 100 }, h('span', { class: ['bar-fill', `tone-${tone}`], style: { width: `${pct}%` } }));
}

/**
 * Application progress (0–100) with its figure.
 * @param {number} progress
 * @param {string} tone
 */
export function progressBar(progress, tone) {
  return h('span', { class: 'progress' }, bar(progress / 100, tone), h('span', { class: 'progress-label num' }, formatPercent(progress)));
}

/**
 * Used of total, with the figure beside it.
 * @param {number} used
 * @param {number} total
 * @param {(n: number) => string} fmt
 */
export function usageBar(used, total, fmt) {
  const fraction = total > 0 ? used / total : 0;
  const tone = fraction > 0.9 ? 'bad' : fraction > 0.7 ? 'wait' : 'run';
  return h('span', { class: 'usage' }, bar(fraction, tone, `${fmt(used)} of ${fmt(total)}`), h('span', { class: 'usage-label num' }, `${fmt(used)} / ${fmt(total)}`));
}
