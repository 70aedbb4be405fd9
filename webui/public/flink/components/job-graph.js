import { formatNumber } from '../../js/format.js';
import { href } from '../../js/router.js';
import { flinkTone } from './flink-state.js';
import { formatWatermark } from './watermarks.js';

/**
 * The job graph as SVG: vertices as boxes in columns by depth (sources left, sinks right), with
 * name, parallelism, state, records in/out and backpressure; edges as curves labelled with the
 * ship strategy. Built with createElementNS and textContent only: names are never parsed.
 *
 * @typedef {{ id: string, description?: string, parallelism: number, inputs?: { id: string, ship_strategy: string }[] }} PlanNode
 * @typedef {{ id: string, name: string, parallelism: number, status: string, metrics?: Record<string, number> }} Vertex
 */

const NS = 'http://www.w3.org/2000/svg';
const W = 240;
const H = 92;
const GAP_X = 90;
const GAP_Y = 26;
const PAD = 16;

/**
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {...(Element | string)} children
 */
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

/** @param {string} text @param {number} max */
function clip(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * @param {{ nodes: PlanNode[] }} plan
 * @param {Vertex[]} vertices
 * @param {Map<string, string>} backpressure vertex id → ok/low/high
 * @param {string} jobId
 * @param {string} [selectedId] the vertex whose subtasks are shown (a click selects, a second click deselects)
 * @param {Map<string, any>} [watermarks] vertex id → VertexWatermarkInfo (`/jobs/:id/watermarks`)
 */
export function jobGraph(plan, vertices, backpressure, jobId, selectedId = '', watermarks = new Map()) {
  const nodes = plan?.nodes ?? [];
  const byId = new Map(vertices.map((v) => [v.id, v]));
  /** @type {Map<string, number>} */
  const depth = new Map();
  /** @param {string} id @param {Set<string>} seen @returns {number} */
  const depthOf = (id, seen) => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const node = nodes.find((n) => n.id === id);
    const d = Math.max(-1, ...(node?.inputs ?? []).map((i) => depthOf(i.id, seen))) + 1;
    depth.set(id, d);
    return d;
  };
  for (const n of nodes) depthOf(n.id, new Set());
  /** @type {PlanNode[][]} */
  const columns = [];
  for (const n of nodes) (columns[depth.get(n.id) ?? 0] ??= []).push(n);
  const rows = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const width = PAD * 2 + columns.length * W + Math.max(0, columns.length - 1) * GAP_X;
  const height = PAD * 2 + rows * H + (rows - 1) * GAP_Y;
  /** @type {Map<string, { x: number, y: number }>} */
  const pos = new Map();
  columns.forEach((col, ci) => {
    const offset = ((rows - (col?.length ?? 0)) * (H + GAP_Y)) / 2;
    (col ?? []).forEach((n, ri) => pos.set(n.id, { x: PAD + ci * (W + GAP_X), y: PAD + offset + ri * (H + GAP_Y) }));
  });

  const svg = s('svg', { class: 'job-graph', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'Job graph', 'data-testid': 'job-graph' });
  svg.style.maxWidth = '100%';
  svg.style.height = 'auto';
  const defs = s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'edge-head' })));
  svg.append(defs);

  for (const n of nodes) {
    for (const input of n.inputs ?? []) {
      const a = pos.get(input.id);
      const b = pos.get(n.id);
      if (!a || !b) continue;
      const x1 = a.x + W;
      const y1 = a.y + H / 2;
      const x2 = b.x;
      const y2 = b.y + H / 2;
      const mx = (x1 + x2) / 2;
      svg.append(
        s(
          'g',
          { class: 'edge', 'data-from': input.id, 'data-to': n.id },
          s('path', { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}`, 'marker-end': 'url(#arrow)' }),
          s('text', { x: mx, y: (y1 + y2) / 2 - 6, 'text-anchor': 'middle', class: 'edge-label' }, String(input.ship_strategy ?? '').toUpperCase()),
        ),
      );
    }
  }

  for (const n of nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const v = byId.get(n.id);
    const name = v?.name ?? n.description ?? n.id;
    const state = v?.status ?? 'CREATED';
    const bp = String(backpressure.get(n.id) ?? '').toUpperCase();
    const bpTone = bp === 'HIGH' ? 'bad' : bp === 'LOW' ? 'wait' : bp === 'OK' ? 'ok' : 'muted';
    const rin = v?.metrics?.['read-records'];
    const rout = v?.metrics?.['write-records'];
    const selected = n.id === selectedId;
    const link = s('a', { href: href(['jobs', jobId], { vertex: selected ? undefined : n.id }), 'aria-label': `${name}: subtasks` });
    link.append(
      s('title', {}, `${name}\nparallelism ${n.parallelism} · ${state}`),
      s('rect', { x: p.x, y: p.y, width: W, height: H, rx: 8, class: `vertex-box tone-stroke-${flinkTone(state)}` }),
      s('rect', { x: p.x, y: p.y, width: 5, height: H, rx: 2, class: `vertex-band tone-fill-${flinkTone(state)}` }),
      s('text', { x: p.x + 14, y: p.y + 21, class: 'vertex-name' }, clip(name, 27)),
      s('text', { x: p.x + 14, y: p.y + 41, class: 'vertex-meta' }, `parallelism ${n.parallelism} · `, s('tspan', { class: `vertex-state tone-fill-${flinkTone(state)}` }, state)),
      s('text', { x: p.x + 14, y: p.y + 61, class: 'vertex-meta' }, `in ${rin === undefined ? '–' : formatNumber(rin)} · out ${rout === undefined ? '–' : formatNumber(rout)}`),
      s('rect', { x: p.x + 14, y: p.y + 70, width: 74, height: 16, rx: 8, class: `bp-pill tone-bgfill-${bpTone}` }),
      s('text', { x: p.x + 51, y: p.y + 82, 'text-anchor': 'middle', class: `bp-text tone-fill-${bpTone}` }, `BP ${bp || '–'}`),
      watermarkLabel(watermarks.get(n.id), p),
    );
    svg.append(s('g', { class: selected ? 'vertex selected' : 'vertex', 'data-vertex': n.id, 'data-state': state, 'data-bp': bp }, link));
  }
  return svg;
}

/**
 * The vertex's lowest watermark beside its backpressure pill ("idle" once every subtask is).
 * @param {any} wm VertexWatermarkInfo
 * @param {{ x: number, y: number }} p
 */
function watermarkLabel(wm, p) {
  if (!wm || wm['low-watermark'] === null) return s('text', { x: p.x + 96, y: p.y + 82, class: 'vertex-meta', 'data-testid': 'vertex-watermark' }, 'WM –');
  const text = wm.status === 'IDLE' ? 'WM idle' : `WM ${clip(formatWatermark(wm['low-watermark']), 20)}`;
  return s('text', { x: p.x + 96, y: p.y + 82, class: 'vertex-meta', 'data-testid': 'vertex-watermark' }, s('title', {}, `lowest watermark ${wm['low-watermark']}`), text);
}
