import { nmLogUrl } from './links.js';

/**
 * Where a container's log files are read, and which there are: YARN's ContainerLogsInfo from the
 * NodeManager while it has them (LOCAL, or AGGREGATED when the NM serves the aggregated copy),
 * else from the RM's log server (the remote app log dir the NMs aggregated to).
 *
 * @typedef {{ fileName: string, fileSize: string, lastModifiedTime: string }} LogFile
 * @typedef {{ type: 'LOCAL' | 'AGGREGATED', nodeId: string, files: LogFile[], url: (file: string) => string }} LogSource
 */

/**
 * The entries of a ContainerLogsInfo answer (one object, or a list when there are several).
 * @param {any} body
 * @returns {any[]}
 */
function entries(body) {
  const info = body?.containerLogsInfo;
  return Array.isArray(info) ? info : info ? [info] : [];
}

/**
 * @param {string} url
 * @param {AbortSignal} signal
 * @returns {Promise<any[] | undefined>} undefined when there is no answer (404, unreachable, refused)
 */
async function logsInfo(url, signal) {
  try {
    const res = await fetch(url, { signal, cache: 'no-store', headers: { accept: 'application/json' } });
    return res.ok ? entries(await res.json()) : undefined;
  } catch (err) {
    if (signal.aborted) throw err;
    return undefined;
  }
}

/**
 * @param {string} nm the NM's base URL ('' when unknown)
 * @param {string} containerId
 * @param {AbortSignal} signal
 * @returns {Promise<LogSource>}
 */
export async function containerLogSource(nm, containerId, signal) {
  const id = encodeURIComponent(containerId);
  if (nm) {
    const fromNm = await logsInfo(`${nm}/ws/v1/node/containers/${id}/logs`, signal);
    const entry = fromNm?.find((e) => e.logAggregationType === 'LOCAL') ?? fromNm?.[0];
    if (entry) return { type: entry.logAggregationType, nodeId: entry.nodeId, files: entry.containerLogInfo ?? [], url: (file) => nmLogUrl(nm, containerId, file) };
  }
  const aggregated = (await logsInfo(`/ws/v1/applicationhistory/containers/${id}/logs`, signal))?.[0];
  if (aggregated) {
    return {
      type: 'AGGREGATED',
      nodeId: aggregated.nodeId,
      files: aggregated.containerLogInfo ?? [],
      url: (file) => `/ws/v1/applicationhistory/containerlogs/${id}/${encodeURIComponent(file)}`,
    };
  }
  throw new Error(
    nm
      ? `Neither the NodeManager at ${nm} nor the aggregated logs have the logs of ${containerId}: the NodeManager may be down, or it deleted them (yarn.nodemanager.log.retain-seconds) without log aggregation.`
      : `No logs of ${containerId} were aggregated, and the link names no NodeManager to ask.`,
  );
}
