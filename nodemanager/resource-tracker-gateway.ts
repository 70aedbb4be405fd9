import { createHttpClient } from '../rm/common/http-client.ts';
import {
  resourceTrackerRoutes,
  type NodeHeartbeatRequest,
  type NodeHeartbeatResponse,
  type RegisterNodeManagerRequest,
  type RegisterNodeManagerResponse,
} from '../rm/protocol/resource-tracker.ts';

/**
 * The NM's view of the RM's ResourceTracker protocol. The HTTP client below and in-process fakes
 * both satisfy it, so tests can run a NodeManager without a real RM.
 */
export interface ResourceTrackerGateway {
  registerNodeManager(request: RegisterNodeManagerRequest): Promise<RegisterNodeManagerResponse>;
  nodeHeartbeat(request: NodeHeartbeatRequest): Promise<NodeHeartbeatResponse>;
  unRegisterNodeManager(request: { nodeId: string }): Promise<unknown>;
}

export function httpResourceTracker(rmUrl: string, timeoutMs = 10_000): ResourceTrackerGateway {
  // The NM has its own retry loop (register until it works, heartbeat every interval), so the
  // client does not retry on its own.
  const client = createHttpClient(rmUrl, resourceTrackerRoutes, { retries: 0, timeoutMs });
  return {
    registerNodeManager: (body) => client.registerNodeManager({ body }),
    nodeHeartbeat: (body) => client.nodeHeartbeat({ body }),
    unRegisterNodeManager: (body) => client.unRegisterNodeManager({ body }),
  };
}
