import type { NodeInfo } from '../protocol/client-rm.ts';
import type { RmNode } from '../node/rm-node.ts';

/** NodeInfo.java (reference/yarn.md §1.9). */
export function nodeInfo(n: RmNode): NodeInfo {
  const avail = n.available;
  return {
    rack: n.rack,
    state: n.state,
    id: n.nodeId,
    nodeHostName: n.host,
    nodeHTTPAddress: n.httpAddress,
    lastHealthUpdate: n.lastHealthUpdate,
    version: n.version,
    healthReport: n.healthReport,
    numContainers: n.containers.size,
    usedMemoryMB: n.used.memory,
    availMemoryMB: avail.memory,
    usedVirtualCores: n.used.vCores,
    availableVirtualCores: avail.vCores,
    numRunningOpportContainers: 0,
    usedMemoryOpportGB: 0,
    usedVirtualCoresOpport: 0,
    numQueuedContainers: 0,
    nodeLabels: [],
    totalResource: { memory: n.total.memory, vCores: n.total.vCores },
    usedResource: { memory: n.used.memory, vCores: n.used.vCores },
    availableResource: avail,
  };
}
