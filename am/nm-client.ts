import { WeftError } from '../rm/common/errors.ts';
import {
  httpContainerManagementProtocol,
  type ContainerManagementProtocol,
  type ContainerManagementProtocolFactory,
  type FailedRequest,
} from '../rm/protocol/nm-container.ts';
import type { Container, ContainerLaunchContext, ContainerStatus } from '../rm/protocol/records.ts';
import type { NmTokenCache } from './nm-token-cache.ts';

const httpNms: ContainerManagementProtocolFactory = (nodeId, nmToken) =>
  httpContainerManagementProtocol(nodeId, nmToken !== undefined ? { nmToken } : {});

/** A per-container failure the NM reported inside an otherwise successful bulk call. */
export class ContainerRequestError extends Error {
  readonly containerId: string;
  readonly className: string;

  constructor(failed: FailedRequest) {
    super(failed.exception.message);
    this.name = 'ContainerRequestError';
    this.containerId = failed.containerId;
    this.className = failed.exception.className;
  }
}

/**
 * The AM's client of ContainerManagementProtocol (YARN's NMClient). Start is authorised by the
 * container token the RM put on the allocated container; stop and status by the NM token the RM
 * sent for that node in an allocate response.
 */
export class NMClient {
  private readonly tokens: NmTokenCache;
  private readonly nms: ContainerManagementProtocolFactory;

  constructor(tokens: NmTokenCache, nms: ContainerManagementProtocolFactory = httpNms) {
    this.tokens = tokens;
    this.nms = nms;
  }

  async startContainer(container: Container, launchContext: ContainerLaunchContext): Promise<void> {
    const client = this.nms(container.nodeId, this.tokens.get(container.nodeId));
    const response = await client.startContainers({
      params: undefined,
      body: { startContainerRequest: [{ containerLaunchContext: launchContext, containerToken: container.containerToken }] },
    });
    expectSucceeded(container.id, response.succeededRequests, response.failedRequests, 'start');
  }

  async stopContainer(containerId: string, nodeId: string): Promise<void> {
    const response = await this.clientFor(nodeId).stopContainers({ params: undefined, body: { containerIds: [containerId] } });
    expectSucceeded(containerId, response.succeededRequests, response.failedRequests, 'stop');
  }

  async getContainerStatus(containerId: string, nodeId: string): Promise<ContainerStatus> {
    const response = await this.clientFor(nodeId).getContainerStatuses({ params: undefined, body: { containerIds: [containerId] } });
    const failed = response.failedRequests.find((f) => f.containerId === containerId);
    if (failed) throw new ContainerRequestError(failed);
    const status = response.containerStatuses.find((s) => s.containerId === containerId);
    if (!status) throw new WeftError('Yarn', `NodeManager ${nodeId} returned no status for ${containerId}`);
    return status;
  }

  private clientFor(nodeId: string): ContainerManagementProtocol {
    const token = this.tokens.get(nodeId);
    if (token === undefined) throw new WeftError('InvalidToken', `no NM token for node ${nodeId}; the RM sends one with the first container on it`);
    return this.nms(nodeId, token);
  }
}

function expectSucceeded(containerId: string, succeeded: readonly string[], failed: readonly FailedRequest[], what: string): void {
  const failure = failed.find((f) => f.containerId === containerId);
  if (failure) throw new ContainerRequestError(failure);
  if (!succeeded.includes(containerId)) throw new WeftError('Yarn', `NodeManager did not confirm ${what} of ${containerId}`);
}
