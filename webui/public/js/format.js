/** Formatting of numbers, sizes, times and durations for display. */

/** @param {number} mb */
export function formatMemory(mb) {
  if (!Number.isFinite(mb)) return '–';
  if (Math.abs(mb) >= 1024 * 1024) return `${trim(mb / 1024 / 1024)} TB`;
  if (Math.abs(mb) >= 1024) return `${trim(mb / 1024)} GB`;
  return `${Math.round(mb)} MB`;
}

/** @param {number} n */
function trim(n) {
  return n >= 100 ? String(Math.round(n)) : n.toFixed(1).replace(/\.0$/, '');
}

/** @param {number} n */
export function formatNumber(n) {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : '–';
}

/** @param {number} pct a percentage 0–100 */
export function formatPercent(pct) {
  if (!Number.isFinite(pct)) return '–';
  return `${pct >= 10 || pct === 0 ? Math.round(pct) : pct.toFixed(1)}%`;
}

/** @param {number} ms */
export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const hr = Math.floor(m / 60);
  if (hr < 24) return `${hr}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(hr / 24)}d ${hr % 24}h`;
}

/** @param {number} ms epoch millis; 0 means "not yet" */
export function formatTime(ms) {
  if (!ms || ms <= 0) return '–';
  const d = new Date(ms);
  const today = new Date();
  const time = d.toLocaleTimeString('en-GB', { hour12: false });
  if (d.toDateString() === today.toDateString()) return time;
  return `${d.toISOString().slice(0, 10)} ${time}`;
}

/** @param {number} ms epoch millis */
export function formatAgo(ms, now = Date.now()) {
  if (!ms || ms <= 0) return '–';
  const diff = now - ms;
  if (diff < 1500) return 'just now';
  return `${formatDuration(diff)} ago`;
}

/** ContainerExitStatus.java names, for the exit-status column. */
const EXIT_NAMES = new Map([
  [0, 'SUCCESS'],
  [-1000, 'INVALID'],
  [-100, 'ABORTED'],
  [-101, 'DISKS_FAILED'],
  [-102, 'PREEMPTED'],
  [-103, 'KILLED_EXCEEDED_VMEM'],
  [-104, 'KILLED_EXCEEDED_PMEM'],
  [-105, 'KILLED_BY_APPMASTER'],
  [-106, 'KILLED_BY_RESOURCEMANAGER'],
  [-107, 'KILLED_AFTER_APP_COMPLETION'],
  [-108, 'KILLED_BY_CONTAINER_SCHEDULER'],
]);

/** @param {number} code */
export function exitStatusName(code) {
  return EXIT_NAMES.get(code) ?? (code > 128 && code < 160 ? `signal ${code - 128}` : '');
}
