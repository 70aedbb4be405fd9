import { h, mount } from '../../js/dom.js';
import { errorBanner, panel } from '../../js/components/cards.js';
import { pageResources } from '../../js/pages/page.js';
import { taskManagerCard } from '../components/slots.js';
import { loadPlacements, loadTaskManagers } from '../placements.js';

/**
 * TaskManagers with their slots drawn as boxes (`/taskmanagers`, `/taskmanagers/:id`).
 * @param {{ api: import('../api.js').FlinkApi }} ctx
 */
export function taskManagersPage(ctx) {
  const element = h('div', { class: 'page page-flink-tms' });
  /** @type {any[] | undefined} */
  let tms;
  /** @type {any[]} */
  let jobs = [];
  /** @type {import('../components/slots.js').PlacedTask[]} */
  let placed = [];
  const res = pageResources(render);
  const tmsR = res.add(async (signal) => {
    const [list, js] = await Promise.all([loadTaskManagers(ctx.api, signal), ctx.api.jobs(signal)]);
    placed = await loadPlacements(ctx.api, js, signal).catch(() => placed);
    jobs = js;
    tms = list;
  });
  function render() {
    const names = new Map(jobs.map((j) => [j.jid, j.name]));
    const slots = (tms ?? []).reduce((n, t) => n + t.slotsNumber, 0);
    const free = (tms ?? []).reduce((n, t) => n + t.freeSlots, 0);
    mount(
      element,
      res.error ? errorBanner(res.error) : null,
      panel(
        'TaskManagers',
        tms ? h('span', { class: 'muted' }, `${tms.length} registered · ${slots - free} of ${slots} slots used`) : null,
        tms ? (tms.length ? h('div', { class: 'tms' }, tms.map((tm) => taskManagerCard(tm, names, placed))) : h('p', { class: 'muted pad' }, 'No TaskManagers. A session starts them when a job needs slots.')) : h('p', { class: 'muted loading' }, 'Loading…'),
      ),
    );
  }
  render();
  return {
    title: 'TaskManagers',
    element,
    load: res.reloadAll,
    reloadAll: res.reloadAll,
    onChanges() {
      void tmsR.reload();
    },
    dispose: res.dispose,
  };
}
