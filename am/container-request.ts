import type { Resource } from '../rm/protocol/records.ts';

/**
 * What an AM asks for, one container per request (YARN's AMRMClient.ContainerRequest). The
 * client turns outstanding requests into the RM's ResourceRequest table.
 */
export interface ContainerRequest {
  readonly capability: Resource;
  readonly priority: number;
  /** Echoed on the containers allocated for it, so an AM can tell its asks apart. */
  readonly allocationRequestId?: number;
  /** Preferred hosts; an ANY (`*`) entry is always added too. */
  readonly nodes?: readonly string[];
  /** false pins the request to `nodes` (ANY is sent with relaxLocality=false). */
  readonly relaxLocality?: boolean;
  readonly executionType?: 'GUARANTEED' | 'OPPORTUNISTIC';
}

export const ANY = '*';

export function containerRequest(capability: Resource, priority = 0, extra: Partial<ContainerRequest> = {}): ContainerRequest {
  return { ...extra, capability, priority };
}
