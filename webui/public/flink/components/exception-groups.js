import { h } from '../../js/dom.js';
import { formatNumber, formatTime } from '../../js/format.js';

/**
 * @typedef {{ exceptionName?: string, stacktrace?: string, timestamp: number, taskName?: string | null, location?: string | null, taskManagerId?: string | null }} ExceptionEntry
 * @typedef {{ key: string, first: ExceptionEntry, count: number, firstTime: number, lastTime: number, locations: string[] }} ExceptionGroup
 */

/**
 * Identical failures (same exception, stack trace and task; a job restarting on the same error
 * makes many) as one group with a count, newest group first. Where and when they happened are
 * kept: every location, the first and the last time.
 * @param {ExceptionEntry[]} entries exceptionHistory.entries, newest first
 * @returns {ExceptionGroup[]}
 */
export function groupExceptions(entries) {
  /** @type {Map<string, ExceptionGroup>} */
  const groups = new Map();
  for (const e of entries) {
    const key = [e.exceptionName ?? '', e.taskName ?? '', e.stacktrace ?? ''].join('\u0000');
    const g = groups.get(key);
    const location = e.location ?? '';
    if (!g) {
      groups.set(key, { key, first: e, count: 1, firstTime: e.timestamp, lastTime: e.timestamp, locations: location ? [location] : [] });
      continue;
    }
    g.count++;
    g.firstTime = Math.min(g.firstTime, e.timestamp);
    g.lastTime = Math.max(g.lastTime, e.timestamp);
    if (location && !g.locations.includes(location)) g.locations.push(location);
  }
  return [...groups.values()];
}

/** @param {ExceptionGroup} g */
export function exceptionGroupView(g) {
  const e = g.first;
  return h(
    'section',
    { class: 'exception', 'data-testid': 'exception-group', 'data-count': g.count },
    h(
      'h3',
      null,
      g.count > 1 ? h('span', { class: 'badge tone-bad exception-count', title: `${g.count} identical failures` }, `×${formatNumber(g.count)}`) : null,
      g.count > 1 ? ' ' : null,
      e.exceptionName ?? 'Exception',
      e.taskName ? ` · ${e.taskName}` : '',
    ),
    h(
      'p',
      { class: 'muted small exception-when' },
      g.count > 1 ? `${formatTime(g.firstTime)} – ${formatTime(g.lastTime)}` : formatTime(g.lastTime),
      g.locations.length ? ` · ${g.locations.join(', ')}` : '',
    ),
    h('pre', { class: 'diag' }, e.stacktrace ?? ''),
  );
}
