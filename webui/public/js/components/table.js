import { h } from '../dom.js';

/**
 * A compact table from column specs. `cell` returns text or nodes; nothing is parsed as HTML.
 *
 * @template T
 * @typedef {{ label: string, cell: (row: T) => import('../dom.js').Child, class?: string, title?: string }} Column
 */

/**
 * @template T
 * @param {Column<T>[]} columns
 * @param {T[]} rows
 * @param {{ empty?: string, rowKey?: (row: T) => string, rowClass?: (row: T) => string | undefined, caption?: string }} [options]
 */
export function table(columns, rows, options = {}) {
  const head = h('thead', null, h('tr', null, columns.map((c) => h('th', { class: c.class, title: c.title, scope: 'col' }, c.label))));
  const body = h(
    'tbody',
    null,
    rows.length === 0
      ? h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, options.empty ?? 'Nothing here yet.'))
      : rows.map((row) =>
          h(
            'tr',
            { 'data-key': options.rowKey?.(row), class: options.rowClass?.(row) },
            columns.map((c) => h('td', { class: c.class }, c.cell(row))),
          ),
        ),
  );
  return h('div', { class: 'table-wrap' }, h('table', { class: 'grid' }, options.caption ? h('caption', null, options.caption) : null, head, body));
}
