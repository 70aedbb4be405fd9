import { z } from 'zod';
import { createHttpClient } from '../common/http-client.ts';
import { route, type Client } from '../common/route.ts';
import { FinalApplicationStatus, NodeState, Resource, YarnApplicationState } from './records.ts';

/**
 * The public YARN REST API (`/ws/v1/cluster/*`), wire-compatible with Hadoop 3
 * (reference/yarn.md §1). Shapes are loose objects: YARN clients must ignore fields they do not
 * know, and so do we.
 */
const RESTResource = z.looseObject({ memory: z.number(), vCores: z.number() });

export const ClusterInfo = z.looseObject({
  id: z.number(),
  startedOn: z.number(),
  state: z.enum(['NOTINITED', 'INITED', 'STARTED', 'STOPPED']),
  haState: z.string(),
  rmStateStoreName: z.string(),
  resourceManagerVersion: z.string(),
  resourceManagerBuildVersion: z.string(),
  resourceManagerVersionBuiltOn: z.string(),
  hadoopVersion: z.string(),
  hadoopBuildVersion: z.string(),
  hadoopVersionBuiltOn: z.string(),
  haZooKeeperConnectionState: z.string(),
});
export type ClusterInfo = z.infer<typeof ClusterInfo>;

export const ClusterMetrics = z.looseObject({
  appsSubmitted: z.number(),
  appsCompleted: z.number(),
  appsPending: z.number(),
  appsRunning: z.number(),
  appsFailed: z.number(),
  appsKilled: z.number(),
  reservedMB: z.number(),
  availableMB: z.number(),
  allocatedMB: z.number(),
  totalMB: z.number(),
  reservedVirtualCores: z.number(),
  availableVirtualCores: z.number(),
  allocatedVirtualCores: z.number(),
  totalVirtualCores: z.number(),
  containersAllocated: z.number(),
  containersReserved: z.number(),
  containersPending: z.number(),
  totalNodes: z.number(),
  activeNodes: z.number(),
  lostNodes: z.number(),
  unhealthyNodes: z.number(),
  decommissioningNodes: z.number(),
  decommissionedNodes: z.number(),
  rebootedNodes: z.number(),
  shutdownNodes: z.number(),
});
export type ClusterMetrics = z.infer<typeof ClusterMetrics>;

export const RESTResourceRequest = z.looseObject({
  capability: z.looseObject({ memory: z.number(), memorySize: z.number(), virtualCores: z.number() }),
  nodeLabelExpression: z.string(),
  numContainers: z.number(),
  priority: z.looseObject({ priority: z.number() }),
  relaxLocality: z.boolean(),
  resourceName: z.string(),
});

export const AppInfo = z.looseObject({
  id: z.string(),
  user: z.string(),
  name: z.string(),
  queue: z.string(),
  state: YarnApplicationState,
  finalStatus: FinalApplicationStatus,
  progress: z.number(),
  trackingUI: z.enum(['UNASSIGNED', 'ApplicationMaster', 'History']),
  trackingUrl: z.string().optional(),
  diagnostics: z.string(),
  clusterId: z.number(),
  applicationType: z.string(),
  applicationTags: z.string(),
  priority: z.number(),
  startedTime: z.number(),
  launchTime: z.number(),
  finishedTime: z.number(),
  elapsedTime: z.number(),
  amContainerLogs: z.string().optional(),
  amHostHttpAddress: z.string().optional(),
  amRPCAddress: z.string().optional(),
  allocatedMB: z.number(),
  allocatedVCores: z.number(),
  reservedMB: z.number(),
  reservedVCores: z.number(),
  runningContainers: z.number(),
  memorySeconds: z.number(),
  vcoreSeconds: z.number(),
  queueUsagePercentage: z.number(),
  clusterUsagePercentage: z.number(),
  preemptedResourceMB: z.number(),
  preemptedResourceVCores: z.number(),
  numNonAMContainerPreempted: z.number(),
  numAMContainerPreempted: z.number(),
  preemptedMemorySeconds: z.number(),
  preemptedVcoreSeconds: z.number(),
  resourceRequests: z.array(RESTResourceRequest),
  logAggregationStatus: z.string(),
  unmanagedApplication: z.boolean(),
  amNodeLabelExpression: z.string(),
  timeouts: z.looseObject({ timeout: z.array(z.looseObject({ type: z.string(), expiryTime: z.string(), remainingTimeInSeconds: z.number() })) }),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const AppAttemptInfo = z.looseObject({
  id: z.number(),
  appAttemptId: z.string(),
  startTime: z.number(),
  finishedTime: z.number(),
  containerId: z.string(),
  nodeHttpAddress: z.string(),
  nodeId: z.string(),
  logsLink: z.string(),
  blacklistedNodes: z.string(),
  appAttemptState: z.string(),
  diagnosticsInfo: z.string().optional(),
});
export type AppAttemptInfo = z.infer<typeof AppAttemptInfo>;

/** ContainerInfo of `/appattempts/{id}/containers` (hadoop-yarn-server-common ContainerInfo). */
export const ContainerInfo = z.looseObject({
  containerId: z.string(),
  allocatedMB: z.number(),
  allocatedVCores: z.number(),
  assignedNodeId: z.string(),
  priority: z.number(),
  startedTime: z.number(),
  finishedTime: z.number(),
  elapsedTime: z.number(),
  logUrl: z.string(),
  containerExitStatus: z.number(),
  containerState: z.string(),
  nodeHttpAddress: z.string(),
  nodeId: z.string(),
  diagnosticsInfo: z.string(),
  exposedPorts: z.record(z.string(), z.unknown()).optional(),
});
export type ContainerInfo = z.infer<typeof ContainerInfo>;

export const NodeInfo = z.looseObject({
  rack: z.string(),
  state: NodeState,
  id: z.string(),
  nodeHostName: z.string(),
  nodeHTTPAddress: z.string(),
  lastHealthUpdate: z.number(),
  version: z.string(),
  healthReport: z.string(),
  numContainers: z.number(),
  usedMemoryMB: z.number(),
  availMemoryMB: z.number(),
  usedVirtualCores: z.number(),
  availableVirtualCores: z.number(),
  numRunningOpportContainers: z.number(),
  usedMemoryOpportGB: z.number(),
  usedVirtualCoresOpport: z.number(),
  numQueuedContainers: z.number(),
  nodeLabels: z.array(z.string()),
  totalResource: RESTResource,
  usedResource: RESTResource,
  availableResource: RESTResource,
});
export type NodeInfo = z.infer<typeof NodeInfo>;

/** JAXB maps arrive as `{"entry":[{"key":K,"value":V}]}`; a single entry may come unwrapped. */
const jaxbMap = <V extends z.ZodType>(value: V) =>
  z.object({
    entry: z.union([z.array(z.object({ key: z.string(), value })), z.object({ key: z.string(), value })]).optional(),
  });

const RESTLocalResource = z.object({
  resource: z.string(),
  type: z.enum(['FILE', 'ARCHIVE', 'PATTERN']).default('FILE'),
  visibility: z.enum(['PUBLIC', 'PRIVATE', 'APPLICATION']).default('APPLICATION'),
  size: z.number().int().default(-1),
  timestamp: z.number().int().default(-1),
});

/** ApplicationSubmissionContextInfo (reference/yarn.md §1.10). */
export const ApplicationSubmissionContextInfo = z.object({
  'application-id': z.string(),
  'application-name': z.string().default('N/A'),
  queue: z.string().optional(),
  priority: z.number().int().default(0),
  'am-container-spec': z
    .object({
      'local-resources': jaxbMap(RESTLocalResource).optional(),
      environment: jaxbMap(z.string()).optional(),
      commands: z.object({ command: z.union([z.string(), z.array(z.string())]) }).optional(),
      'application-acls': jaxbMap(z.string()).optional(),
    })
    .default({}),
  'unmanaged-AM': z.boolean().default(false),
  'max-app-attempts': z.number().int().default(0),
  resource: z.object({ memory: z.number().int(), vCores: z.number().int() }).optional(),
  'application-type': z.string().default('YARN'),
  'keep-containers-across-application-attempts': z.boolean().default(false),
  'application-tags': z.object({ tag: z.union([z.string(), z.array(z.string())]).optional() }).optional(),
  'attempt-failures-validity-interval': z.number().int().default(-1),
  'cancel-tokens-when-complete': z.boolean().default(true),
});
export type ApplicationSubmissionContextInfo = z.infer<typeof ApplicationSubmissionContextInfo>;

export const NewApplication = z.object({
  'application-id': z.string(),
  'maximum-resource-capability': RESTResource,
});

export const AppState = z.object({ state: z.string() });

const optionalString = z.string().optional();
const optionalLong = z.string().regex(/^\d+$/, 'must be a number of milliseconds since the epoch').optional();

export const AppsQuery = z.looseObject({
  state: optionalString,
  states: optionalString,
  finalStatus: optionalString,
  user: optionalString,
  queue: optionalString,
  limit: z.string().regex(/^\d+$/, 'must be a positive integer').optional(),
  startedTimeBegin: optionalLong,
  startedTimeEnd: optionalLong,
  finishedTimeBegin: optionalLong,
  finishedTimeEnd: optionalLong,
  applicationTypes: optionalString,
  applicationTags: optionalString,
  name: optionalString,
});
export type AppsQuery = z.infer<typeof AppsQuery>;

const AppIdParams = z.object({ appid: z.string() });

/** `{"apps":null}` when empty, as the RM serialises it. */
const Apps = z.object({ apps: z.object({ app: z.array(AppInfo) }).nullable() });
const Nodes = z.object({ nodes: z.object({ node: z.array(NodeInfo) }).nullable() });

export const SchedulerInfo = z.object({ scheduler: z.object({ schedulerInfo: z.looseObject({ type: z.string() }) }) });

/**
 * One Prometheus `http_sd_config` target group: scrape `targets` at `labels.__metrics_path__`;
 * the other labels go on every series scraped from it.
 */
export const PrometheusSdTargetGroup = z.object({ targets: z.array(z.string()), labels: z.record(z.string(), z.string()) });
export type PrometheusSdTargetGroup = z.infer<typeof PrometheusSdTargetGroup>;

export const clientRmRoutes = {
  cluster: route({ method: 'GET', path: '/ws/v1/cluster', response: z.object({ clusterInfo: ClusterInfo }), status: 200, semantics: 'safe' }),
  clusterInfo: route({ method: 'GET', path: '/ws/v1/cluster/info', response: z.object({ clusterInfo: ClusterInfo }), status: 200, semantics: 'safe' }),
  metrics: route({ method: 'GET', path: '/ws/v1/cluster/metrics', response: z.object({ clusterMetrics: ClusterMetrics }), status: 200, semantics: 'safe' }),
  scheduler: route({ method: 'GET', path: '/ws/v1/cluster/scheduler', response: SchedulerInfo, status: 200, semantics: 'safe' }),
  apps: route({ method: 'GET', path: '/ws/v1/cluster/apps', query: AppsQuery, response: Apps, status: 200, semantics: 'safe' }),
  newApplication: route({ method: 'POST', path: '/ws/v1/cluster/apps/new-application', response: NewApplication, status: 200, semantics: 'atMostOnce' }),
  submitApplication: route({
    method: 'POST',
    path: '/ws/v1/cluster/apps',
    body: ApplicationSubmissionContextInfo,
    response: z.undefined(),
    status: 202,
    semantics: 'idempotent',
  }),
  app: route({ method: 'GET', path: '/ws/v1/cluster/apps/:appid', params: AppIdParams, response: z.object({ app: AppInfo }), status: 200, semantics: 'safe' }),
  appState: route({ method: 'GET', path: '/ws/v1/cluster/apps/:appid/state', params: AppIdParams, response: AppState, status: 200, semantics: 'safe' }),
  /** 202 with the current state until the kill is done, then 200 `{"state":"KILLED"}`. */
  updateAppState: route({
    method: 'PUT',
    path: '/ws/v1/cluster/apps/:appid/state',
    params: AppIdParams,
    body: AppState,
    response: AppState,
    status: 200,
    semantics: 'idempotent',
  }),
  appAttempts: route({
    method: 'GET',
    path: '/ws/v1/cluster/apps/:appid/appattempts',
    params: AppIdParams,
    response: z.object({ appAttempts: z.object({ appAttempt: z.array(AppAttemptInfo) }) }),
    status: 200,
    semantics: 'safe',
  }),
  appAttempt: route({
    method: 'GET',
    path: '/ws/v1/cluster/apps/:appid/appattempts/:appattemptid',
    params: z.object({ appid: z.string(), appattemptid: z.string() }),
    response: z.object({ appAttempt: AppAttemptInfo }),
    status: 200,
    semantics: 'safe',
  }),
  attemptContainers: route({
    method: 'GET',
    path: '/ws/v1/cluster/apps/:appid/appattempts/:appattemptid/containers',
    params: z.object({ appid: z.string(), appattemptid: z.string() }),
    response: z.object({ container: z.array(ContainerInfo) }),
    status: 200,
    semantics: 'safe',
  }),
  attemptContainer: route({
    method: 'GET',
    path: '/ws/v1/cluster/apps/:appid/appattempts/:appattemptid/containers/:containerid',
    params: z.object({ appid: z.string(), appattemptid: z.string(), containerid: z.string() }),
    response: ContainerInfo,
    status: 200,
    semantics: 'safe',
  }),
  nodes: route({
    method: 'GET',
    path: '/ws/v1/cluster/nodes',
    query: z.looseObject({ states: optionalString, state: optionalString }),
    response: Nodes,
    status: 200,
    semantics: 'safe',
  }),
  node: route({ method: 'GET', path: '/ws/v1/cluster/nodes/:nodeid', params: z.object({ nodeid: z.string() }), response: z.object({ node: NodeInfo }), status: 200, semantics: 'safe' }),
  /** Prometheus HTTP service discovery: every live weft process that serves metrics (rm/web/prometheus-sd.ts). */
  prometheusSd: route({ method: 'GET', path: '/ws/v1/cluster/prometheus-sd', response: z.array(PrometheusSdTargetGroup), status: 200, semantics: 'safe' }),
};

export type RestResource = z.infer<typeof RESTResource>;
export { Resource };

/**
 * ApplicationClientProtocol (client -> RM) over the public REST API, the one interface every
 * client of the RM holds (the CLI, the YARN cluster descriptor, the JobManager AM, tests): the
 * HTTP client below and the RM's in-process one (ClientRmService.inProcessClient) both are it.
 */
export type ApplicationClientProtocol = Client<typeof clientRmRoutes>;

export interface HttpApplicationClientProtocolOptions {
  readonly rmUrl: string;
  /** Hadoop simple auth: every call names the user as `?user.name=`; writes need it. */
  readonly user: string;
  /** How often a safe or idempotent call is retried when the RM cannot be reached (2 unless said). */
  readonly retries?: number;
  readonly timeoutMs?: number;
}

export function httpApplicationClientProtocol(options: HttpApplicationClientProtocolOptions): ApplicationClientProtocol {
  return createHttpClient(options.rmUrl, clientRmRoutes, {
    query: () => ({ 'user.name': options.user }),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}
