import { h } from '../../js/dom.js';

/** Flink job and execution states → the shared colour families (`.tone-*` in style.css). */
const TONES = {
  INITIALIZING: 'wait',
  CREATED: 'wait',
  SCHEDULED: 'wait',
  DEPLOYING: 'wait',
  RECONCILING: 'wait',
  RESTARTING: 'wait',
  RUNNING: 'run',
  FINISHED: 'ok',
  CANCELLING: 'muted',
  CANCELING: 'muted',
  CANCELED: 'muted',
  SUSPENDED: 'muted',
  FAILING: 'bad',
  FAILED: 'bad',
};

/** @param {string} state */
export function flinkTone(state) {
  return /** @type {Record<string, string>} */ (TONES)[state] ?? 'muted';
}

/** @param {string} state */
export function flinkBadge(state) {
  return h('span', { class: ['badge', `tone-${flinkTone(state)}`], 'data-state': state }, state);
}

/** Backpressure level (Flink's ok/low/high) as a badge. @param {string | undefined} level */
export function backpressureBadge(level) {
  const l = String(level ?? '').toUpperCase();
  if (!l) return h('span', { class: 'badge tone-muted', 'data-bp': '' }, 'BP –');
  const tone = l === 'HIGH' ? 'bad' : l === 'LOW' ? 'wait' : 'ok';
  return h('span', { class: ['badge', `tone-${tone}`], 'data-bp': l, title: 'Backpressure' }, `BP ${l}`);
}

/** @param {string} s */
export const isTerminal = (s) => s === 'FINISHED' || s === 'CANCELED' || s === 'FAILED' || s === 'SUSPENDED';

/** Short id for display; the full id goes in the title. @param {string} id */
export function shortId(id) {
  return h('span', { class: 'mono', title: id }, id.length > 12 ? `${id.slice(0, 8)}…` : id);
}
