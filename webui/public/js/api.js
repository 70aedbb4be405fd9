/**
 * Reads the public YARN REST API (`/ws/v1/cluster/*`) of the RM that served the page, the same
 * endpoints the CLI and curl use. It unwraps YARN's root keys (`{"apps":{"app":[...]}}`,
 * `{"apps":null}` when empty) and nothing more: what is shown is what the RM answered.
 */

export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {number} status
   */
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/**
 * @param {string} path
 * @param {AbortSignal} [signal]
 * @returns {Promise<any>}
 */
async function getJson(path, signal) {
  let res;
  try {
    res = await fetch(path, { headers: { accept: 'application/json' }, signal, cache: 'no-store' });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(`cannot reach the ResourceManager (${path})`, 0);
  }
  const body = await res.json().catch(() => undefined);
  if (!res.ok) {
    const remote = body && typeof body === 'object' && 'RemoteException' in body ? body.RemoteException : undefined;
    throw new ApiError(remote?.message ?? `${res.status} ${res.statusText} from ${path}`, res.status);
  }
  return body;
}

const enc = encodeURIComponent;

export const api = {
  /** @param {AbortSignal} [signal] */
  clusterInfo: async (signal) => (await getJson('/ws/v1/cluster/info', signal)).clusterInfo,
  /** @param {AbortSignal} [signal] */
  metrics: async (signal) => (await getJson('/ws/v1/cluster/metrics', signal)).clusterMetrics,
  /** @param {AbortSignal} [signal] */
  scheduler: async (signal) => (await getJson('/ws/v1/cluster/scheduler', signal)).scheduler.schedulerInfo,
  /**
   * Every node the RM knows, active and inactive.
   * @param {AbortSignal} [signal]
   * @returns {Promise<any[]>}
   */
  nodes: async (signal) => (await getJson('/ws/v1/cluster/nodes?states=NEW,RUNNING,UNHEALTHY,DECOMMISSIONING,DECOMMISSIONED,LOST,REBOOTED,SHUTDOWN', signal)).nodes?.node ?? [],
  /**
   * @param {string} nodeId
   * @param {AbortSignal} [signal]
   */
  node: async (nodeId, signal) => (await getJson(`/ws/v1/cluster/nodes/${enc(nodeId)}`, signal)).node,
  /**
   * @param {AbortSignal} [signal]
   * @returns {Promise<any[]>}
   */
  apps: async (signal) => (await getJson('/ws/v1/cluster/apps', signal)).apps?.app ?? [],
  /**
   * @param {string} appId
   * @param {AbortSignal} [signal]
   */
  app: async (appId, signal) => (await getJson(`/ws/v1/cluster/apps/${enc(appId)}`, signal)).app,
  /**
   * @param {string} appId
   * @param {AbortSignal} [signal]
   * @returns {Promise<any[]>}
   */
  attempts: async (appId, signal) => (await getJson(`/ws/v1/cluster/apps/${enc(appId)}/appattempts`, signal)).appAttempts?.appAttempt ?? [],
  /**
   * @param {string} appId
   * @param {string} attemptId
   * @param {AbortSignal} [signal]
   * @returns {Promise<any[]>}
   */
  containers: async (appId, attemptId, signal) =>
    (await getJson(`/ws/v1/cluster/apps/${enc(appId)}/appattempts/${enc(attemptId)}/containers`, signal)).container ?? [],
};

/** @typedef {typeof api} Api */
