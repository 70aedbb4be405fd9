import { formatNodeId } from '../rm/protocol/ids.ts';
import type { Resource } from '../rm/protocol/records.ts';
import type { NmApplication } from './containers/application.ts';
import type { Container } from './containers/container.ts';
import { NmSecretKeys } from './security/nm-secret-keys.ts';

/**
 * State the NM's services share (YARN's NodeManager.NMContext): identity, the RM's keys, the
 * containers and applications on this node, and health.
 */
export class NmContext {
  readonly hostname: string;
  readonly resource: Resource;
  readonly startTime: number;
  /** The NM's single HTTP port, known once the server listens; part of the node id. */
  httpPort = 0;
  readonly keys = new NmSecretKeys();
  readonly containers = new Map<string, Container>();
  readonly applications = new Map<string, NmApplication>();
  lastNodeUpdateTime = 0;
  healthy = true;
  healthReport = '';

  constructor(hostname: string, resource: Resource, startTime: number) {
    this.hostname = hostname;
    this.resource = resource;
    this.startTime = startTime;
  }

  get nodeId(): string {
    return formatNodeId(this.hostname, this.httpPort);
  }

  get httpAddress(): string {
    return `${this.hostname}:${this.httpPort}`;
  }
}
