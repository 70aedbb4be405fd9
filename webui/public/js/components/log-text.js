import { h } from '../dom.js';

/**
 * The text of a followed log file: a re-read that only grew appends what grew (so the reader's
 * selection stays), anything else replaces it; kept scrolled to the end while the reader is at
 * the end and following.
 * @param {string} [emptyText] shown while the file is empty
 */
export function followedLogText(emptyText) {
  const pre = h('pre', { class: 'log', 'data-testid': 'log-text', tabindex: '0' });
  let text = '';
  return {
    pre,
    /** @param {string} next @param {boolean} follow */
    show(next, follow) {
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
