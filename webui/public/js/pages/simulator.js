import { h, mount } from '../dom.js';
import { renderReport } from '../sls/report-view.js';

const FORMAT = 'weft-sls-report/1';

/**
 * Reads a report `weft sls` wrote: its report.html (the data sits in `<script id="sls-data">`,
 * read with DOMParser, which runs no script) or that JSON itself.
 * @param {string} text
 * @returns {any}
 */
export function parseReport(text) {
  const trimmed = text.trimStart();
  let json = trimmed;
  if (trimmed.startsWith('<')) {
    const doc = new window.DOMParser().parseFromString(trimmed, 'text/html');
    const data = doc.getElementById('sls-data');
    if (!data) throw new Error('this HTML file is not a weft sls report (it has no sls-data)');
    json = data.textContent ?? '';
  }
  const parsed = JSON.parse(json);
  if (parsed?.format !== FORMAT) throw new Error(`not a weft sls report (format ${JSON.stringify(parsed?.format)}, expected ${FORMAT})`);
  return parsed;
}

/**
 * The scheduler load simulator's report, opened from a file: the same renderer report.html
 * inlines, so what `weft sls --output-dir` wrote reads the same here. Nothing is uploaded.
 * @param {import('./page.js').PageContext} _ctx
 * @returns {import('./page.js').Page}
 */
export function simulatorPage(_ctx) {
  const element = h('div', { class: 'page page-simulator' });
  const status = h('p', { class: 'muted small', 'data-testid': 'sls-status' }, 'Open the report.html that weft sls wrote in its --output-dir.');
  const target = h('div', { 'data-testid': 'sls-report' });
  const input = h('input', {
    type: 'file',
    accept: '.html,.json,text/html,application/json',
    'data-testid': 'sls-file',
    on: {
      change: async (/** @type {Event} */ ev) => {
        const file = /** @type {HTMLInputElement} */ (ev.target).files?.[0];
        if (!file) return;
        try {
          renderReport(target, parseReport(await file.text()));
          status.textContent = file.name;
        } catch (err) {
          target.replaceChildren();
          status.textContent = `${file.name}: ${err instanceof Error ? err.message : String(err)}`;
        }
      },
    },
  });
  mount(
    element,
    h('header', { class: 'page-head' }, h('div', { class: 'title-row' }, h('h1', null, 'Scheduler load simulator')), h('label', null, 'Report ', input), status),
    target,
  );
  return {
    title: 'Simulator',
    element,
    load: async () => {},
    reloadAll: async () => {},
    onChanges: () => {},
    dispose: () => {},
  };
}
