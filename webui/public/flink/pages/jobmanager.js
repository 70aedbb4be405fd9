import { h, mount } from '../../js/dom.js';
import { errorBanner, panel } from '../../js/components/cards.js';
import { table } from '../../js/components/table.js';
import { pageResources } from '../../js/pages/page.js';
import { LOG_TABS, logListPanel, logTab, tabBar } from '../components/log-tabs.js';

const TABS = [['config', 'Configuration'], ...LOG_TABS];

/**
 * The JobManager (Flink's Job Manager page): its configuration (`/jobmanager/config`) and the
 * Logs, Stdout and Log List tabs (`/jobmanager/log`, `/stdout`, `/logs`, `/logs/:name`).
 * @param {{ api: import('../api.js').FlinkApi }} ctx
 * @param {URLSearchParams} query
 */
export function jobManagerPage(ctx, query) {
  const tab = TABS.some(([id]) => id === query.get('tab')) ? String(query.get('tab')) : 'config';
  const file = query.get('file') ?? '';
  const base = ['jobmanager'];
  const element = h('div', { class: 'page page-flink-jm' });
  const source = ctx.api.logs('jobmanager');
  const view = logTab(source, tab, file);
  /** @type {{ key: string, value: string }[] | undefined} */
  let config;
  /** @type {{ name: string, size: number, mtime: number }[] | undefined} */
  let logs;
  const res = pageResources(render);
  res.add(async (signal) => {
    if (tab === 'config') config = await ctx.api.jobManagerConfig(signal);
    if (tab === 'log-list' && !file) logs = await source.list(signal);
  });

  function render() {
    mount(
      element,
      res.error ? errorBanner(res.error) : null,
      h('header', { class: 'page-head' }, h('div', { class: 'title-row' }, h('h1', null, 'Job Manager'))),
      tabBar(base, TABS, tab),
      view ? view.element : tab === 'log-list' ? logListPanel(logs, base) : configView(),
    );
  }

  function configView() {
    if (!config) return panel('Configuration', null, h('p', { class: 'muted loading' }, 'Loading…'));
    const rows = [...config].sort((a, b) => a.key.localeCompare(b.key));
    return panel(
      'Configuration',
      null,
      table(
        [
          { label: 'Key', cell: (r) => h('span', { class: 'mono' }, r.key) },
          { label: 'Value', cell: (r) => h('span', { class: 'mono' }, r.value), class: 'wide' },
        ],
        rows,
        { empty: 'Every option has its default.', rowKey: (r) => r.key },
      ),
    );
  }

  render();
  return {
    title: 'Job Manager',
    element,
    async load() {
      view?.start();
      await res.reloadAll();
    },
    reloadAll: res.reloadAll,
    onChanges() {},
    dispose() {
      view?.dispose();
      res.dispose();
    },
  };
}
