import { h, mount } from '../../js/dom.js';
import { errorBanner, panel } from '../../js/components/cards.js';
import { pageResources } from '../../js/pages/page.js';
import { jobTable } from '../components/job-table.js';

/**
 * Every job of this JobManager (`/jobs/overview`), or on the history server every archived one.
 * @param {{ api: import('../api.js').FlinkApi, history?: boolean }} ctx
 */
export function jobsPage(ctx) {
  const element = h('div', { class: 'page page-flink-jobs' });
  /** @type {any[] | undefined} */
  let jobs;
  const res = pageResources(render);
  const jobsR = res.add(async (signal) => {
    jobs = await ctx.api.jobs(signal);
  });
  function render() {
    const options = ctx.history
      ? { empty: 'No archived jobs yet. A JobManager archives each finished job to its jobmanager.archive.fs.dir, one of the directories this history server reads (historyserver.archive.fs.dir).' }
      : {};
    mount(element, res.error ? errorBanner(res.error) : null, panel(ctx.history ? 'Completed jobs' : 'Jobs', null, jobs ? jobTable(jobs, options) : h('p', { class: 'muted loading' }, 'Loading…')));
  }
  render();
  return {
    title: ctx.history ? 'Completed jobs' : 'Flink jobs',
    element,
    load: res.reloadAll,
    reloadAll: res.reloadAll,
    /** @param {any[]} changes */
    onChanges(changes) {
      if (changes.some((c) => c.kind === 'job' || c.kind === 'task')) void jobsR.reload();
    },
    dispose: res.dispose,
  };
}
