import { h } from './dom.js';
import { LiveConnection } from './live.js';
import { currentRoute } from './router.js';
import { tickTimes } from './components/live-time.js';

/**
 * Runs a UI on the shared shell (the cluster UI and the Flink dashboard): the route → page switch,
 * the shell's identity line, the live connection that forwards pushed changes to the open page
 * (and reloads everything after a resync), and the one-second ticker for moving times. Without an
 * `eventsUrl` (the history server's archive) there is nothing to listen to: the page is re-read
 * every `refreshMs` instead.
 * @param {{
 *   shell: import('./shell.js').Shell,
 *   ctx: unknown,
 *   routes: { nav: string, match: (path: string[]) => boolean, create: (ctx: any, route: any) => any }[],
 *   notFound: { href: string, label: string },
 *   identity: () => Promise<void>,
 *   eventsUrl: string,
 *   refreshMs?: number,
 * }} app
 */
export function runApp(app) {
  const { shell, ctx, routes } = app;
  /** @type {any} */
  let page;

  function route() {
    page?.dispose();
    const r = currentRoute();
    const spec = routes.find((s) => s.match(r.path));
    if (!spec) {
      page = undefined;
      shell.renderNav('');
      shell.show(h('div', { class: 'page' }, h('h1', null, 'Not found'), h('p', null, h('a', { href: app.notFound.href }, app.notFound.label))), 'Not found');
      return;
    }
    page = spec.create(ctx, r);
    shell.renderNav(spec.nav);
    shell.show(page.element, page.title);
    void page.load();
  }

  const live = app.eventsUrl
    ? new LiveConnection(app.eventsUrl, {
        onChanges: (changes) => page?.onChanges(changes),
        onResync: () => {
          void app.identity();
          void page?.reloadAll();
        },
        onStatus: (status, detail) => shell.setLive(status, detail),
      })
    : undefined;

  window.addEventListener('hashchange', route);
  setInterval(() => {
    tickTimes(document);
    page?.tick?.();
  }, 1000);
  void app.identity();
  route();
  if (live) {
    live.start();
  } else {
    const every = app.refreshMs ?? 10_000;
    shell.setLive('archive', `archived data, re-read every ${Math.round(every / 1000)} s`);
    setInterval(() => void page?.reloadAll(), every);
  }
}
