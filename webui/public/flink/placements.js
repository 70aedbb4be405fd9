import { isTerminal } from './components/flink-state.js';

/**
 * Which task runs on which TaskManager, for the slot boxes: for every job that is not finished,
 * its vertices (`/jobs/:id`) and their subtasks' `taskmanager-id` (`/jobs/:id/vertices/:vid`).
 *
 * @param {import('./api.js').FlinkApi} api
 * @param {any[]} jobs `/jobs/overview` entries
 * @param {AbortSignal} [signal]
 * @returns {Promise<import('./components/slots.js').PlacedTask[]>}
 */
export async function loadPlacements(api, jobs, signal) {
  const live = jobs.filter((j) => !isTerminal(j.state));
  const perJob = await Promise.all(
    live.map(async (j) => {
      const details = await api.job(j.jid, signal);
      const perVertex = await Promise.all(
        (details.vertices ?? []).map(async (/** @type {any} */ v) => {
          const vd = await api.vertex(j.jid, v.id, signal);
          return (vd.subtasks ?? [])
            .filter((/** @type {any} */ st) => st['taskmanager-id'] && st['taskmanager-id'] !== '(unassigned)')
            .map((/** @type {any} */ st) => ({ jobId: j.jid, vertex: v.name, subtask: st.subtask, parallelism: v.parallelism, tm: st['taskmanager-id'] }));
        }),
      );
      return perVertex.flat();
    }),
  );
  return perJob.flat();
}

/**
 * `/taskmanagers` plus each one's `allocatedSlots` (`/taskmanagers/:id`).
 * @param {import('./api.js').FlinkApi} api
 * @param {AbortSignal} [signal]
 */
export async function loadTaskManagers(api, signal) {
  const list = await api.taskManagers(signal);
  const details = await Promise.all(list.map((tm) => api.taskManager(tm.id, signal).catch(() => ({ ...tm, allocatedSlots: [] }))));
  return details.sort((a, b) => String(a.id).localeCompare(String(b.id)));
}
