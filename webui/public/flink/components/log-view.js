import { h, mount } from '../../js/dom.js';
import { formatTime } from '../../js/format.js';
import { table } from '../../js/components/table.js';
import { followedLogText } from '../../js/components/log-text.js';

const FOLLOW_MS = 3000;

/**
 * Flink's Logs / Stdout / Log List tabs of a TaskManager or the JobManager: one file followed
 * (re-read every few seconds, appending what grew, scrolled to the end while at the end), or the
 * log directory as a table whose names open the file.
 *
 * @typedef {ReturnType<import('../api.js').FlinkApi['logs']>} LogSource
 */

/** @param {number} bytes */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '–';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * One log file, followed.
 * @param {LogSource} source
 * @param {string} which `log`, `stdout` or `logs/<name>`
 * @param {string} emptyText shown when the file is empty
 * @returns {{ element: HTMLElement, start: () => void, dispose: () => void }}
 */
export function logFileView(source, which, emptyText) {
  const log = followedLogText({ emptyText, onFollow: () => void poll() });
  const status = h('span', { class: 'muted small' });
  const banner = h('div');
  const element = h(
    'section',
    { class: 'panel log-panel' },
    h(
      'header',
      { class: 'panel-head' },
      h('h2', null, which.replace(/^logs\//, '')),
      h('div', { class: 'panel-aside' }, log.followControl, h('a', { class: 'button', href: source.url(which), target: '_blank', rel: 'noopener' }, 'Raw ↗'), status),
    ),
    banner,
    log.pre,
  );
  let stopped = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const controller = new AbortController();

  async function poll() {
    clearTimeout(timer);
    if (stopped) return;
    try {
      log.show(await source.read(which, controller.signal));
      mount(banner);
      status.textContent = `updated ${new Date().toLocaleTimeString('en-GB', { hour12: false })}`;
    } catch (err) {
      if (controller.signal.aborted) return;
      mount(banner, h('div', { class: 'banner tone-wait', role: 'alert' }, err instanceof Error ? err.message : String(err)));
    }
    if (log.following && !stopped) timer = setTimeout(() => void poll(), FOLLOW_MS);
  }

  return {
    element,
    start: () => void poll(),
    dispose() {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
    },
  };
}

/**
 * The log directory as a table; each name links to the file's view.
 * @param {{ name: string, size: number, mtime: number }[] | undefined} logs
 * @param {(name: string) => string} hrefOf
 */
export function logListTable(logs, hrefOf) {
  if (!logs) return h('p', { class: 'muted loading' }, 'Loading…');
  return table(
    [
      { label: 'Log Name', cell: (l) => h('a', { href: hrefOf(l.name), class: 'mono', 'data-log-name': l.name }, l.name) },
      { label: 'Size', cell: (l) => formatBytes(l.size), class: 'num right' },
      { label: 'Last Modified', cell: (l) => (l.mtime ? formatTime(l.mtime) : '–'), class: 'num nowrap' },
    ],
    logs,
    { empty: 'No log files: this process was started without a log file (taskmanager.log.path / web.log.path).', rowKey: (l) => l.name },
  );
}
