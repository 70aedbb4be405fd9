import { h } from '../../js/dom.js';
import { formatMemory, formatNumber } from '../../js/format.js';
import { facts } from '../../js/components/cards.js';
import { elapsed } from '../../js/components/live-time.js';

/**
 * "Why this job waits": the JobManager's `waiting-for-resources` (runtime/rest/job-resource-wait.ts)
 * while tasks wait for slots — the slots, the TaskManager containers asked of YARN, YARN's
 * diagnostic for them and the latest failure. Nothing while no task waits.
 * @param {any} wait the field of `/jobs/:id`, or null
 */
export function resourceWait(wait) {
  if (!wait) return null;
  const tm = wait['taskmanager-resource'] ?? {};
  const yarn = wait['yarn-diagnostics'];
  // YARN's words get their own block below; the summary line need not repeat them.
  const reason = yarn && String(wait.reason).endsWith(` YARN: ${yarn}`) ? String(wait.reason).slice(0, -` YARN: ${yarn}`.length) : wait.reason;
  /** @type {[string, import('../../js/dom.js').Child][]} */
  const rows = [
    ['Waiting for', elapsed(wait.since, 0)],
    ['Slots', `${formatNumber(wait['acquired-slots'])} of ${formatNumber(wait['required-slots'])} acquired · ${formatNumber(wait['available-slots'])} free in the cluster`],
    ['Tasks waiting', formatNumber(wait['waiting-tasks'])],
    [
      'TaskManagers',
      `${formatNumber(wait['requested-taskmanagers'])} requested from YARN · ${formatNumber(wait['starting-taskmanagers'])} starting · ${formatMemory(tm.memory)}, ${formatNumber(tm.vCores)} vcores, ${formatNumber(tm.slots)} ${tm.slots === 1 ? 'slot' : 'slots'} each`,
    ],
  ];
  return h(
    'section',
    { class: 'callout tone-wait resource-wait', role: 'status', 'data-testid': 'resource-wait' },
    h('h2', null, 'Waiting for resources'),
    h('p', { class: 'resource-wait-reason', 'data-testid': 'resource-wait-reason' }, reason),
    facts(rows),
    yarn ? h('div', { class: 'resource-wait-yarn' }, h('h3', null, 'YARN ResourceManager says'), h('pre', { 'data-testid': 'resource-wait-yarn' }, yarn)) : null,
    wait['last-failure'] ? h('div', { class: 'resource-wait-yarn' }, h('h3', null, 'Latest TaskManager failure'), h('pre', null, wait['last-failure'].message)) : null,
  );
}
