import { h } from '../dom.js';

/**
 * State → colour family. Colours live in style.css (`.tone-*`); this only names the family.
 * @type {Record<string, string>}
 */
const TONES = {
  RUNNING: 'run',
  ACCEPTED: 'wait',
  NEW: 'wait',
  NEW_SAVING: 'wait',
  SUBMITTED: 'wait',
  ALLOCATED: 'wait',
  ACQUIRED: 'wait',
  SCHEDULED: 'wait',
  LAUNCHED: 'run',
  FINISHED: 'ok',
  SUCCEEDED: 'ok',
  COMPLETE: 'ok',
  COMPLETED: 'ok',
  FAILED: 'bad',
  LOST: 'bad',
  UNHEALTHY: 'bad',
  KILLED: 'muted',
  UNDEFINED: 'muted',
  DECOMMISSIONED: 'muted',
  DECOMMISSIONING: 'wait',
  SHUTDOWN: 'muted',
  REBOOTED: 'wait',
  RELEASED: 'muted',
  EXPIRED: 'muted',
  STOPPED: 'muted',
};

/** @param {string} state */
export function toneOf(state) {
  return TONES[state] ?? 'muted';
}

/**
 * @param {string} state
 * @param {string} [title]
 */
export function stateBadge(state, title) {
  return h('span', { class: ['badge', `tone-${toneOf(state)}`], title, 'data-state': state }, state);
}

/**
 * A container's outcome tone: exit 0 ok, killed by the framework muted, anything else bad.
 * @param {{ containerState: string, containerExitStatus: number }} c
 */
export function containerTone(c) {
  if (c.containerState !== 'COMPLETE') return c.containerState === 'RUNNING' ? 'run' : 'wait';
  const code = c.containerExitStatus;
  if (code === 0) return 'ok';
  if (code === -100 || code === -102 || code === -105 || code === -106 || code === -107 || code === -108 || code === 143) return 'muted';
  return 'bad';
}
