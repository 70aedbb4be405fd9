import { h, mount } from '../../js/dom.js';
import { formatDuration, formatNumber, formatTime } from '../../js/format.js';
import { href } from '../../js/router.js';
import { errorBanner, facts, panel } from '../../js/components/cards.js';
import { table } from '../../js/components/table.js';
import { pageResources } from '../../js/pages/page.js';
import { backpressureBadge, flinkBadge, isTerminal } from '../components/flink-state.js';
import { exceptionGroupView, groupExceptions } from '../components/exception-groups.js';
import { jobGraph } from '../components/job-graph.js';
import { resourceWait } from '../components/resource-wait.js';
import { vertexSubtasks } from '../components/vertex-subtasks.js';
import { heldBackBy, lowWatermarkCell, watermarksPanel } from '../components/watermarks.js';

const TABS = [
  ['overview', 'Overview'],
  ['exceptions', 'Exceptions'],
  ['checkpoints', 'Checkpoints'],
];

/**
 * One job: why it waits for resources (while it does), its graph with per-vertex state, records
 * and backpressure, the vertex table, the selected vertex's subtasks (`?vertex=<id>`, from a click
 * on the graph or the table), each vertex's lowest watermark and who holds it back (subtask, input
 * channel, or idle) with a per-subtask watermark table, the exceptions grouped by identical failure,
 * and the place where checkpoints will go. Reads `/jobs/:id`, `/jobs/:id/vertices/:vid[/backpressure]`,
 * `/jobs/:id/watermarks` and `/jobs/:id/exceptions`; while the job runs, the records and backpressure are re-read every few
 * seconds (they change without state changes).
 *
 * @param {{ api: import('../api.js').FlinkApi }} ctx
 * @param {string} jobId
 * @param {URLSearchParams} query
 */
export function jobPage(ctx, jobId, query) {
  const tab = TABS.some(([id]) => id === query.get('tab')) ? String(query.get('tab')) : 'overview';
  const vertexId = tab === 'overview' ? (query.get('vertex') ?? '') : '';
  const element = h('div', { class: 'page page-flink-job', 'data-job-id': jobId });
  /** @type {any} */
  let job;
  /** @type {Map<string, string>} */
  let bp = new Map();
  /** @type {any} JobWatermarksInfo */
  let watermarks;
  /** @type {any} */
  let exceptions;
  /** @type {{ details: any, backpressure: any } | undefined} */
  let selected;
  let cancelling = false;
  let cancelError = '';
  let ticks = 0;
  const res = pageResources(render);
  const jobR = res.add(async (signal) => {
    const [details, wm] = await Promise.all([ctx.api.job(jobId, signal), ctx.api.watermarks(jobId, signal).catch(() => undefined)]);
    job = details;
    // A history server has no metrics, as Flink's has none: an empty panel, not a spinner.
    watermarks = wm ?? { vertices: [] };
    const levels = await Promise.all(
      (job.vertices ?? []).map(async (/** @type {any} */ v) => {
        const b = await ctx.api.backpressure(jobId, v.id, signal).catch(() => undefined);
        return /** @type {[string, string]} */ ([v.id, b?.backpressureLevel ?? '']);
      }),
    );
    bp = new Map(levels);
  });
  const vertexR = res.add(async (signal) => {
    if (!vertexId) return;
    const [details, backpressure] = await Promise.all([ctx.api.vertex(jobId, vertexId, signal), ctx.api.backpressure(jobId, vertexId, signal).catch(() => undefined)]);
    selected = { details, backpressure };
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
      resourceWait(job['waiting-for-resources']),
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
    /** @type {Map<string, any>} */
    const wm = new Map((watermarks?.vertices ?? []).map((/** @type {any} */ v) => [v.id, v]));
    return [
      panel(
        'Job graph',
        h('span', { class: 'muted small' }, `${vertices.length} vertices · click one for its subtasks · edges labelled with their ship strategy`),
        h('div', { class: 'graph-wrap' }, jobGraph(job.plan, vertices, bp, jobId, vertexId, wm)),
      ),
      vertexId ? vertexSubtasks(jobId, selected?.details, selected?.backpressure) : null,
      panel(
        'Vertices',
        null,
        table(
          [
            { label: 'Name', cell: (v) => h('a', { class: 'vertex-cell', href: href(['jobs', jobId], { vertex: v.id }) }, v.name) },
            { label: 'Parallelism', cell: (v) => formatNumber(v.parallelism), class: 'num' },
            { label: 'State', cell: (v) => flinkBadge(v.status) },
            { label: 'Records in', cell: (v) => formatNumber(v.metrics?.['read-records']), class: 'num' },
            { label: 'Records out', cell: (v) => formatNumber(v.metrics?.['write-records']), class: 'num' },
            { label: 'Backpressure', cell: (v) => backpressureBadge(bp.get(v.id)) },
            { label: 'Low watermark', cell: (v) => lowWatermarkCell(wm.get(v.id)) },
            { label: 'Held back by', cell: (v) => (wm.has(v.id) ? heldBackBy(wm.get(v.id)) : '–'), class: 'hide-narrow' },
            { label: 'Tasks', cell: (v) => taskCounts(v.tasks), class: 'hide-narrow' },
            { label: 'Duration', cell: (v) => formatDuration(v.duration), class: 'num hide-narrow' },
          ],
          vertices,
          { rowKey: (v) => v.id, rowClass: (v) => (v.id === vertexId ? 'selected' : undefined) },
        ),
      ),
      watermarksPanel(watermarks),
    ];
  }

  function exceptionsView() {
    if (!exceptions) return panel('Exceptions', null, h('p', { class: 'muted loading' }, 'Loading…'));
    const entries = exceptions.exceptionHistory?.entries ?? [];
    const root = exceptions['root-exception'];
    if (!root && entries.length === 0) return panel('Exceptions', null, h('p', { class: 'muted pad', 'data-testid': 'no-exceptions' }, 'No exceptions: every task has run without failing.'));
    const groups = groupExceptions(entries);
    const aside = [`${formatNumber(entries.length)} failures`, groups.length < entries.length ? `${formatNumber(groups.length)} distinct` : null, exceptions.exceptionHistory?.truncated ? 'older ones truncated' : null];
    return panel(
      'Exceptions',
      h('span', { class: 'muted small' }, aside.filter(Boolean).join(' · ')),
      root ? h('section', { class: 'exception root' }, h('h3', null, 'Root exception', exceptions.timestamp ? ` · ${formatTime(exceptions.timestamp)}` : ''), h('pre', { class: 'diag' }, root)) : null,
      groups.map(exceptionGroupView),
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
      if (vertexId) void vertexR.reload();
      if (tab === 'exceptions') void excR.reload();
    },
    tick() {
      ticks++;
      if (job && !isTerminal(job.state) && ticks % 3 === 0) {
        void jobR.reload();
        if (vertexId) void vertexR.reload();
      }
    },
    dispose: res.dispose,
  };
}

/** @param {Record<string, number>} tasks */
function taskCounts(tasks) {
  const parts = Object.entries(tasks ?? {}).filter(([, n]) => n > 0);
  return h('span', { class: 'small' }, parts.length ? parts.map(([s, n]) => `${n} ${s.toLowerCase()}`).join(' · ') : '–');
}
