import type { CoGroupFunction } from '../../api/functions/join-functions.ts';
import type { InternalWindowFunction } from './internal-window-function.ts';
import type { Window } from './window.ts';

/**
 * An element of either input of a coGroup or join, in the one stream the window operator sees
 * (Flink's TaggedUnion): tag 1 for the first input, 2 for the second. A plain object, so it keeps
 * its shape across the network.
 */
export type TaggedUnion<T1, T2> = { readonly tag: 1; readonly value: T1 } | { readonly tag: 2; readonly value: T2 };

/**
 * Splits a window's tagged elements back into the two inputs and calls the coGroup function
 * (Flink's CoGroupWindowFunction).
 */
export function coGroupWindowFunction<T1, T2, OUT, K, W extends Window>(fn: CoGroupFunction<T1, T2, OUT>): InternalWindowFunction<TaggedUnion<T1, T2>, OUT, K, W> {
  const coGroup = typeof fn === 'function' ? fn : fn.coGroup.bind(fn);
  return {
    process: (_key, _window, _ctx, elements, out) => {
      const first: T1[] = [];
      const second: T2[] = [];
      for (const e of elements) {
        if (e.tag === 1) first.push(e.value);
        else second.push(e.value);
      }
      coGroup(first, second, out);
    },
    clear: () => {},
    description: 'CoGroupWindowFunction',
  };
}
