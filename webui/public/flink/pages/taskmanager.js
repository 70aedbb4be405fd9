import { h, mount } from '../../js/dom.js';
import { formatMemory, formatNumber, formatTime } from '../../js/format.js';
import { href } from '../../js/router.js';
import { errorBanner, facts, panel } from '../../js/components/cards.js';
import { table } from '../../js/components/table.js';
import { pageResources } from '../../js/pages/page.js';
import { LOG_TABS, logListPanel, logTab, tabBar } from '../components/log-tabs.js';
import { slotBoxes } from '../components/slots.js';
import { loadPlacements } from '../placements.js';

const TABS = [['slots', 'Slots'], ['metrics', 'Metrics'], ...LOG_TABS];

/**
 * One TaskManager (Flink's TaskManager page): its slots and resources, its memory, network buffers
 * and garbage collection as the TaskManager last reported them (Metrics), then the Logs, Stdout and
 * Log List tabs, read from `/taskmanagers/:id/log`, `/stdout`, `/logs` and `/logs/:name`.
 * @param {{ api: import('../api.js').FlinkApi }} ctx
 * @param {string} tmId
 * @param {URLSearchParams} query
 */
export function taskManagerPage(ctx, tmId, query) {
  const tab = TABS.some(([id]) => id === query.get('tab')) ? String(query.get('tab')) : 'slots';
  const file = query.get('file') ?? '';
  const base = ['taskmanagers', tmId];
  const element = h('div', { class: 'page page-flink-tm', 'data-tm-id': tmId });
  const source = ctx.api.taskManagerLogs(tmId);
  const view = logTab(source, tab, file);
  /** @type {any} */
  let tm;
  /** @type {any[]} */
  let jobs = [];
  /** @type {import('../components/slots.js').PlacedTask[]} */
  let placed = [];
  /** @type {{ name: string, size: number, mtime: number }[] | undefined} */
  let logs;
  const res = pageResources(render);
  const tmR = res.add(async (signal) => {
    const [detail, js] = await Promise.all([ctx.api.taskManager(tmId, signal), tab === 'slots' ? ctx.api.jobs(signal) : Promise.resolve(jobs)]);
    if (tab === 'slots') placed = await loadPlacements(ctx.api, js, signal).catch(() => placed);
    tm = detail;
    jobs = js;
  });
  const logsR = res.add(async (signal) => {
    if (tab === 'log-list' && !file) logs = await source.list(signal);
  });

  function render() {
    mount(
      element,
      res.error ? errorBanner(res.error) : null,
      h(
        'header',
        { class: 'page-head' },
        h('div', { class: 'crumbs' }, h('a', { href: href(['taskmanagers']) }, 'TaskManagers'), ' / ', h('span', { class: 'mono' }, tmId)),
        h('div', { class: 'title-row' }, h('h1', { class: 'app-title mono' }, tmId)),
        tm
          ? facts([
              ['Slots', `${tm.slotsNumber - tm.freeSlots} of ${tm.slotsNumber} used`],
              ['Memory', formatMemory((tm.hardware?.physicalMemory ?? 0) / 1024 / 1024)],
              ['Path', h('span', { class: 'mono small' }, tm.path)],
              ['Last heartbeat', formatTime(tm.timeSinceLastHeartbeat)],
            ])
          : null,
      ),
      tabBar(base, TABS, tab),
      view ? view.element : tab === 'log-list' ? logListPanel(logs, base) : tab === 'metrics' ? metricsView() : slotsView(),
    );
  }

  function slotsView() {
    if (!tm) return panel('Slots', null, h('p', { class: 'muted loading' }, 'Loading…'));
    const names = new Map(jobs.map((j) => [j.jid, j.name]));
    return panel('Slots', h('span', { class: 'muted' }, `${tm.slotsNumber - tm.freeSlots} of ${tm.slotsNumber} slots used`), slotBoxes(tm, names, placed));
  }

  function metricsView() {
    const m = tm?.metrics;
    if (!m) return panel('Memory', null, h('p', { class: 'muted loading' }, 'Loading…'));
    /** @param {number} bytes */
    const size = (bytes) => (bytes < 0 ? '–' : bytes < 1024 * 1024 ? `${formatNumber(Math.round(bytes / 1024))} KB` : formatMemory(bytes / 1024 / 1024));
    /** @type {[string, number, number, number][]} */
    const pools = [
      ['Heap', m.heapUsed, m.heapCommitted, m.heapMax],
      ['Non-heap', m.nonHeapUsed, m.nonHeapCommitted, m.nonHeapMax],
      ['Direct', m.directUsed, m.directMax, m.directMax],
      ['Mapped', m.mappedUsed, m.mappedMax, m.mappedMax],
      ['Network', m.nettyShuffleMemoryUsed, m.nettyShuffleMemoryTotal, m.nettyShuffleMemoryTotal],
    ];
    return h(
      'div',
      { class: 'tm-metrics' },
      panel(
        'Memory',
        h('span', { class: 'muted' }, 'V8 heap for the JVM heap, external memory for non-heap, ArrayBuffers for direct'),
        table(
          [
            { label: 'Pool', cell: (/** @type {[string, number, number, number]} */ r) => r[0] },
            { label: 'Used', cell: (r) => size(r[1]), class: 'num' },
            { label: 'Committed', cell: (r) => size(r[2]), class: 'num' },
            { label: 'Maximum', cell: (r) => size(r[3]), class: 'num' },
          ],
          pools,
          { rowKey: (r) => r[0] },
        ),
      ),
      panel(
        'Network buffers',
        null,
        facts([
          ['Segments used', `${formatNumber(m.nettyShuffleMemorySegmentsUsed)} of ${formatNumber(m.nettyShuffleMemorySegmentsTotal)}`],
          ['Segments available', formatNumber(m.nettyShuffleMemorySegmentsAvailable)],
          ['Direct buffers', formatNumber(m.directCount)],
        ]),
      ),
      panel(
        'Garbage collection',
        null,
        table(
          [
            { label: 'Collector', cell: (/** @type {{ name: string, count: number, time: number }} */ g) => g.name },
            { label: 'Count', cell: (g) => formatNumber(g.count), class: 'num' },
            { label: 'Time', cell: (g) => `${formatNumber(g.time)} ms`, class: 'num' },
          ],
          m.garbageCollectors,
          { rowKey: (g) => g.name, empty: 'Not reported yet.' },
        ),
      ),
    );
  }

  render();
  return {
    title: `TaskManager ${tmId}`,
    element,
    async load() {
      view?.start();
      await res.reloadAll();
    },
    reloadAll: res.reloadAll,
    onChanges() {
      void tmR.reload();
      if (tab === 'log-list') void logsR.reload();
    },
    dispose() {
      view?.dispose();
      res.dispose();
    },
  };
}
