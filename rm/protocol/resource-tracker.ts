import { z } from 'zod';
import { createHttpClient } from '../common/http-client.ts';
import { route, type Client } from '../common/route.ts';
import { ContainerStatus, MasterKey, Resource } from './records.ts';

/**
 * ResourceTracker (NM -> RM), after yarn_server_common_service_protos.proto. Served by the RM under
 * `/rpc/resourcetracker/`. Scheduling is driven by these heartbeats and by AM allocate calls.
 */
export const NodeAction = z.enum(['NORMAL', 'RESYNC', 'SHUTDOWN']);
export type NodeAction = z.infer<typeof NodeAction>;

/** A container the NM already runs, reported at (re-)registration (NMContainerStatusProto). */
export const NMContainerStatus = z.object({
  containerId: z.string(),
  containerState: z.enum(['NEW', 'RUNNING', 'COMPLETE']),
  resource: Resource,
  priority: z.number().int().default(0),
  diagnostics: z.string().default(''),
  containerExitStatus: z.number().int(),
  creationTime: z.number(),
});
export type NMContainerStatus = z.infer<typeof NMContainerStatus>;

export const NodeHealthStatus = z.object({
  isNodeHealthy: z.boolean(),
  healthReport: z.string().default(''),
  lastHealthReportTime: z.number(),
});

/** LogAggregationStatus (yarn_protos.proto), as the app report's `logAggregationStatus` says it. */
export const LogAggregationStatus = z.enum(['DISABLED', 'NOT_START', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIME_OUT', 'RUNNING_WITH_FAILURE']);
export type LogAggregationStatus = z.infer<typeof LogAggregationStatus>;

/** LogAggregationReportProto: how aggregating one app's logs went on one node. */
export const LogAggregationReport = z.object({
  applicationId: z.string(),
  logAggregationStatus: LogAggregationStatus,
  diagnosticMessage: z.string().default(''),
});
export type LogAggregationReport = z.infer<typeof LogAggregationReport>;

export const RegisterNodeManagerRequest = z.object({
  nodeId: z.string(),
  httpPort: z.number().int(),
  resource: Resource,
  nmVersion: z.string().default(''),
  containerStatuses: z.array(NMContainerStatus).default([]),
  runningApplications: z.array(z.string()).default([]),
});
export type RegisterNodeManagerRequest = z.infer<typeof RegisterNodeManagerRequest>;

export const RegisterNodeManagerResponse = z.object({
  containerTokenMasterKey: MasterKey,
  nmTokenMasterKey: MasterKey,
  nodeAction: NodeAction,
  rmIdentifier: z.number(),
  diagnosticsMessage: z.string(),
  rmVersion: z.string(),
  resource: Resource,
  nextHeartBeatInterval: z.number().int(),
});
export type RegisterNodeManagerResponse = z.infer<typeof RegisterNodeManagerResponse>;

export const NodeHeartbeatRequest = z.object({
  nodeStatus: z.object({
    nodeId: z.string(),
    responseId: z.number().int(),
    containersStatuses: z.array(ContainerStatus).default([]),
    nodeHealthStatus: NodeHealthStatus,
    keepAliveApplications: z.array(z.string()).default([]),
  }),
  /** Finished (or failed) log aggregations since the last heartbeat that got an answer. */
  logAggregationReportsForApps: z.array(LogAggregationReport).default([]),
  lastKnownContainerTokenMasterKeyId: z.number().int().optional(),
});
export type NodeHeartbeatRequest = z.infer<typeof NodeHeartbeatRequest>;

export const NodeHeartbeatResponse = z.object({
  responseId: z.number().int(),
  nodeAction: NodeAction,
  containersToCleanup: z.array(z.string()),
  applicationsToCleanup: z.array(z.string()),
  /** Completed containers the AM has pulled; the NM may forget them. */
  containersToBeRemovedFromNm: z.array(z.string()),
  nextHeartBeatInterval: z.number().int(),
  diagnosticsMessage: z.string(),
  containerTokenMasterKey: MasterKey.optional(),
});
export type NodeHeartbeatResponse = z.infer<typeof NodeHeartbeatResponse>;

export const resourceTrackerRoutes = {
  registerNodeManager: route({
    method: 'POST',
    path: '/rpc/resourcetracker/registerNodeManager',
    body: RegisterNodeManagerRequest,
    response: RegisterNodeManagerResponse,
    status: 200,
    semantics: 'idempotent',
  }),
  nodeHeartbeat: route({
    method: 'POST',
    path: '/rpc/resourcetracker/nodeHeartbeat',
    body: NodeHeartbeatRequest,
    response: NodeHeartbeatResponse,
    status: 200,
    semantics: 'atMostOnce',
  }),
  unRegisterNodeManager: route({
    method: 'POST',
    path: '/rpc/resourcetracker/unRegisterNodeManager',
    body: z.object({ nodeId: z.string() }),
    response: z.object({}),
    status: 200,
    semantics: 'idempotent',
  }),
};

/**
 * ResourceTracker (NM -> RM), the one interface an NM holds: the HTTP client below, the RM's
 * in-process one (ResourceTrackerService.inProcessClient) and tests' fakes all are it.
 */
export type ResourceTracker = Client<typeof resourceTrackerRoutes>;

export function httpResourceTracker(rmUrl: string, timeoutMs = 10_000): ResourceTracker {
  // The NM has its own retry loop (register until it works, heartbeat every interval), so the
  // client does not retry on its own.
  return createHttpClient(rmUrl, resourceTrackerRoutes, { retries: 0, timeoutMs });
}
