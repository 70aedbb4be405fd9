/**
 * What every page is. The shell creates one per route, calls `load()` once, forwards pushed
 * changes to `onChanges` and calls `reloadAll()` after a reconnect or resync.
 *
 * @typedef {import('../live.js').Change} Change
 * @typedef {{ api: import('../api.js').Api }} PageContext
 * @typedef {{
 *   title: string,
 *   element: HTMLElement,
 *   load: () => Promise<void>,
 *   reloadAll: () => Promise<void>,
 *   onChanges: (changes: Change[]) => void,
 *   tick?: () => void,
 *   dispose: () => void,
 * }} Page
 */

import { Reloader } from '../reloader.js';

/**
 * A page's resources: each one a single-flight reloader; the first error is kept for the banner
 * until a later load succeeds.
 * @param {() => void} render
 */
export function pageResources(render) {
  /** @type {Reloader[]} */
  const all = [];
  const state = {
    /** @type {string} */
    error: '',
    /**
     * @param {(signal: AbortSignal) => Promise<void>} load
     */
    add(load) {
      const r = new Reloader(
        async (signal) => {
          await load(signal);
          state.error = '';
          render();
        },
        (err) => {
          state.error = err instanceof Error ? err.message : String(err);
          render();
        },
      );
      all.push(r);
      return r;
    },
    reloadAll: async () => {
      await Promise.all(all.map((r) => r.reload()));
    },
    dispose: () => {
      for (const r of all) r.dispose();
    },
  };
  return state;
}

/**
 * @param {Change[]} changes
 * @param {Change['kind']} kind
 */
export const has = (changes, kind) => changes.some((c) => c.kind === kind);
