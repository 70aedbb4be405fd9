import { h, mount } from '../dom.js';
import { formatMemory, formatNumber, formatTime } from '../format.js';
import { appIdOf } from '../ids.js';
import { href } from '../router.js';
import { trackingLink } from '../components/app-table.js';
import { progressBar } from '../components/bars.js';
import { errorBanner, facts, panel } from '../components/cards.js';
import { containerTable, containerTimelineRows } from '../components/container-table.js';
import { logLinks, nodeLink } from '../components/links.js';
import { elapsed } from '../components/live-time.js';
import { stateBadge, toneOf } from '../components/state-badge.js';
import { table } from '../components/table.js';
import { timeline } from '../components/timeline.js';
import { pageResources } from './page.js';

const WAITING = new Set(['NEW', 'NEW_SAVING', 'SUBMITTED', 'ACCEPTED']);

/**
 * One application: its facts, why it waits, diagnostics, pending asks, the container timeline,
 * and each attempt with its containers and their logs.
 * @param {import('./page.js').PageContext} ctx
 * @param {string} appId
 * @returns {import('./page.js').Page}
 */
export function appPage(ctx, appId) {
  const element = h('div', { class: 'page page-app' });
  /** @type {any} */
  let app;
  /** @type {any[] | undefined} */
  let attempts;
  /** @type {Map<string, any[]>} */
  const containers = new Map();
  let notFound = false;
  const timelineSlot = h('div', { 'data-testid': 'timeline' });
  const renderTimeline = () =>
    mount(timelineSlot, timeline(containerTimelineRows([...containers.values()].flat()), Date.now(), { empty: 'No containers yet: the timeline starts when the first container is allocated.' }));

  const res = pageResources(render);
  const appR = res.add(async (signal) => {
    try {
      app = await ctx.api.app(appId, signal);
      notFound = false;
    } catch (err) {
      if (err && typeof err === 'object' && 'status' in err && err.status === 404) {
        notFound = true;
        return;
      }
      throw err;
    }
  });
  const containersR = res.add(async (signal) => {
    const list = attempts ?? [];
    const fetched = await Promise.all(list.map((a) => ctx.api.containers(appId, a.appAttemptId, signal).catch(() => [])));
    list.forEach((a, i) => containers.set(a.appAttemptId, fetched[i] ?? []));
  });
  const attemptsR = res.add(async (signal) => {
    attempts = await ctx.api.attempts(appId, signal).catch((err) => {
      if (err?.status === 404) return [];
      throw err;
    });
    await containersR.reload();
  });

  function render() {
    renderTimeline();
    if (notFound) {
      mount(element, h('div', { class: 'panel' }, h('h1', null, 'Application not found'), h('p', { class: 'muted' }, `The ResourceManager does not know ${appId}; it may have been retired from the list of completed applications.`), h('a', { href: href(['apps']) }, '← All applications')));
      return;
    }
    mount(
      element,
      res.error ? errorBanner(res.error) : null,
      app ? header(app) : h('h1', { class: 'mono' }, appId),
      app && WAITING.has(app.state) ? waiting(app) : null,
      app && !WAITING.has(app.state) && app.diagnostics ? h('section', { class: ['diagnostics', app.state === 'FAILED' ? 'tone-bad' : 'tone-muted'] }, h('h2', null, 'Diagnostics'), h('pre', null, app.diagnostics)) : null,
      app ? facts(appFacts(app)) : null,
      app?.resourceRequests?.length ? panel('Outstanding resource requests', null, requestTable(app.resourceRequests)) : null,
      panel('Container timeline', legend(), timelineSlot),
      attempts
        ? attempts
            .slice()
            .sort((a, b) => b.id - a.id)
            .map((a) => attemptPanel(a, containers.get(a.appAttemptId) ?? []))
        : h('p', { class: 'muted' }, 'Loading attempts…'),
    );
  }

  render();
  return {
    title: appId,
    element,
    load: async () => {
      await Promise.all([appR.reload(), attemptsR.reload()]);
    },
    reloadAll: async () => {
      await Promise.all([appR.reload(), attemptsR.reload()]);
    },
    onChanges(changes) {
      const mine = changes.filter((c) => appIdOf(c.id) === appId);
      if (mine.length === 0) return;
      // Every transition may move the app's figures; attempts and containers only when theirs moved.
      void appR.reload();
      if (mine.some((c) => c.kind === 'attempt')) void attemptsR.reload();
      else if (mine.some((c) => c.kind === 'container')) void containersR.reload();
    },
    tick() {
      // Open bars grow with time; only the timeline is redrawn.
      if ([...containers.values()].flat().some((c) => c.containerState !== 'COMPLETE')) renderTimeline();
    },
    dispose: res.dispose,
  };
}

/** @param {any} app */
function header(app) {
  const flink = /flink/i.test(String(app.applicationType));
  return h(
    'header',
    { class: 'page-head' },
    h('div', { class: 'crumbs' }, h('a', { href: href(['apps']) }, 'Applications'), ' / ', h('span', { class: 'mono' }, app.id)),
    h('div', { class: 'title-row' }, h('h1', { class: 'app-title', 'data-testid': 'app-name' }, app.name), stateBadge(app.state), app.finalStatus !== 'UNDEFINED' ? stateBadge(app.finalStatus) : null),
    h(
      'div',
      { class: 'head-actions' },
      progressBar(app.progress ?? 0, toneOf(app.state)),
      app.trackingUrl && app.trackingUI !== 'UNASSIGNED'
        ? h('a', { class: 'button', href: app.trackingUrl, target: '_blank', rel: 'noopener' }, trackingLabel(app, flink))
        : null,
    ),
  );
}

/**
 * A running Flink app's tracking UI is its dashboard; a finished one's proxy link leads to the
 * Flink history server when the JobManager named one (else to a page saying the UI is gone).
 * @param {any} app
 * @param {boolean} flink
 */
function trackingLabel(app, flink) {
  if (!flink) return `${app.trackingUI} ↗`;
  return app.trackingUI === 'ApplicationMaster' ? 'Flink dashboard ↗' : 'Flink history ↗';
}

/** @param {any} app */
function waiting(app) {
  return h(
    'section',
    { class: 'callout tone-wait', role: 'status', 'data-testid': 'why-waiting' },
    h('h2', null, app.state === 'ACCEPTED' ? 'Why it waits' : `Waiting (${app.state})`),
    h('pre', null, app.diagnostics || 'The scheduler has not said yet; it reports on its next pass.'),
  );
}

/**
 * @param {any} app
 * @returns {[string, import('../dom.js').Child][]}
 */
function appFacts(app) {
  return [
    ['User', app.user],
    ['Queue', app.queue],
    ['Type', app.applicationType],
    ['Priority', String(app.priority)],
    ['Tags', app.applicationTags || '–'],
    ['Started', formatTime(app.startedTime)],
    ['Launched', formatTime(app.launchTime)],
    ['Finished', formatTime(app.finishedTime)],
    ['Elapsed', elapsed(app.startedTime, app.finishedTime)],
    ['Allocated', `${formatMemory(app.allocatedMB)}, ${formatNumber(app.allocatedVCores)} vcores`],
    ['Running containers', formatNumber(app.runningContainers)],
    ['Usage', `${formatNumber(app.memorySeconds)} MB·s, ${formatNumber(app.vcoreSeconds)} vcore·s`],
    ['Tracking', trackingLink(app)],
    ['AM host', app.amHostHttpAddress ?? '–'],
    ['Unmanaged AM', app.unmanagedApplication ? 'yes' : 'no'],
  ];
}

/** @param {any[]} requests */
function requestTable(requests) {
  /** @type {import('../components/table.js').Column<any>[]} */
  const columns = [
    { label: 'Priority', cell: (r) => String(r.priority?.priority ?? ''), class: 'right' },
    { label: 'Resource name', cell: (r) => h('span', { class: 'mono' }, r.resourceName) },
    { label: 'Capability', cell: (r) => `${formatMemory(r.capability?.memory)}, ${r.capability?.virtualCores} vcores` },
    { label: 'Containers', cell: (r) => h('span', { class: 'num' }, formatNumber(r.numContainers)), class: 'right' },
    { label: 'Relax locality', cell: (r) => (r.relaxLocality ? 'yes' : 'no') },
    { label: 'Label', cell: (r) => r.nodeLabelExpression || '–' },
  ];
  return table(columns, requests);
}

/**
 * @param {any} a appAttempt
 * @param {any[]} list its containers
 */
function attemptPanel(a, list) {
  return h(
    'section',
    { class: 'panel attempt', 'data-attempt': a.appAttemptId },
    h(
      'header',
      { class: 'panel-head' },
      h('h2', null, `Attempt ${a.id}`, ' ', h('span', { class: 'mono muted small' }, a.appAttemptId)),
      h('div', { class: 'panel-aside' }, stateBadge(a.appAttemptState)),
    ),
    facts([
      ['Started', formatTime(a.startTime)],
      ['Finished', formatTime(a.finishedTime)],
      ['Elapsed', elapsed(a.startTime, a.finishedTime)],
      ['AM node', a.nodeId ? nodeLink(a.nodeId) : '–'],
      ['AM container', a.containerId ? h('span', { class: 'mono' }, a.containerId) : '–'],
      ['AM logs', a.containerId ? logLinks(a.nodeHttpAddress, a.containerId) : '–'],
      ['Blacklisted nodes', a.blacklistedNodes || '–'],
    ]),
    a.diagnosticsInfo ? h('pre', { class: 'diag-block' }, a.diagnosticsInfo) : null,
    containerTable(list),
  );
}

function legend() {
  return h(
    'span',
    { class: 'legend' },
    [
      ['run', 'running'],
      ['wait', 'allocated'],
      ['ok', 'exit 0'],
      ['bad', 'failed'],
      ['muted', 'killed / released'],
    ].map(([tone, label]) => h('span', { class: 'legend-item' }, h('span', { class: ['swatch', `tone-${tone}`] }), label)),
  );
}
