/**
 * YARN's identifier formats (reference/yarn.md §0):
 *   application_<clusterTimestamp>_<seq 4d>
 *   appattempt_<clusterTimestamp>_<app 4d>_<attempt 6d>
 *   container_[e<epoch>_]<clusterTimestamp>_<app 4d>_<attempt 2d>_<cid 6d>
 * Numbers wider than the padding are printed in full, as YARN does.
 */
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export interface ApplicationIdParts {
  readonly clusterTimestamp: number;
  readonly id: number;
}
export interface AttemptIdParts extends ApplicationIdParts {
  readonly attemptId: number;
}
export interface ContainerIdParts extends AttemptIdParts {
  readonly epoch: number;
  readonly containerId: number;
}

export const formatApplicationId = (p: ApplicationIdParts): string => `application_${p.clusterTimestamp}_${pad(p.id, 4)}`;
export const formatAttemptId = (p: AttemptIdParts): string => `appattempt_${p.clusterTimestamp}_${pad(p.id, 4)}_${pad(p.attemptId, 6)}`;
export const formatContainerId = (p: ContainerIdParts): string =>
  `container_${p.epoch > 0 ? `e${pad(p.epoch, 2)}_` : ''}${p.clusterTimestamp}_${pad(p.id, 4)}_${pad(p.attemptId, 2)}_${pad(p.containerId, 6)}`;

const APP = /^application_(\d+)_(\d+)$/;
const ATTEMPT = /^appattempt_(\d+)_(\d+)_(\d+)$/;
const CONTAINER = /^container_(?:e(\d+)_)?(\d+)_(\d+)_(\d+)_(\d+)$/;

export function parseApplicationId(s: string): ApplicationIdParts | undefined {
  const m = APP.exec(s);
  return m ? { clusterTimestamp: Number(m[1]), id: Number(m[2]) } : undefined;
}
export function parseAttemptId(s: string): AttemptIdParts | undefined {
  const m = ATTEMPT.exec(s);
  return m ? { clusterTimestamp: Number(m[1]), id: Number(m[2]), attemptId: Number(m[3]) } : undefined;
}
export function parseContainerId(s: string): ContainerIdParts | undefined {
  const m = CONTAINER.exec(s);
  return m
    ? { epoch: Number(m[1] ?? 0), clusterTimestamp: Number(m[2]), id: Number(m[3]), attemptId: Number(m[4]), containerId: Number(m[5]) }
    : undefined;
}

export const applicationIdOfAttempt = (attemptId: string): string | undefined => {
  const p = parseAttemptId(attemptId);
  return p ? formatApplicationId(p) : undefined;
};
export const attemptIdOfContainer = (containerId: string): string | undefined => {
  const p = parseContainerId(containerId);
  return p ? formatAttemptId(p) : undefined;
};
export const applicationIdOfContainer = (containerId: string): string | undefined => {
  const p = parseContainerId(containerId);
  return p ? formatApplicationId(p) : undefined;
};

/** Node ids are `host:port` with the port of the NM's container-management endpoint. */
export const formatNodeId = (host: string, port: number): string => `${host}:${port}`;
export function parseNodeId(s: string): { host: string; port: number } | undefined {
  const i = s.lastIndexOf(':');
  if (i <= 0) return undefined;
  const port = Number(s.slice(i + 1));
  return Number.isInteger(port) && port >= 0 ? { host: s.slice(0, i), port } : undefined;
}
