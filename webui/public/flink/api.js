/**
 * Reads the JobManager's Flink REST API with paths relative to the page, so the dashboard works
 * both on the JobManager's own port and behind the RM's `/proxy/<appId>/`. Errors come back as
 * Flink's `{"errors": [...]}`; nothing else is interpreted.
 */
import { ApiError } from '../js/api.js';

/**
 * @param {string} path relative, e.g. `jobs/overview`
 * @param {AbortSignal} [signal]
 * @param {RequestInit} [init]
 * @returns {Promise<any>}
 */
async function call(path, signal, init = {}) {
  let res;
  try {
    res = await fetch(path, { headers: { accept: 'application/json' }, signal, cache: 'no-store', ...init });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(`cannot reach the JobManager (${path})`, 0);
  }
  const body = await res.json().catch(() => undefined);
  if (!res.ok) {
    const errors = body && typeof body === 'object' && Array.isArray(body.errors) ? body.errors : undefined;
    const remote = body && typeof body === 'object' && 'RemoteException' in body ? body.RemoteException?.message : undefined;
    throw new ApiError(String(errors?.[0] ?? remote ?? `${res.status} ${res.statusText} from ${path}`).split('\n')[0] ?? '', res.status);
  }
  return body;
}

/**
 * A log file as text (Flink's log handlers answer text/plain; errors are `{"errors": [...]}`).
 * @param {string} path
 * @param {AbortSignal} [signal]
 * @returns {Promise<string>}
 */
async function text(path, signal) {
  let res;
  try {
    res = await fetch(path, { signal, cache: 'no-store' });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(`cannot reach the JobManager (${path})`, 0);
  }
  if (!res.ok) {
    const body = await res.json().catch(() => undefined);
    const errors = body && typeof body === 'object' && Array.isArray(body.errors) ? body.errors : undefined;
    throw new ApiError(String(errors?.[0] ?? `${res.status} ${res.statusText} from ${path}`), res.status);
  }
  return res.text();
}

const enc = encodeURIComponent;

export const flinkApi = {
  /** @param {AbortSignal} [s] */
  config: (s) => call('config', s),
  /** @param {AbortSignal} [s] */
  overview: (s) => call('overview', s),
  /** @param {AbortSignal} [s] @returns {Promise<any[]>} */
  jobs: async (s) => (await call('jobs/overview', s)).jobs ?? [],
  /** @param {string} id @param {AbortSignal} [s] */
  job: (id, s) => call(`jobs/${enc(id)}`, s),
  /** @param {string} id @param {AbortSignal} [s] */
  exceptions: (id, s) => call(`jobs/${enc(id)}/exceptions?maxExceptions=20`, s),
  /** @param {string} id @param {string} vid @param {AbortSignal} [s] */
  vertex: (id, vid, s) => call(`jobs/${enc(id)}/vertices/${enc(vid)}`, s),
  /** @param {string} id @param {string} vid @param {AbortSignal} [s] */
  backpressure: (id, vid, s) => call(`jobs/${enc(id)}/vertices/${enc(vid)}/backpressure`, s),
  /** weft's per-vertex lowest watermark and who holds it back. @param {string} id @param {AbortSignal} [s] */
  watermarks: (id, s) => call(`jobs/${enc(id)}/watermarks`, s),
  /** @param {AbortSignal} [s] @returns {Promise<any[]>} */
  taskManagers: async (s) => (await call('taskmanagers', s)).taskmanagers ?? [],
  /** @param {string} id @param {AbortSignal} [s] */
  taskManager: (id, s) => call(`taskmanagers/${enc(id)}`, s),
  /** @param {AbortSignal} [s] @returns {Promise<{ key: string, value: string }[]>} */
  jobManagerConfig: (s) => call('jobmanager/config', s),
  /**
   * Where a process's logs are read: `jobmanager` or `taskmanagers/<id>` (Flink's log endpoints).
   * @param {string} owner
   */
  logs: (owner) => ({
    /** @param {AbortSignal} [s] @returns {Promise<{ name: string, size: number, mtime: number }[]>} */
    list: async (s) => (await call(`${owner}/logs`, s)).logs ?? [],
    /** `log`, `stdout`, or `logs/<name>` @param {string} which */
    url: (which) => `${owner}/${which}`,
    /** @param {string} which @param {AbortSignal} [s] */
    read: (which, s) => text(`${owner}/${which}`, s),
  }),
  /** @param {string} id */
  taskManagerLogs: (id) => flinkApi.logs(`taskmanagers/${enc(id)}`),
  /** @param {string} id */
  cancel: (id) => call(`jobs/${enc(id)}?mode=cancel`, undefined, { method: 'PATCH' }),
};

/** @typedef {typeof flinkApi} FlinkApi */
