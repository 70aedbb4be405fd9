import { h, mount } from '../../js/dom.js';
import { formatDuration, formatNumber, formatTime } from '../../js/format.js';
import { href } from '../../js/router.js';
import { errorBanner, facts, panel } from '../../js/components/cards.js';
import { table } from '../../js/components/table.js';
import { pageResources } from '../../js/pages/page.js';
import { backpressureBadge, flinkBadge, isTerminal } from '../components/flink-state.js';
import { jobGraph } from '../components/job-graph.js';

const TABS = [
  ['overview', 'Overview'],
  ['exceptions', 'Exceptions'],
  ['checkpoints', 'Checkpoints'],
];

/**
 * One job: its graph with per-vertex state, records and backpressure, the vertex table, the
 * exceptions, and the place where checkpoints will go. Reads `/jobs/:id`,
 * `/jobs/:id/vertices/:vid/backpressure` and `/jobs/:id/exceptions`; while the job runs, the
 * records and backpressure are re-read every few seconds (they change without state changes).
 *
 * @param {{ api: import('../api.js').FlinkApi }} ctx
 * @param {string} jobId
 * @param {URLSearchParams} query
 */
export function jobPage(ctx, jobId, query) {
  const tab = TABS.some(([id]) => id === query.get('tab')) ? String(query.get('tab')) : 'overview';
  const element = h('div', { class: 'page page-flink-job', 'data-job-id': jobId });
  /** @type {any} */
  let job;
  /** @type {Map<string, string>} */
  let bp = new Map();
  /** @type {any} */
  let exceptions;
  let cancelling = false;
  let cancelError = '';
  let ticks = 0;
  const res = pageResources(render);
  const jobR = res.add(async (signal) => {
    job = await ctx.api.job(jobId, signal);
    const levels = await Promise.all(
      (job.vertices ?? []).map(async (/** @type {any} */ v) => {
        const b = await ctx.api.backpressure(jobId, v.id, signal).catch(() => undefined);
        return /** @type {[string, string]} */ ([v.id, b?.backpressureLevel ?? '']);
      }),
    );
    bp = new Map(levels);
  });
  const excR = res.add(async (signal) => {
    exceptions = tab === 'exceptions' ? await ctx.api.exceptions(jobId, signal) : exceptions;
  });

  async function cancel() {
    cancelling = true;
    cancelError = '';
    render();
    try {
      await ctx.api.cancel(jobId);
    } catch (err) {
      cancelError = err instanceof Error ? err.message : String(err);
      cancelling = false;
    }
    void jobR.reload();
  }

  function render() {
    if (!job) {
      mount(element, res.error ? errorBanner(res.error) : null, h('p', { class: 'muted loading' }, 'Loading…'));
      return;
    }
    const running = !isTerminal(job.state);
    mount(
      element,
      res.error ? errorBanner(res.error) : null,
      cancelError ? errorBanner(cancelError) : null,
      h(
        'header',
        { class: 'page-head' },
        h('div', { class: 'crumbs' }, h('a', { href: href(['jobs']) }, 'Jobs'), ' / ', h('span', { class: 'mono' }, jobId)),
        h('div', { class: 'title-row' }, h('h1', { class: 'app-title', 'data-testid': 'job-name' }, job.name), h('span', { 'data-testid': 'job-state' }, flinkBadge(job.state))),
        h(
          'div',
          { class: 'head-actions' },
          facts([
            ['Started', formatTime(job['start-time'])],
            ['Duration', formatDuration(job.duration)],
            ['Ended', job['end-time'] > 0 ? formatTime(job['end-time']) : '–'],
          ]),
          running ? h('button', { class: 'button button-danger', type: 'button', 'data-testid': 'cancel-job', disabled: cancelling, on: { click: () => void cancel() } }, cancelling ? 'Cancelling…' : 'Cancel job') : null,
        ),
      ),
      h(
        'nav',
        { class: 'tabs', 'aria-label': 'Job' },
        TABS.map(([id, label]) => h('a', { href: href(['jobs', jobId], { tab: id === 'overview' ? undefined : id }), class: ['tab', id === tab ? 'active' : null], 'aria-current': id === tab ? 'page' : undefined, 'data-tab': id }, label)),
      ),
      tab === 'overview' ? overview() : tab === 'exceptions' ? exceptionsView() : checkpointsView(),
    );
  }

  function overview() {
    const vertices = job.vertices ?? [];
    return [
      panel('Job graph', h('span', { class: 'muted small' }, `${vertices.length} vertices · edges labelled with their ship strategy`), h('div', { class: 'graph-wrap' }, jobGraph(job.plan, vertices, bp, jobId))),
      panel(
        'Vertices',
        null,
        table(
          [
            { label: 'Name', cell: (v) => h('span', { class: 'vertex-cell' }, v.name) },
            { label: 'Parallelism', cell: (v) => formatNumber(v.parallelism), class: 'num' },
            { label: 'State', cell: (v) => flinkBadge(v.status) },
            { label: 'Records in', cell: (v) => formatNumber(v.metrics?.['read-records']), class: 'num' },
            { label: 'Records out', cell: (v) => formatNumber(v.metrics?.['write-records']), class: 'num' },
            { label: 'Backpressure', cell: (v) => backpressureBadge(bp.get(v.id)) },
            { label: 'Tasks', cell: (v) => taskCounts(v.tasks), class: 'hide-narrow' },
            { label: 'Duration', cell: (v) => formatDuration(v.duration), class: 'num hide-narrow' },
          ],
          vertices,
          { rowKey: (v) => v.id },
        ),
      ),
    ];
  }

  function exceptionsView() {
    if (!exceptions) return panel('Exceptions', null, h('p', { class: 'muted loading' }, 'Loading…'));
    const entries = exceptions.exceptionHistory?.entries ?? [];
    const root = exceptions['root-exception'];
    if (!root && entries.length === 0) return panel('Exceptions', null, h('p', { class: 'muted pad', 'data-testid': 'no-exceptions' }, 'No exceptions: every task has run without failing.'));
    return panel(
      'Exceptions',
      exceptions.exceptionHistory?.truncated ? h('span', { class: 'muted small' }, 'older ones truncated') : null,
      root ? h('section', { class: 'exception root' }, h('h3', null, 'Root exception', exceptions.timestamp ? ` · ${formatTime(exceptions.timestamp)}` : ''), h('pre', { class: 'diag' }, root)) : null,
      entries.map((/** @type {any} */ e) =>
        h(
          'section',
          { class: 'exception' },
          h('h3', null, e.exceptionName ?? 'Exception', ' · ', formatTime(e.timestamp), e.taskName ? ` · ${e.taskName}` : '', e.location ? ` · ${e.location}` : ''),
          h('pre', { class: 'diag' }, e.stacktrace ?? ''),
        ),
      ),
    );
  }

  function checkpointsView() {
    return panel(
      'Checkpoints',
      null,
      h('div', { class: 'placeholder', 'data-testid': 'checkpoints-placeholder' }, h('p', null, 'Checkpoints arrive in a later version of weft.'), h('p', { class: 'muted small' }, 'This tab will show completed, failed and in-progress checkpoints with their sizes and durations.')),
    );
  }

  render();
  return {
    title: `Job ${jobId.slice(0, 8)}`,
    element,
    load: res.reloadAll,
    reloadAll: res.reloadAll,
    /** @param {any[]} changes */
    onChanges(changes) {
      const mine = changes.filter((c) => c.id === jobId || String(c.id).startsWith(`${jobId}/`));
      if (mine.length === 0) return;
      void jobR.reload();
      if (tab === 'exceptions') void excR.reload();
    },
    tick() {
      ticks++;
      if (job && !isTerminal(job.state) && ticks % 3 === 0) void jobR.reload();
    },
    dispose: res.dispose,
  };
}

/** @param {Record<string, number>} tasks */
function taskCounts(tasks) {
  const parts = Object.entries(tasks ?? {}).filter(([, n]) => n > 0);
  return h('span', { class: 'small' }, parts.length ? parts.map(([s, n]) => `${n} ${s.toLowerCase()}`).join(' · ') : '–');
}
