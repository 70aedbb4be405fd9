import { h } from '../dom.js';

/**
 * A headline figure with a label and optional detail line and body (a bar, a breakdown).
 * @param {{ label: string, value: import('../dom.js').Child, detail?: import('../dom.js').Child, body?: import('../dom.js').Child, testId?: string }} spec
 */
export function card(spec) {
  return h(
    'section',
    { class: 'card', 'data-testid': spec.testId },
    h('div', { class: 'card-label' }, spec.label),
    h('div', { class: 'card-value num' }, spec.value),
    spec.detail !== undefined ? h('div', { class: 'card-detail' }, spec.detail) : null,
    spec.body ?? null,
  );
}

/**
 * @param {string} title
 * @param {import('../dom.js').Child} [aside]
 * @param {...import('../dom.js').Child} content
 */
export function panel(title, aside, ...content) {
  return h('section', { class: 'panel' }, h('header', { class: 'panel-head' }, h('h2', null, title), aside ? h('div', { class: 'panel-aside' }, aside) : null), ...content);
}

/**
 * A definition list of label/value pairs.
 * @param {[string, import('../dom.js').Child][]} pairs
 */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([k, v]) => h('div', { class: 'fact' }, h('dt', null, k), h('dd', null, v))));
}

/**
 * @param {string} message
 */
export function errorBanner(message) {
  return h('div', { class: 'banner tone-bad', role: 'alert' }, message);
}
