import { h } from '../dom.js';
import { formatAgo, formatDuration, formatTime } from '../format.js';

/**
 * Times that move: "12s ago" and running elapsed times. They carry their epoch in a data
 * attribute and {@link tickTimes} rewrites them each second, without refetching or rebuilding.
 */

/** @param {number} ms */
export function ago(ms) {
  return h('span', { class: 'num', 'data-ago': ms > 0 ? ms : undefined, title: formatTime(ms) }, formatAgo(ms));
}

/**
 * Elapsed time from `start` to `end`, or to now (ticking) while `end` is 0.
 * @param {number} start
 * @param {number} end
 */
export function elapsed(start, end) {
  if (!start || start <= 0) return h('span', { class: 'num' }, '–');
  if (end > 0) return h('span', { class: 'num' }, formatDuration(end - start));
  return h('span', { class: 'num', 'data-elapsed-from': start }, formatDuration(Date.now() - start));
}

/** @param {ParentNode} root */
export function tickTimes(root) {
  const now = Date.now();
  for (const el of root.querySelectorAll('[data-ago]')) el.textContent = formatAgo(Number(/** @type {HTMLElement} */ (el).dataset.ago), now);
  for (const el of root.querySelectorAll('[data-elapsed-from]')) el.textContent = formatDuration(now - Number(/** @type {HTMLElement} */ (el).dataset.elapsedFrom));
}
