import { h } from '../../js/dom.js';
import { formatMemory } from '../../js/format.js';
import { ago } from '../../js/components/live-time.js';
import { href } from '../../js/router.js';
import { shortId } from './flink-state.js';

/**
 * The slots of TaskManagers drawn as boxes: a free slot is an empty dashed box; an occupied one
 * names its job (linked) and the tasks the job runs on that TaskManager, grouped by subtask
 * index (with slot sharing one slot holds one subtask of each vertex).
 *
 * @typedef {{ id: string, slotsNumber: number, freeSlots: number, timeSinceLastHeartbeat: number, hardware?: any, allocatedSlots?: { jobId: string }[] }} Tm
 * @typedef {{ jobId: string, vertex: string, subtask: number, parallelism: number, tm: string }} PlacedTask
 */

/**
 * @param {Tm} tm
 * @param {Map<string, string>} jobNames
 * @param {PlacedTask[]} tasks tasks placed anywhere; those of this TaskManager are shown
 */
export function slotBoxes(tm, jobNames, tasks) {
  const allocated = tm.allocatedSlots ?? [];
  /** @type {Map<string, number[]>} job → slot indexes on this TM */
  const slotsOfJob = new Map();
  allocated.forEach((s, i) => slotsOfJob.set(s.jobId, [...(slotsOfJob.get(s.jobId) ?? []), i]));
  /** @type {string[][]} */
  const taskNames = allocated.map(() => []);
  for (const [jobId, slots] of slotsOfJob) {
    const mine = tasks.filter((t) => t.tm === tm.id && t.jobId === jobId).sort((a, b) => a.subtask - b.subtask);
    const bySubtask = [...new Set(mine.map((t) => t.subtask))];
    for (const t of mine) {
      const slot = slots[bySubtask.indexOf(t.subtask) % slots.length];
      if (slot !== undefined) taskNames[slot]?.push(`${t.vertex} (${t.subtask + 1}/${t.parallelism})`);
    }
  }
  const boxes = [];
  for (let i = 0; i < tm.slotsNumber; i++) {
    const a = allocated[i];
    if (!a) {
      boxes.push(h('div', { class: 'slot slot-free', 'data-slot': i, 'data-job': '' }, h('span', { class: 'slot-no' }, `slot ${i + 1}`), h('span', { class: 'slot-job muted' }, 'free')));
      continue;
    }
    const name = jobNames.get(a.jobId);
    const names = taskNames[i] ?? [];
    boxes.push(
      h(
        'div',
        { class: 'slot slot-used', 'data-slot': i, 'data-job': a.jobId, title: [name ?? a.jobId, ...names].join('\n') },
        h('span', { class: 'slot-no' }, `slot ${i + 1}`),
        h('a', { class: 'slot-job', href: href(['jobs', a.jobId]) }, name ?? a.jobId),
        names.length ? h('ul', { class: 'slot-tasks' }, names.map((n) => h('li', null, n))) : h('span', { class: 'slot-tasks muted small' }, shortId(a.jobId)),
      ),
    );
  }
  return h('div', { class: 'slots', 'data-tm': tm.id }, boxes);
}

/**
 * One TaskManager as a card holding its slot boxes.
 * @param {Tm} tm
 * @param {Map<string, string>} jobNames
 * @param {PlacedTask[]} tasks
 */
export function taskManagerCard(tm, jobNames, tasks) {
  const used = tm.slotsNumber - tm.freeSlots;
  return h(
    'section',
    { class: 'tm', 'data-tm-id': tm.id },
    h(
      'header',
      { class: 'tm-head' },
      h('a', { class: 'tm-id mono', title: `TaskManager ${tm.id}`, href: href(['taskmanagers', tm.id]) }, tm.id),
      h('span', { class: 'muted small' }, `${used} of ${tm.slotsNumber} slots used`),
      tm.hardware?.physicalMemory ? h('span', { class: 'muted small hide-narrow' }, formatMemory(tm.hardware.physicalMemory / 1024 / 1024)) : null,
      h('span', { class: 'muted small' }, 'heartbeat ', ago(tm.timeSinceLastHeartbeat)),
      h(
        'span',
        { class: 'tm-links small' },
        h('a', { href: href(['taskmanagers', tm.id], { tab: 'logs' }), 'data-testid': 'tm-logs' }, 'Logs'),
        h('a', { href: href(['taskmanagers', tm.id], { tab: 'stdout' }), 'data-testid': 'tm-stdout' }, 'Stdout'),
      ),
    ),
    slotBoxes(tm, jobNames, tasks),
  );
}
