import { h, mount } from '../dom.js';
import { formatMemory, formatNumber } from '../format.js';
import { href } from '../router.js';
import { usageBar } from '../components/bars.js';
import { errorBanner, facts, panel } from '../components/cards.js';
import { containerTimelineRows } from '../components/container-table.js';
import { appLink, nmBase } from '../components/links.js';
import { ago } from '../components/live-time.js';
import { stateBadge } from '../components/state-badge.js';
import { timeline } from '../components/timeline.js';
import { pageResources } from './page.js';

/** Applications whose containers are looked up for a node's timeline: live ones and recent ones. */
const MAX_APPS = 25;
const RECENT_MS = 60 * 60 * 1000;

/**
 * One node: its report and a timeline of the containers it ran, gathered from the containers
 * lists of live and recently finished applications (the RM has no per-node container list).
 * @param {import('./page.js').PageContext} ctx
 * @param {string} nodeId
 * @returns {import('./page.js').Page}
 */
export function nodePage(ctx, nodeId) {
  const element = h('div', { class: 'page page-node' });
  /** @type {any} */
  let node;
  /** @type {{ appId: string, c: any }[] | undefined} */
  let here;
  const timelineSlot = h('div', { 'data-testid': 'node-timeline' });
  const res = pageResources(render);
  const nodeR = res.add(async (signal) => {
    node = await ctx.api.node(nodeId, signal);
  });
  const containersR = res.add(async (signal) => {
    const now = Date.now();
    const apps = (await ctx.api.apps(signal))
      .filter((a) => !a.finishedTime || now - a.finishedTime < RECENT_MS)
      .sort((a, b) => b.startedTime - a.startedTime)
      .slice(0, MAX_APPS);
    const perApp = await Promise.all(
      apps.map(async (a) => {
        const attempts = await ctx.api.attempts(a.id, signal).catch(() => []);
        const lists = await Promise.all(attempts.map((t) => ctx.api.containers(a.id, t.appAttemptId, signal).catch(() => [])));
        return lists.flat().map((c) => ({ appId: a.id, c }));
      }),
    );
    here = perApp.flat().filter(({ c }) => c.nodeId === nodeId || c.assignedNodeId === nodeId);
  });

  const renderTimeline = () => {
    if (!here) {
      mount(timelineSlot, h('p', { class: 'muted' }, 'Loading containers…'));
      return;
    }
    const rows = containerTimelineRows(here.map(({ c }) => c)).map((r) => ({ ...r, sublabel: r.id.replace(/^container_(e\d+_)?\d+_/, 'app ').replace(/_\d+_\d+$/, '') }));
    mount(timelineSlot, timeline(rows, Date.now(), { empty: 'No containers of live or recent applications ran here.' }));
  };

  function render() {
    renderTimeline();
    const apps = here ? [...new Set(here.map((x) => x.appId))] : [];
    mount(
      element,
      res.error ? errorBanner(res.error) : null,
      h('header', { class: 'page-head' }, h('div', { class: 'crumbs' }, h('a', { href: href(['nodes']) }, 'Nodes'), ' / ', h('span', { class: 'mono' }, nodeId)), h('div', { class: 'title-row' }, h('h1', { class: 'mono' }, nodeId), node ? stateBadge(node.state) : null)),
      node
        ? facts([
            ['Health', node.healthReport || 'healthy'],
            ['Last heartbeat', ago(node.lastHealthUpdate)],
            ['Containers', formatNumber(node.numContainers)],
            ['Memory', usageBar(node.usedMemoryMB, node.usedMemoryMB + node.availMemoryMB, formatMemory)],
            ['VCores', usageBar(node.usedVirtualCores, node.usedVirtualCores + node.availableVirtualCores, formatNumber)],
            ['Rack', node.rack],
            ['NodeManager', node.nodeHTTPAddress ? h('a', { href: nmBase(node.nodeHTTPAddress), target: '_blank', rel: 'noopener', class: 'mono' }, node.nodeHTTPAddress) : '–'],
            ['Version', node.version],
          ])
        : null,
      panel('Container timeline', apps.length ? h('span', { class: 'muted' }, 'applications: ', apps.flatMap((id, i) => [i ? ', ' : '', appLink(id)])) : null, timelineSlot),
    );
  }

  render();
  return {
    title: nodeId,
    element,
    load: res.reloadAll,
    reloadAll: res.reloadAll,
    onChanges(changes) {
      if (changes.some((c) => c.kind === 'node' && c.id === nodeId) || changes.some((c) => c.kind === 'container')) void nodeR.reload();
      if (changes.some((c) => c.kind === 'container')) void containersR.reload();
    },
    tick() {
      if (here?.some(({ c }) => c.containerState !== 'COMPLETE')) renderTimeline();
    },
    dispose: res.dispose,
  };
}
