import { z } from 'zod';
import { createHttpClient } from '../common/http-client.ts';
import { route, type Client } from '../common/route.ts';
import { ContainerLaunchContext, ContainerStatus } from './records.ts';

/**
 * ContainerManagementProtocol (AM or RM -> NM), served by each NM under `/rpc/containermanager/`.
 * startContainers is authorised by each request's container token; stop and status by the
 * caller's NMToken (`Authorization: Bearer <nmToken>`), which names one application attempt.
 * All three are bulk calls that answer per container.
 */
export const SerializedException = z.object({
  message: z.string(),
  className: z.string(),
});

export const FailedRequest = z.object({ containerId: z.string(), exception: SerializedException });
export type FailedRequest = z.infer<typeof FailedRequest>;

export const StartContainerRequest = z.object({
  containerLaunchContext: ContainerLaunchContext,
  containerToken: z.string(),
});
export type StartContainerRequest = z.infer<typeof StartContainerRequest>;

export const StartContainersRequest = z.object({ startContainerRequest: z.array(StartContainerRequest) });
export const StartContainersResponse = z.object({
  servicesMetaData: z.record(z.string(), z.string()).default({}),
  succeededRequests: z.array(z.string()),
  failedRequests: z.array(FailedRequest),
});
export type StartContainersResponse = z.infer<typeof StartContainersResponse>;

export const ContainerIdsRequest = z.object({ containerIds: z.array(z.string()) });

export const StopContainersResponse = z.object({
  succeededRequests: z.array(z.string()),
  failedRequests: z.array(FailedRequest),
});
export type StopContainersResponse = z.infer<typeof StopContainersResponse>;

export const GetContainerStatusesResponse = z.object({
  containerStatuses: z.array(ContainerStatus),
  failedRequests: z.array(FailedRequest),
});
export type GetContainerStatusesResponse = z.infer<typeof GetContainerStatusesResponse>;

export const nmContainerRoutes = {
  startContainers: route({
    method: 'POST',
    path: '/rpc/containermanager/startContainers',
    body: StartContainersRequest,
    response: StartContainersResponse,
    status: 200,
    semantics: 'atMostOnce',
  }),
  stopContainers: route({
    method: 'POST',
    path: '/rpc/containermanager/stopContainers',
    body: ContainerIdsRequest,
    response: StopContainersResponse,
    status: 200,
    semantics: 'idempotent',
  }),
  getContainerStatuses: route({
    method: 'POST',
    path: '/rpc/containermanager/getContainerStatuses',
    body: ContainerIdsRequest,
    response: GetContainerStatusesResponse,
    status: 200,
    semantics: 'safe',
  }),
};

/**
 * ContainerManagementProtocol (AM or RM -> NM), the one interface every caller of an NM holds:
 * the HTTP client below, the NM's in-process one (ContainerManagementService.inProcessClient)
 * and tests' fake NMs all are it.
 */
export type ContainerManagementProtocol = Client<typeof nmContainerRoutes>;

/**
 * Reaches one NM's ContainerManagement as a caller holding `nmToken` (sent as the bearer
 * credential stop and status need; the RM launching an AM has none, start is authorised by
 * each request's container token).
 */
export type ContainerManagementProtocolFactory = (nodeId: string, nmToken?: string) => ContainerManagementProtocol;

export const NM_TOKEN_HEADER = 'authorization';

export interface HttpContainerManagementProtocolOptions {
  /** The caller's NMToken for this node, if it has one. */
  readonly nmToken?: string;
  /** How often a safe or idempotent call is retried when the NM cannot be reached. */
  readonly retries?: number;
}

/** The NM's address is its node id (`host:port`): the NM serves ContainerManagement on its one port. */
export function httpContainerManagementProtocol(nodeId: string, options: HttpContainerManagementProtocolOptions = {}): ContainerManagementProtocol {
  const { nmToken } = options;
  return createHttpClient(`http://${nodeId}`, nmContainerRoutes, {
    headers: (): Record<string, string> => (nmToken !== undefined ? { [NM_TOKEN_HEADER]: `Bearer ${nmToken}` } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
  });
}
