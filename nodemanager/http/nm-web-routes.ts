import { z } from 'zod';
import { LogSizeQuery } from '../../rm/common/log-files.ts';
import { route, textRoute } from '../../rm/common/route.ts';
import { ContainerLogsInfo } from '../../rm/protocol/container-logs-info.ts';

/**
 * The NodeManager REST API (`/ws/v1/node`, NMWebServices; reference/yarn.md §2) as route specs,
 * so the CLI can build a typed client from the same table the NM serves. A container log file is
 * text/plain (`?size=`: > 0 the first bytes, < 0 the last), under both Hadoop spellings: 2.x's
 * `containerlogs/{id}/{file}` and 3.x's `containers/{id}/logs/{file}`.
 */
export const NmNodeInfo = z.object({
  id: z.string(),
  nodeHostName: z.string(),
  totalPmemAllocatedContainersMB: z.number(),
  totalVmemAllocatedContainersMB: z.number(),
  totalVCoresAllocatedContainers: z.number(),
  vmemCheckEnabled: z.boolean(),
  pmemCheckEnabled: z.boolean(),
  lastNodeUpdateTime: z.number(),
  nmStartupTime: z.number(),
  healthReport: z.string(),
  nodeHealthy: z.boolean(),
  nodeManagerVersion: z.string(),
  nodeManagerBuildVersion: z.string(),
  nodeManagerVersionBuiltOn: z.string(),
  hadoopVersion: z.string(),
  hadoopBuildVersion: z.string(),
  hadoopVersionBuiltOn: z.string(),
});
export type NmNodeInfo = z.infer<typeof NmNodeInfo>;

export const NmAppInfo = z.object({
  id: z.string(),
  user: z.string(),
  state: z.string(),
  /** Omitted when the app has no containers here, as in YARN. */
  containerids: z.array(z.string()).optional(),
});
export type NmAppInfo = z.infer<typeof NmAppInfo>;

export const NmContainerInfo = z.object({
  id: z.string(),
  state: z.string(),
  exitCode: z.number(),
  diagnostics: z.string(),
  user: z.string(),
  totalMemoryNeededMB: z.number(),
  totalVCoresNeeded: z.number(),
  containerLogsLink: z.string(),
  nodeId: z.string(),
  executionType: z.enum(['GUARANTEED', 'OPPORTUNISTIC']),
  containerLogFiles: z.array(z.string()),
});
export type NmContainerInfo = z.infer<typeof NmContainerInfo>;

const appIdParam = z.object({ appid: z.string() });
const containerIdParam = z.object({ containerid: z.string() });
const logFileParams = z.object({ containerid: z.string(), filename: z.string() });

export const nmWebRoutes = {
  node: route({ method: 'GET', path: '/ws/v1/node', response: z.object({ nodeInfo: NmNodeInfo }), status: 200, semantics: 'safe' }),
  nodeInfo: route({ method: 'GET', path: '/ws/v1/node/info', response: z.object({ nodeInfo: NmNodeInfo }), status: 200, semantics: 'safe' }),
  apps: route({
    method: 'GET',
    path: '/ws/v1/node/apps',
    query: z.object({ state: z.string().optional(), user: z.string().optional() }),
    // YARN answers `{"apps":null}` when there are none.
    response: z.object({ apps: z.object({ app: z.array(NmAppInfo) }).nullable() }),
    status: 200,
    semantics: 'safe',
  }),
  app: route({ method: 'GET', path: '/ws/v1/node/apps/:appid', params: appIdParam, response: z.object({ app: NmAppInfo }), status: 200, semantics: 'safe' }),
  containers: route({
    method: 'GET',
    path: '/ws/v1/node/containers',
    response: z.object({ containers: z.object({ container: z.array(NmContainerInfo) }).nullable() }),
    status: 200,
    semantics: 'safe',
  }),
  container: route({
    method: 'GET',
    path: '/ws/v1/node/containers/:containerid',
    params: containerIdParam,
    response: z.object({ container: NmContainerInfo }),
    status: 200,
    semantics: 'safe',
  }),
  containerLogs: route({
    method: 'GET',
    path: '/ws/v1/node/containers/:containerid/logs',
    params: containerIdParam,
    response: ContainerLogsInfo,
    status: 200,
    semantics: 'safe',
  }),
  containerLog: textRoute({ method: 'GET', path: '/ws/v1/node/containerlogs/:containerid/:filename', params: logFileParams, query: LogSizeQuery, status: 200, semantics: 'safe' }),
  containerLogFile: textRoute({ method: 'GET', path: '/ws/v1/node/containers/:containerid/logs/:filename', params: logFileParams, query: LogSizeQuery, status: 200, semantics: 'safe' }),
};
