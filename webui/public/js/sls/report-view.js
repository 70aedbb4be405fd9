/**
 * The scheduler load simulator's report: the charts SLS draws (running applications and
 * containers, cluster memory and vcores, queue allocation, scheduler operation costs), queue
 * pending, a cost table per kind of job, a jobs table and a Gantt of the tracked jobs' AM and task
 * containers. One self-contained module with no imports: `weft sls` inlines it into report.html,
 * and the web UI's simulator page imports it to open a report.
 *
 * Builds DOM and SVG nodes only (text through textContent), never HTML strings.
 */

const SVG = 'http://www.w3.org/2000/svg';
const KIND_COLORS = { am: '#8e5bd0', task: '#2f6fdb', taskmanager: '#2e9e5b' };
const COLORS = ['#2f6fdb', '#d9534f', '#2e9e5b', '#e69a1c', '#8e5bd0', '#1aa3a3', '#c2477a', '#6b7a8f', '#a3782f', '#4f9d2d'];

const STYLE = `
.sls-report { font: 14px/1.4 system-ui, sans-serif; max-width: 1200px; margin: 0 auto; padding: 16px; color: CanvasText; }
.sls-report h1 { font-size: 22px; margin: 0 0 4px; }
.sls-report h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid color-mix(in srgb, CanvasText 20%, transparent); padding-bottom: 4px; }
.sls-report .sls-sub { color: color-mix(in srgb, CanvasText 60%, transparent); margin-bottom: 12px; }
.sls-report .sls-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 8px; }
.sls-report .sls-card { border: 1px solid color-mix(in srgb, CanvasText 15%, transparent); border-radius: 6px; padding: 8px 10px; }
.sls-report .sls-card b { display: block; font-size: 18px; }
.sls-report .sls-card span { color: color-mix(in srgb, CanvasText 60%, transparent); font-size: 12px; }
.sls-report .sls-charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 16px; }
.sls-report figure { margin: 0; }
.sls-report figcaption { font-weight: 600; margin-bottom: 4px; }
.sls-report svg text { fill: currentColor; font-size: 11px; }
.sls-report .sls-legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 12px; }
.sls-report .sls-legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
.sls-report table { border-collapse: collapse; width: 100%; font-size: 13px; }
.sls-report th, .sls-report td { text-align: left; padding: 3px 8px; border-bottom: 1px solid color-mix(in srgb, CanvasText 12%, transparent); vertical-align: top; }
.sls-report td.num, .sls-report th.num { text-align: right; font-variant-numeric: tabular-nums; }
.sls-report .sls-empty { padding: 24px; border: 1px dashed color-mix(in srgb, CanvasText 30%, transparent); border-radius: 6px; }
.sls-report .sls-gantt-job { margin-bottom: 14px; }
.sls-report .sls-reason { color: color-mix(in srgb, CanvasText 65%, transparent); font-size: 12px; max-width: 520px; }
`;

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Simulated seconds as h:mm:ss. */
export function formatClock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const pad = (n) => String(n).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : '–');

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

/** A line chart of sample fields over simulated time. */
function lineChart(title, samples, series, unit) {
  const W = 560;
  const H = 220;
  const L = 56;
  const R = 10;
  const T = 10;
  const B = 28;
  const fig = el('figure');
  fig.append(el('figcaption', {}, [`${title} (${unit})`]));
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': title });
  const t0 = samples[0]?.['simulated.time'] ?? 0;
  const t1 = Math.max(t0 + 1, samples[samples.length - 1]?.['simulated.time'] ?? 1);
  let max = 0;
  for (const s of samples) for (const { key } of series) max = Math.max(max, s[key] ?? 0);
  max = niceMax(max);
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v) => T + (1 - v / max) * (H - T - B);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    root.append(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: 'currentColor', 'stroke-opacity': 0.12 }));
    root.append(svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v, 2)));
  }
  for (let i = 0; i <= 5; i++) {
    const t = t0 + ((t1 - t0) * i) / 5;
    root.append(svg('text', { x: x(t), y: H - 8, 'text-anchor': i === 0 ? 'start' : i === 5 ? 'end' : 'middle' }, formatClock(t)));
  }
  series.forEach(({ key }, i) => {
    const pts = samples.map((s) => `${x(s['simulated.time'] ?? 0).toFixed(1)},${y(s[key] ?? 0).toFixed(1)}`).join(' ');
    root.append(svg('polyline', { points: pts, fill: 'none', stroke: COLORS[i % COLORS.length], 'stroke-width': 1.5 }));
  });
  fig.append(root);
  fig.append(legend(series.map((s) => s.label)));
  return fig;
}

function legend(labels, colors = COLORS) {
  return el(
    'div',
    { class: 'sls-legend' },
    labels.map((label, i) => el('span', {}, [el('i', { style: `background:${colors[i % colors.length]}` }), label])),
  );
}

function card(value, label) {
  return el('div', { class: 'sls-card' }, [el('b', {}, [value]), el('span', {}, [label])]);
}

function table(headers, rows, numeric = new Set()) {
  const head = el('tr', {}, headers.map((h, i) => el('th', numeric.has(i) ? { class: 'num' } : {}, [h])));
  const body = rows.map((r) => el('tr', {}, r.map((c, i) => (c instanceof Node ? el('td', {}, [c]) : el('td', numeric.has(i) ? { class: 'num' } : {}, [c === undefined || c === null ? '' : String(c)])))));
  return el('table', {}, [el('thead', {}, [head]), el('tbody', {}, body)]);
}

const seconds = (ms) => (ms === undefined || ms === null ? '' : fmt(ms / 1000, 1));


/** One job's containers as bars on simulated time, AM first. */
function gantt(job, t1) {
  const rows = job.containers;
  const W = 1100;
  const L = 220;
  const R = 10;
  const lane = 14;
  const H = 24 + rows.length * lane;
  const start = Math.min(job.submitMs ?? 0, ...rows.map((c) => c.allocatedMs));
  const end = Math.max(start + 1000, ...rows.map((c) => c.endMs ?? t1));
  const x = (ms) => L + ((ms - start) / (end - start)) * (W - L - R);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': `containers of ${job.jobId}` });
  for (let i = 0; i <= 6; i++) {
    const t = start + ((end - start) * i) / 6;
    root.append(svg('text', { x: x(t), y: 12, 'text-anchor': i === 0 ? 'start' : i === 6 ? 'end' : 'middle' }, formatClock(t / 1000)));
  }
  if (job.submitMs !== undefined) root.append(svg('line', { x1: x(job.submitMs), x2: x(job.submitMs), y1: 16, y2: H, stroke: '#d9534f', 'stroke-dasharray': '3 3' }));
  rows.forEach((c, i) => {
    const top = 20 + i * lane;
    root.append(svg('text', { x: 4, y: top + 10 }, `${c.kind === 'am' ? 'AM' : c.type} ${c.nodeId}`));
    const x0 = x(c.allocatedMs);
    const x1 = x(c.endMs ?? end);
    const bar = svg('rect', { x: x0, y: top, width: Math.max(1, x1 - x0), height: lane - 3, rx: 2, fill: KIND_COLORS[c.kind] ?? '#6b7a8f' });
    bar.append(svg('title', {}, `${c.id} on ${c.nodeId}: ${formatClock(c.allocatedMs / 1000)} – ${c.endMs === undefined || c.endMs === null ? 'end' : formatClock(c.endMs / 1000)}`));
    root.append(bar);
  });
  return root;
}

/**
 * Renders a report (the JSON `weft sls` embeds in report.html) into `root`.
 * @param {HTMLElement} root
 * @param {any} data
 */
export function renderReport(root, data) {
  root.replaceChildren();
  root.classList.add('sls-report');
  if (!document.getElementById('sls-report-style')) {
    const style = el('style', { id: 'sls-report-style' });
    style.textContent = STYLE;
    document.head.append(style);
  }
  const run = data.run ?? {};
  root.append(el('h1', {}, ['Scheduler load simulation']));
  root.append(
    el('div', { class: 'sls-sub' }, [
      `${run.tracetype ?? ''} trace ${(run.tracelocation ?? []).join(', ')} · ${run.scheduler ?? ''} · ${fmt(run.simulatedS ?? 0, 0)} s simulated in ${fmt(run.wallS ?? 0, 2)} s (${fmt(run.speedup ?? 0, 0)}×)`,
    ]),
  );
  const summary = data.summary ?? {};
  root.append(
    el('div', { class: 'sls-cards' }, [
      card(fmt(summary.jobs ?? 0, 0), 'jobs'),
      card(fmt(summary.finished ?? 0, 0), 'finished'),
      card(fmt(summary.failed ?? 0, 0), 'failed'),
      card(fmt(summary.unfinished ?? 0, 0), 'never finished'),
      card(fmt(run.nodes ?? 0, 0), 'nodes'),
      card(fmt(summary.containers ?? 0, 0), 'containers'),
      card(fmt(summary.containerHours ?? 0, 1), 'container-hours'),
      card(fmt(summary.amHours ?? 0, 1), 'AM-hours'),
      card(fmt(run.events ?? 0, 0), 'events'),
    ]),
  );
  const samples = data.samples ?? [];
  if ((summary.jobs ?? 0) === 0 || samples.length === 0) {
    root.append(el('h2', {}, ['Results']));
    root.append(el('div', { class: 'sls-empty' }, ['The trace has no jobs: nothing was simulated.']));
    return;
  }
  root.append(el('h2', {}, ['Simulation']));
  root.append(table(['', ''], (data.info ?? []).map(([k, v]) => [k, v])));

  root.append(el('h2', {}, ['Cost and waiting by kind of job']));
  root.append(
    table(
      ['kind', 'jobs', 'finished', 'container-hours', 'AM-hours', 'memory GB-hours', 'mean wait (s)', 'p95 wait (s)', 'mean turnaround (s)'],
      (summary.byMode ?? []).map((m) => [m.mode, m.jobs, m.finished, fmt(m.containerHours, 2), fmt(m.amHours, 2), fmt(m.memoryGbHours, 1), fmt(m.meanWaitS, 1), fmt(m.p95WaitS, 1), fmt(m.meanTurnaroundS, 1)]),
      new Set([1, 2, 3, 4, 5, 6, 7, 8]),
    ),
  );

  const queues = data.queues ?? [];
  const charts = el('div', { class: 'sls-charts' });
  charts.append(
    lineChart('Running applications and containers', samples, [
      { key: 'running.applications', label: 'running applications' },
      { key: 'running.containers', label: 'running containers' },
    ], 'count'),
    lineChart('Cluster memory', samples, [
      { key: 'cluster.allocated.memory', label: 'allocated' },
      { key: 'cluster.available.memory', label: 'available' },
    ], 'GB'),
    lineChart('Cluster vcores', samples, [
      { key: 'cluster.allocated.vcores', label: 'allocated' },
      { key: 'cluster.available.vcores', label: 'available' },
    ], 'vcores'),
    lineChart('Queue allocated memory', samples, queues.map((q) => ({ key: `queue.${q}.allocated.memory`, label: q })), 'GB'),
    lineChart('Queue allocated vcores', samples, queues.map((q) => ({ key: `queue.${q}.allocated.vcores`, label: q })), 'vcores'),
    lineChart('Queue pending memory', samples, queues.map((q) => ({ key: `queue.${q}.pending.memory`, label: q })), 'GB'),
    lineChart('Scheduler time cost', samples, [
      { key: 'scheduler.allocate.timecost', label: 'allocate' },
      { key: 'scheduler.handle.timecost', label: 'handle' },
      { key: 'scheduler.pass.timecost', label: 'scheduling pass' },
    ], 'ms (wall)'),
    lineChart('Scheduler handle time cost by event', samples, [
      { key: 'scheduler.handle-NODE_UPDATE.timecost', label: 'NODE_UPDATE' },
      { key: 'scheduler.handle-APP_ADDED.timecost', label: 'APP_ADDED' },
      { key: 'scheduler.handle-NODE_ADDED.timecost', label: 'NODE_ADDED' },
    ], 'ms (wall)'),
  );
  root.append(el('h2', {}, ['Over simulated time']), charts);

  const gantts = data.gantt ?? [];
  if (gantts.length > 0) {
    root.append(el('h2', {}, [`Containers of ${data.tracked ? 'the tracked jobs' : `the first ${gantts.length} jobs`}`]));
    root.append(legend(['AM / JobManager', 'task', 'TaskManager'], [KIND_COLORS.am, KIND_COLORS.task, KIND_COLORS.taskmanager]));
    const t1 = (run.simulatedS ?? 0) * 1000;
    for (const job of gantts) {
      const box = el('div', { class: 'sls-gantt-job' });
      box.append(el('div', {}, [el('b', {}, [job.jobId]), ` ${job.appId ?? ''} · ${job.queue} · ${job.state ?? ''}${job.omitted ? ` · ${job.omitted} more containers not drawn` : ''}`]));
      box.append(gantt(job, t1));
      root.append(box);
    }
  }

  const jobs = data.jobs ?? [];
  root.append(el('h2', {}, [`Jobs${jobs.length < (summary.jobs ?? 0) ? ` (first ${jobs.length})` : ''}`]));
  root.append(
    table(
      ['job', 'application', 'kind', 'queue', 'state', 'submit (s)', 'running (s)', 'end (s)', 'wait (s)', 'why it waited'],
      jobs.map((j) => [j.jobId, j.appId ?? '', j.kind, j.queue, j.state ?? '', seconds(j.submitMs), seconds(j.runningMs), seconds(j.endMs), seconds(j.waitMs), el('div', { class: 'sls-reason' }, [j.reason ?? ''])]),
      new Set([5, 6, 7, 8]),
    ),
  );
}
