import type { Clock } from './common/clock.ts';
import type { Logger } from './common/logger.ts';
import type { RmConfig } from './config.ts';
import type { EventQueue } from './events/event-queue.ts';
import type { LivelinessMonitor } from './monitor/liveliness-monitor.ts';
import type { ContainerManagementProtocol } from './protocol/nm-container.ts';
import type { Scheduler } from './scheduler/scheduler.ts';
import type { RmSecretManager } from './security/secret-manager.ts';
import type { RmStateStore } from './store/rm-state-store.ts';
import type { RmApp } from './app/rm-app.ts';
import type { RmAppAttempt } from './app/attempt/rm-app-attempt.ts';
import type { RmContainer } from './container/rm-container.ts';
import type { RmNode } from './node/rm-node.ts';
import type { RmChanges } from './rm-changes.ts';

export type { RmChange } from './rm-changes.ts';

/**
 * Everything the RM's entities share (YARN's RMContext): the deps built in main.ts and the live
 * maps of apps, nodes and containers. Entities hold a reference to it instead of to each other's
 * services.
 */
export interface RmContext {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: RmConfig;
  readonly store: RmStateStore;
  readonly scheduler: Scheduler;
  readonly secrets: RmSecretManager;
  readonly events: EventQueue;
  /**
   * How the RM reaches a NodeManager's ContainerManagement (HTTP, the NM in-process, or a fake in
   * tests); the AMLauncher only starts, with the container token, so it needs no NMToken.
   */
  readonly nmGateway: (nodeId: string) => Pick<ContainerManagementProtocol, 'startContainers'>;
  readonly clusterTimestamp: number;
  /** Incremented on every restart with recovery; prefixes new container ids (`e01_`). */
  readonly epoch: number;
  /** Base URL of this RM as handed to AMs and clients. */
  readonly rmAddress: string;
  readonly apps: Map<string, RmApp>;
  /** Nodes that registered and have not left (any state but the inactive ones). */
  readonly nodes: Map<string, RmNode>;
  /** Nodes that left (LOST, SHUTDOWN, DECOMMISSIONED, REBOOTED), by node id. */
  readonly inactiveNodes: Map<string, RmNode>;
  /** Containers not yet in a final state. */
  readonly containers: Map<string, RmContainer>;
  readonly nmLiveness: LivelinessMonitor<string>;
  readonly amLiveness: LivelinessMonitor<string>;
  readonly allocationExpirer: LivelinessMonitor<string>;
  /** The one published change stream (rm-changes.ts): entities publish, subscribers subscribe. */
  readonly changes: RmChanges;
  /** Starts an attempt's AM container on its node (AMLauncher). */
  appLauncher(attempt: RmAppAttempt): void;
  /** A node changed state: running AMs hear of it in their next allocate (`updatedNodes`). */
  nodeUpdated(node: RmNode): void;
  /** Asks for a scheduling pass once the current event cascade is done. */
  requestScheduling(): void;
  /** Applications in `queue` not in a final state, `except` one (admission's max-applications check). */
  appsInQueue(queue: string, except?: string): number;
  /** Called as an application enters a final state (metrics, retention); `app.state` is not yet updated. */
  appFinished(app: RmApp, state: 'FINISHED' | 'FAILED' | 'KILLED'): void;
}
