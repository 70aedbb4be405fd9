import { z } from 'zod';
import { createHttpClient } from '../common/http-client.ts';
import { route, type Client } from '../common/route.ts';
import { Container, ContainerStatus, FinalApplicationStatus, NodeReport, Resource, ResourceRequest } from './records.ts';

/**
 * ApplicationMasterProtocol (AM -> RM), after yarn_service_protos.proto. Served by the RM under
 * `/rpc/applicationmaster/`. Every call carries the attempt's AMRM token as
 * `Authorization: Bearer <token>`; the token, not the body, says which attempt is calling.
 */
export const AMRM_TOKEN_HEADER = 'authorization';

export const RegisterApplicationMasterRequest = z.object({
  host: z.string().default(''),
  rpcPort: z.number().int().default(-1),
  trackingUrl: z.string().default(''),
});
export type RegisterApplicationMasterRequest = z.infer<typeof RegisterApplicationMasterRequest>;

export const RegisterApplicationMasterResponse = z.object({
  maximumCapability: Resource,
  applicationACLs: z.record(z.string(), z.string()),
  containersFromPreviousAttempts: z.array(Container),
  queue: z.string(),
  schedulerResourceTypes: z.array(z.enum(['MEMORY', 'CPU'])),
});
export type RegisterApplicationMasterResponse = z.infer<typeof RegisterApplicationMasterResponse>;

/**
 * A container of this application that serves metrics, as the AM announces it: YARN apps publish
 * their endpoints as YARN Service Registry records (`yarn:id` = the container id, `yarn:persistence`
 * = container, purged by the RM when the container completes); weft carries the same record on
 * the AM's allocate heartbeat. The RM lists it in `/ws/v1/cluster/prometheus-sd` while the
 * container lives.
 */
export const ContainerMetricsEndpoint = z.object({
  containerId: z.string(),
  /** `host:port` serving the Prometheus text format. */
  address: z.string().regex(/^(?:\[[0-9a-fA-F:.]+\]|[^\s/:[\]]+):\d+$/, 'host:port'),
  metricsPath: z.string().startsWith('/').default('/prom'),
  /** What runs there (`jobmanager`, `taskmanager`, ...): the `weft_component` label. */
  component: z.string(),
});
export type ContainerMetricsEndpoint = z.infer<typeof ContainerMetricsEndpoint>;

export const AllocateRequest = z.object({
  ask: z.array(ResourceRequest).default([]),
  release: z.array(z.string()).default([]),
  blacklistRequest: z
    .object({ blacklistAdditions: z.array(z.string()).default([]), blacklistRemovals: z.array(z.string()).default([]) })
    .optional(),
  responseId: z.number().int(),
  /** 0..1; NaN or negative is taken as 0, above 1 as 1. */
  progress: z.number().default(0),
  /** Every metrics endpoint of the application now (absolute; absent leaves the last list in place). */
  metricsEndpoints: z.array(ContainerMetricsEndpoint).optional(),
});
export type AllocateRequest = z.infer<typeof AllocateRequest>;

export const NMToken = z.object({ nodeId: z.string(), token: z.string() });
export type NMToken = z.infer<typeof NMToken>;

export const AllocateResponse = z.object({
  aMCommand: z.enum(['AM_RESYNC', 'AM_SHUTDOWN']).optional(),
  responseId: z.number().int(),
  allocatedContainers: z.array(Container),
  completedContainerStatuses: z.array(ContainerStatus),
  /** Headroom: what this application may still get. */
  limit: Resource,
  updatedNodes: z.array(NodeReport),
  numClusterNodes: z.number().int(),
  nmTokens: z.array(NMToken),
  applicationPriority: z.number().int(),
});
export type AllocateResponse = z.infer<typeof AllocateResponse>;

export const FinishApplicationMasterRequest = z.object({
  finalApplicationStatus: FinalApplicationStatus,
  diagnostics: z.string().default(''),
  trackingUrl: z.string().default(''),
});
export type FinishApplicationMasterRequest = z.infer<typeof FinishApplicationMasterRequest>;

export const FinishApplicationMasterResponse = z.object({ isUnregistered: z.boolean() });
export type FinishApplicationMasterResponse = z.infer<typeof FinishApplicationMasterResponse>;

export const amRmRoutes = {
  registerApplicationMaster: route({
    method: 'POST',
    path: '/rpc/applicationmaster/registerApplicationMaster',
    body: RegisterApplicationMasterRequest,
    response: RegisterApplicationMasterResponse,
    status: 200,
    semantics: 'idempotent',
  }),
  /** At-most-once, made safe to retry by the responseId rules: a retry gets the cached answer. */
  allocate: route({
    method: 'POST',
    path: '/rpc/applicationmaster/allocate',
    body: AllocateRequest,
    response: AllocateResponse,
    status: 200,
    semantics: 'idempotent',
  }),
  finishApplicationMaster: route({
    method: 'POST',
    path: '/rpc/applicationmaster/finishApplicationMaster',
    body: FinishApplicationMasterRequest,
    response: FinishApplicationMasterResponse,
    status: 200,
    semantics: 'idempotent',
  }),
};

/**
 * ApplicationMasterProtocol, the one interface every AM holds: the HTTP client below and the
 * RM's in-process one (ApplicationMasterService.inProcessClient) both are it, and tests' fake RMs
 * implement it.
 */
export type ApplicationMasterProtocol = Client<typeof amRmRoutes>;

export interface HttpApplicationMasterProtocolOptions {
  /** The RM base URL (WEFT_RM_ADDRESS inside an AM container). */
  readonly rmUrl: string;
  /** Read per call, so a rolled AMRM token is picked up without rebuilding the client. */
  readonly token: () => string;
  readonly timeoutMs?: number;
}

export function httpApplicationMasterProtocol(options: HttpApplicationMasterProtocolOptions): ApplicationMasterProtocol {
  // No transport-level retries: the AMRMClient owns retrying, because an allocate retry must
  // resend the very same request (same responseId) to get the RM's cached answer.
  return createHttpClient(options.rmUrl, amRmRoutes, {
    headers: () => ({ [AMRM_TOKEN_HEADER]: `Bearer ${options.token()}` }),
    retries: 0,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}
