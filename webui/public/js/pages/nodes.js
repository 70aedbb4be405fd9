import { h, mount } from '../dom.js';
import { errorBanner, panel } from '../components/cards.js';
import { nodeTable } from '../components/node-table.js';
import { pageResources } from './page.js';

/**
 * Every node the RM knows, active and gone.
 * @param {import('./page.js').PageContext} ctx
 * @returns {import('./page.js').Page}
 */
export function nodesPage(ctx) {
  const element = h('div', { class: 'page page-nodes' });
  /** @type {any[] | undefined} */
  let nodes;
  const res = pageResources(render);
  const nodesR = res.add(async (signal) => {
    nodes = await ctx.api.nodes(signal);
  });

  function render() {
    const active = nodes?.filter((n) => n.state === 'RUNNING').length ?? 0;
    mount(
      element,
      res.error ? errorBanner(res.error) : null,
      panel('Nodes', nodes ? h('span', { class: 'muted' }, `${active} running of ${nodes.length}`) : null, nodes ? nodeTable(nodes) : h('p', { class: 'muted' }, 'Loading…')),
    );
  }

  render();
  return {
    title: 'Nodes',
    element,
    load: res.reloadAll,
    reloadAll: res.reloadAll,
    onChanges(changes) {
      // Container changes move the used/available figures.
      if (changes.some((c) => c.kind === 'node' || c.kind === 'container')) void nodesR.reload();
    },
    dispose: res.dispose,
  };
}
