import { h, mount } from '../../js/dom.js';
import { formatNumber } from '../../js/format.js';
import { href } from '../../js/router.js';
import { usageBar } from '../../js/components/bars.js';
import { card, errorBanner, panel } from '../../js/components/cards.js';
import { has, pageResources } from '../../js/pages/page.js';
import { jobTable } from '../components/job-table.js';
import { taskManagerCard } from '../components/slots.js';
import { loadPlacements, loadTaskManagers } from '../placements.js';

/**
 * The Flink overview: cards from `/overview`, the jobs, and the TaskManagers with their slots.
 * @param {{ api: import('../api.js').FlinkApi }} ctx
 */
export function overviewPage(ctx) {
  const element = h('div', { class: 'page page-flink-overview' });
  /** @type {any} */
  let overview;
  /** @type {any[] | undefined} */
  let jobs;
  /** @type {any[] | undefined} */
  let tms;
  /** @type {import('../components/slots.js').PlacedTask[]} */
  let placed = [];
  const res = pageResources(render);
  const overviewR = res.add(async (signal) => {
    overview = await ctx.api.overview(signal);
  });
  const jobsR = res.add(async (signal) => {
    jobs = await ctx.api.jobs(signal);
  });
  const tmsR = res.add(async (signal) => {
    const [list, js] = await Promise.all([loadTaskManagers(ctx.api, signal), ctx.api.jobs(signal)]);
    placed = await loadPlacements(ctx.api, js, signal).catch(() => placed);
    tms = list;
  });

  function render() {
    const names = new Map((jobs ?? []).map((j) => [j.jid, j.name]));
    mount(
      element,
      res.error ? errorBanner(res.error) : null,
      overview ? cards(overview, jobs) : h('div', { class: 'cards skeleton' }),
      panel('Jobs', h('a', { href: href(['jobs']) }, 'All jobs →'), jobs ? jobTable(jobs.slice(0, 15)) : loading()),
      panel(
        'TaskManagers',
        h('a', { href: href(['taskmanagers']) }, 'Details →'),
        tms ? (tms.length ? h('div', { class: 'tms' }, tms.map((tm) => taskManagerCard(tm, names, placed))) : h('p', { class: 'muted pad' }, 'No TaskManagers. A session starts them when a job needs slots.')) : loading(),
      ),
    );
  }

  render();
  return {
    title: 'Flink overview',
    element,
    load: res.reloadAll,
    reloadAll: res.reloadAll,
    /** @param {any[]} changes */
    onChanges(changes) {
      void overviewR.reload();
      if (has(changes, /** @type {any} */ ('job')) || has(changes, /** @type {any} */ ('task'))) void jobsR.reload();
      if (changes.some((c) => c.kind !== 'job')) void tmsR.reload();
    },
    dispose: res.dispose,
  };
}

/**
 * Flink's `jobs-running` counts every job not yet terminal (RESTARTING, FAILING, CREATED ...);
 * the card splits it by the jobs' states so a job that restarts is not shown as running.
 * @param {any} o `/overview`
 * @param {any[] | undefined} jobs `/jobs/overview`
 */
function cards(o, jobs) {
  const count = (/** @type {string} */ state) => (jobs ? jobs.filter((j) => j.state === state).length : NaN);
  const running = count('RUNNING');
  const restarting = count('RESTARTING');
  const other = Number(o['jobs-running']) - running - restarting;
  /** @type {[string, number, string, string][]} */
  const jobStates = [
    ['Running', running, 'run', 'running'],
    ['Restarting', restarting, 'wait', 'restarting'],
    ...(/** @type {[string, number, string, string][]} */ (other > 0 ? [['Starting or stopping', other, 'wait', 'other']] : [])),
    ['Finished', o['jobs-finished'], 'ok', 'finished'],
    ['Cancelled', o['jobs-cancelled'], 'muted', 'cancelled'],
    ['Failed', o['jobs-failed'], 'bad', 'failed'],
  ];
  const total = Number(o['jobs-running']) + Number(o['jobs-finished']) + Number(o['jobs-cancelled']) + Number(o['jobs-failed']);
  const used = o['slots-total'] - o['slots-available'];
  return h(
    'div',
    { class: 'cards' },
    card({ label: 'TaskManagers', value: formatNumber(o.taskmanagers), detail: o.taskmanagers ? 'registered' : 'none yet: started on demand', testId: 'card-taskmanagers' }),
    card({
      label: 'Slots',
      value: formatNumber(o['slots-total']),
      detail: `${formatNumber(o['slots-available'])} available`,
      body: usageBar(used, o['slots-total'], formatNumber),
      testId: 'card-slots',
    }),
    card({
      label: 'Jobs',
      value: formatNumber(total),
      detail: 'in this session',
      body: h(
        'div',
        { class: 'app-states' },
        jobStates.map(([label, n, tone, key]) => h('span', { class: ['chip', `tone-${tone}`, n ? null : 'chip-zero'], 'data-jobs': key }, h('b', { class: 'num' }, formatNumber(Number(n))), ` ${label}`)),
      ),
      testId: 'card-jobs',
    }),
  );
}

function loading() {
  return h('p', { class: 'muted loading' }, 'Loading…');
}
