import { h, mount } from '../dom.js';
import { href } from '../router.js';
import { appTable } from '../components/app-table.js';
import { errorBanner, panel } from '../components/cards.js';
import { appIdOf } from '../ids.js';
import { has, pageResources } from './page.js';

const STATES = ['NEW', 'NEW_SAVING', 'SUBMITTED', 'ACCEPTED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED'];
/** Changed apps fetched one by one; above this the whole list is re-read. */
const MAX_SINGLE_FETCHES = 10;

/**
 * All applications, filterable by state (`#/apps?state=RUNNING`) and by text.
 * @param {import('./page.js').PageContext} ctx
 * @param {URLSearchParams} query
 * @returns {import('./page.js').Page}
 */
export function appsPage(ctx, query) {
  const element = h('div', { class: 'page page-apps' });
  const stateFilter = (query.get('state') ?? '').toUpperCase();
  let text = query.get('q') ?? '';
  /** @type {Map<string, any> | undefined} */
  let apps;
  const res = pageResources(render);
  const listR = res.add(async (signal) => {
    apps = new Map((await ctx.api.apps(signal)).map((a) => [a.id, a]));
  });
  /** @type {Set<string>} */
  const changed = new Set();
  const changedR = res.add(async (signal) => {
    const ids = [...changed];
    changed.clear();
    const fetched = await Promise.all(ids.map((id) => ctx.api.app(id, signal).catch(() => undefined)));
    for (const [i, app] of fetched.entries()) {
      if (app) apps?.set(app.id, app);
      else apps?.delete(ids[i] ?? '');
    }
  });

  const search = h('input', {
    type: 'search',
    class: 'search',
    placeholder: 'Filter by id, name, user, queue, type',
    value: text,
    'aria-label': 'Filter applications',
    on: {
      input: (/** @type {Event} */ ev) => {
        text = /** @type {HTMLInputElement} */ (ev.target).value;
        renderTable();
      },
    },
  });
  const tableSlot = h('div');
  const chipsSlot = h('div', { class: 'chips', role: 'tablist' });
  const bannerSlot = h('div');
  mount(element, bannerSlot, panel('Applications', search, chipsSlot, tableSlot));

  function render() {
    mount(bannerSlot, res.error ? errorBanner(res.error) : null);
    renderChips();
    renderTable();
  }

  function renderChips() {
    const all = apps ? [...apps.values()] : [];
    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const a of all) counts.set(a.state, (counts.get(a.state) ?? 0) + 1);
    const chip = (/** @type {string} */ state, /** @type {string} */ label, /** @type {number} */ n) =>
      h('a', { class: ['chip', 'filter', state === stateFilter ? 'active' : null], href: href(['apps'], { state: state || undefined, q: text || undefined }), role: 'tab', 'aria-selected': String(state === stateFilter), 'data-state': state || 'ALL' }, label, h('b', { class: 'num' }, ` ${n}`));
    mount(chipsSlot, chip('', 'All', all.length), STATES.filter((s) => counts.has(s) || ['ACCEPTED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED'].includes(s)).map((s) => chip(s, s, counts.get(s) ?? 0)));
  }

  function renderTable() {
    if (!apps) {
      mount(tableSlot, h('p', { class: 'muted' }, 'Loading…'));
      return;
    }
    const needle = text.trim().toLowerCase();
    const rows = [...apps.values()].filter(
      (a) => (!stateFilter || a.state === stateFilter) && (!needle || [a.id, a.name, a.user, a.queue, a.applicationType].some((f) => String(f).toLowerCase().includes(needle))),
    );
    mount(tableSlot, appTable(rows, { empty: stateFilter || needle ? 'No application matches the filter.' : 'No applications yet.' }));
  }

  render();
  return {
    title: stateFilter ? `Applications · ${stateFilter}` : 'Applications',
    element,
    load: () => listR.reload(),
    reloadAll: () => listR.reload(),
    onChanges(changes) {
      // Progress and tracking move with app and attempt transitions; containers show on the app page.
      if (!has(changes, 'app') && !has(changes, 'attempt')) return;
      const ids = new Set(changes.filter((c) => c.kind === 'app' || c.kind === 'attempt').map((c) => appIdOf(c.id)).filter((id) => id !== undefined));
      if (!apps || ids.size > MAX_SINGLE_FETCHES) {
        void listR.reload();
        return;
      }
      for (const id of ids) changed.add(id);
      void changedR.reload();
    },
    dispose: res.dispose,
  };
}
