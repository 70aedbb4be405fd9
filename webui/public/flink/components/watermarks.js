import { h } from '../../js/dom.js';
import { formatNumber } from '../../js/format.js';
import { panel } from '../../js/components/cards.js';
import { table } from '../../js/components/table.js';

/** Long.MIN_VALUE / Long.MAX_VALUE as Flink prints them: no watermark yet, and the end of event time. */
const NO_WATERMARK = '-9223372036854775808';
const END_OF_TIME = '9223372036854775807';

/**
 * A watermark as Flink's REST API prints it (a long as a string): "No watermark", "end of input",
 * an epoch time with milliseconds, or plain milliseconds for small event times.
 * @param {string | null | undefined} value
 */
export function formatWatermark(value) {
  if (value === null || value === undefined) return '–';
  if (value === NO_WATERMARK) return 'No watermark';
  if (value === END_OF_TIME) return 'end of input';
  const ms = Number(value);
  if (!Number.isFinite(ms)) return value;
  // Event times after 1973 read as dates; test inputs with small timestamps read as numbers.
  return ms > 1e11 ? new Date(ms).toISOString().replace('T', ' ').replace('Z', '') : formatNumber(ms);
}

/** @param {string | null | undefined} value */
function watermarkCell(value) {
  return h('span', { class: 'mono nowrap', title: value ?? '', 'data-watermark': value ?? '' }, formatWatermark(value));
}

/** @param {any} input InputChannelInfo */
function upstream(input) {
  return `${input['vertex-name']} #${input.subtask}`;
}

/**
 * Who holds the vertex back, in words: the subtask with the lowest watermark and the input channel
 * (upstream subtask) it waits for, that every subtask is idle, or that this source generates it.
 * @param {any} v VertexWatermarkInfo
 */
export function heldBackBy(v) {
  if (!v || v['low-watermark'] === null) return h('span', { class: 'muted', 'data-testid': 'held-back-by' }, 'not reported yet');
  if (v.status === 'IDLE') return h('span', { class: 'badge tone-muted', 'data-testid': 'held-back-by', 'data-idle': 'true' }, 'idle: every subtask is idle');
  const held = v['held-back-by'];
  if (!held) return h('span', { class: 'muted', 'data-testid': 'held-back-by' }, '–');
  const sub = h('strong', null, `subtask #${held.subtask}`);
  if (v.source) return h('span', { 'data-testid': 'held-back-by', 'data-subtask': String(held.subtask) }, sub, h('span', { class: 'muted' }, ' (its own watermark generator)'));
  if (!held.input) return h('span', { 'data-testid': 'held-back-by', 'data-subtask': String(held.subtask) }, sub);
  // Further upstream, the wait may start elsewhere: name where (the chain of held-back-by followed).
  const origin = v.origin;
  const elsewhere = origin && (origin['vertex-id'] !== held.input['vertex-id'] || origin.subtask !== held.input.subtask);
  return h(
    'span',
    { 'data-testid': 'held-back-by', 'data-subtask': String(held.subtask), 'data-input-vertex': held.input['vertex-id'], 'data-input-subtask': String(held.input.subtask) },
    sub,
    ' waits for ',
    h('strong', null, upstream(held.input)),
    h('span', { class: 'muted' }, ` (${formatWatermark(held.input.watermark)})`),
    elsewhere ? h('span', { 'data-testid': 'watermark-origin', 'data-origin': `${origin['vertex-id']}/${origin.subtask}` }, ', which waits for ', h('strong', null, `${origin['vertex-name']} #${origin.subtask}`)) : null,
  );
}

/**
 * The input channels of one subtask as chips: upstream subtask, its watermark, idle/ended, and
 * the one the subtask waits for marked.
 * @param {any} s SubtaskWatermarkInfo
 */
function channels(s) {
  if (!s.channels?.length) return h('span', { class: 'muted small' }, s.watermark === null ? '–' : 'no inputs (source)');
  const holder = s['held-back-by'];
  return h(
    'span',
    { class: 'wm-channels' },
    s.channels.map((/** @type {any} */ c) => {
      const holds = holder && holder['vertex-id'] === c['vertex-id'] && holder.subtask === c.subtask;
      const tone = holds ? 'tone-wait' : c.status === 'ACTIVE' ? 'tone-ok' : 'tone-muted';
      const state = c.status === 'ACTIVE' ? formatWatermark(c.watermark) : c.status.toLowerCase();
      return h(
        'span',
        { class: ['badge', 'wm-channel', tone], 'data-channel': `${c['vertex-id']}/${c.subtask}`, 'data-status': c.status, 'data-holds': holds ? 'true' : undefined, title: `${upstream(c)}: ${formatWatermark(c.watermark)} (${c.status})` },
        `${upstream(c)}: ${state}`,
      );
    }),
  );
}

/**
 * Every vertex's lowest watermark and who holds it back, then a per-subtask table (watermark,
 * status, the input it waits for, all its input channels). Reads weft's `/jobs/:id/watermarks`.
 * @param {any} info JobWatermarksInfo, or undefined while loading
 */
export function watermarksPanel(info) {
  const aside = h('span', { class: 'muted small' }, "as of the tasks' last report (heartbeat.interval)");
  if (!info) return panel('Watermarks', aside, h('p', { class: 'muted loading pad' }, 'Loading…'));
  const columns = [
    { label: '#', cell: (/** @type {any} */ s) => String(s.subtask), class: 'num' },
    { label: 'Watermark', cell: (/** @type {any} */ s) => watermarkCell(s.watermark) },
    { label: 'Status', cell: (/** @type {any} */ s) => (s.status ? h('span', { class: ['badge', s.status === 'IDLE' ? 'tone-muted' : 'tone-ok'], 'data-status': s.status }, s.status) : '–') },
    { label: 'Waits for', cell: (/** @type {any} */ s) => (s['held-back-by'] ? `${upstream(s['held-back-by'])}` : '–') },
    { label: 'Input channels', cell: channels },
  ];
  if (!info.vertices?.length) return panel('Watermarks', aside, h('p', { class: 'muted pad' }, 'No watermarks reported.'));
  return h(
    'div',
    { 'data-testid': 'watermarks-panel' },
    panel(
      'Watermarks',
      aside,
      info.vertices.map((/** @type {any} */ v) =>
        h(
          'section',
          { class: 'wm-vertex pad', 'data-testid': 'watermark-vertex', 'data-vertex': v.id },
          h(
            'h3',
            { class: 'wm-head' },
            h('span', null, v.name),
            h('span', { class: 'muted small' }, v.source ? ' · emits' : ' · lowest'),
            ' ',
            h('span', { 'data-testid': 'low-watermark' }, watermarkCell(v['low-watermark'])),
          ),
          h('p', { class: 'wm-holder' }, 'Held back by: ', heldBackBy(v)),
          table(columns, v.subtasks ?? [], { rowKey: (/** @type {any} */ s) => String(s.subtask), rowClass: (/** @type {any} */ s) => (v['held-back-by']?.subtask === s.subtask && v.status !== 'IDLE' ? 'selected' : undefined) }),
        ),
      ),
    ),
  );
}

/** The vertex table's cell: lowest watermark and a short "who". @param {any} v VertexWatermarkInfo */
export function lowWatermarkCell(v) {
  if (!v) return '–';
  return h('span', { class: 'nowrap' }, watermarkCell(v['low-watermark']), v.status === 'IDLE' ? h('span', { class: 'badge tone-muted' }, ' idle') : null);
}
