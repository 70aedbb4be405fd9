import { h, mount } from './dom.js';

/**
 * The frame around every page: brand, cluster identity, navigation and the live-connection dot.
 * Navigation comes in sections so dashboards that arrive later (the Flink JobManager's, reached
 * through `/proxy/<appId>/`) add a section instead of changing the shell.
 *
 * @typedef {{ id: string, label: string, href: string }} NavItem
 * @typedef {{ title: string, items: NavItem[] }} NavSection
 */
export class Shell {
  /**
   * @param {HTMLElement} root
   * @param {{ product: string, sections: NavSection[] }} options
   */
  constructor(root, options) {
    this.options = options;
    this.identity = h('span', { class: 'identity', 'data-testid': 'identity' });
    this.dot = h('span', { class: 'live-dot', 'data-status': 'connecting', title: 'connecting', 'data-testid': 'live-dot' });
    this.dotLabel = h('span', { class: 'live-label' }, 'connecting');
    this.nav = h('nav', { class: 'nav', 'aria-label': 'Main' });
    this.main = h('main', { class: 'main', id: 'main', tabindex: '-1' });
    const header = h(
      'header',
      { class: 'top' },
      h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), options.product),
      this.identity,
      this.nav,
      h('span', { class: 'live', role: 'status', 'aria-live': 'polite' }, this.dot, this.dotLabel),
    );
    mount(root, header, this.main);
    this.renderNav('');
  }

  /** @param {string} activeId */
  renderNav(activeId) {
    mount(
      this.nav,
      this.options.sections.map((s) =>
        h(
          'div',
          { class: 'nav-section', 'data-section': s.title },
          this.options.sections.length > 1 ? h('span', { class: 'nav-title' }, s.title) : null,
          s.items.map((item) => h('a', { href: item.href, class: ['nav-item', item.id === activeId ? 'active' : null], 'aria-current': item.id === activeId ? 'page' : undefined }, item.label)),
        ),
      ),
    );
  }

  /**
   * @param {string} name
   * @param {string} detail
   */
  setIdentity(name, detail) {
    mount(this.identity, h('b', null, name), ' ', h('span', { class: 'muted' }, detail));
  }

  /**
   * @param {import('./live.js').LiveStatus | 'archive'} status `archive`: a read-only view with no live connection (the history server)
   * @param {string} detail
   */
  setLive(status, detail) {
    this.dot.dataset.status = status;
    this.dot.title = detail;
    this.dotLabel.textContent = status === 'live' ? 'live' : status === 'connecting' ? 'connecting' : status === 'archive' ? 'archive' : 'offline';
    this.dotLabel.title = detail;
  }

  /**
   * @param {HTMLElement} page
   * @param {string} title
   */
  show(page, title) {
    mount(this.main, page);
    document.title = `${title} · ${this.options.product}`;
  }
}
