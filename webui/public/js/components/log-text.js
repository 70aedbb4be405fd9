import { h } from '../dom.js';

/**
 * The text of a followed log file and its "follow" box: a re-read that only grew appends what
 * grew (so the reader's selection stays), anything else replaces it; kept scrolled to the end
 * while the reader is at the end and following.
 * @param {{ emptyText?: string, onFollow: () => void }} options `emptyText` is shown while the
 *   file is empty; `onFollow` runs when the reader ticks the box again (re-read now).
 */
export function followedLogText({ emptyText, onFollow }) {
  const pre = h('pre', { class: 'log', 'data-testid': 'log-text', tabindex: '0' });
  let text = '';
  let follow = true;
  const box = h('input', {
    type: 'checkbox',
    checked: true,
    on: {
      change: (/** @type {Event} */ ev) => {
        follow = /** @type {HTMLInputElement} */ (ev.target).checked;
        if (follow) onFollow();
      },
    },
  });
  return {
    pre,
    followControl: h('label', { class: 'follow' }, box, ' follow'),
    /** Whether to keep re-reading. */
    get following() {
      return follow;
    },
    /** @param {string} next */
    show(next) {
      const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 40;
      if (next === '') {
        pre.textContent = '';
        if (emptyText) pre.appendChild(h('span', { class: 'muted' }, emptyText));
      } else if (text !== '' && next.startsWith(text)) {
        if (next.length > text.length) pre.appendChild(document.createTextNode(next.slice(text.length)));
      } else {
        pre.textContent = next;
      }
      text = next;
      if (atBottom && follow) pre.scrollTop = pre.scrollHeight;
    },
  };
}
