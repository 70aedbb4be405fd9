import { h } from '../../js/dom.js';
import { href } from '../../js/router.js';
import { panel } from '../../js/components/cards.js';
import { logFileView, logListTable } from './log-view.js';

/** The log tabs Flink's TaskManager and JobManager pages have, after their own first tab. */
export const LOG_TABS = /** @type {const} */ ([
  ['logs', 'Logs'],
  ['stdout', 'Stdout'],
  ['log-list', 'Log List'],
]);

/**
 * The tab bar of a process page.
 * @param {string[]} base route of the page (`['taskmanagers', id]`)
 * @param {readonly (readonly [string, string])[]} tabs first is the default
 * @param {string} active
 */
export function tabBar(base, tabs, active) {
  return h(
    'nav',
    { class: 'tabs', 'aria-label': 'Sections' },
    tabs.map(([id, label], i) => h('a', { href: href(base, { tab: i === 0 ? undefined : id }), class: ['tab', id === active ? 'active' : null], 'aria-current': id === active ? 'page' : undefined, 'data-tab': id }, label)),
  );
}

/**
 * What a log tab shows: the followed log, stdout, or the log list (and a file picked from it).
 * `list` is re-read by the page; the file views poll on their own.
 * @param {import('./log-view.js').LogSource} source
 * @param {string} tab
 * @param {string} file `?file=` on the log-list tab
 */
export function logTab(source, tab, file) {
  if (tab === 'logs') return logFileView(source, 'log', 'The log is empty.');
  if (tab === 'stdout') return logFileView(source, 'stdout', 'Nothing printed yet: print() sinks and user code write here.');
  if (file) return logFileView(source, `logs/${encodeURIComponent(file)}`, 'The file is empty.');
  return undefined;
}

/**
 * @param {{ name: string, size: number, mtime: number }[] | undefined} logs
 * @param {string[]} base
 */
export function logListPanel(logs, base) {
  return panel('Log List', null, logListTable(logs, (name) => href(base, { tab: 'log-list', file: name })));
}
