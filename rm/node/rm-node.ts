import { StateMachine, IGNORE, type TransitionTable } from '../common/state-machine.ts';
import { ContainerDiagnostics, ContainerExitStatus, type NodeState, type Resource } from '../protocol/records.ts';
import type { NodeHeartbeatResponse } from '../protocol/resource-tracker.ts';
import type { NodeReport } from '../protocol/records.ts';
import type { RmContext } from '../rm-context.ts';
import type { RmContainer } from '../container/rm-container.ts';

export type RmNodeEvent =
  // source: ResourceTrackerService (registration)
  | { type: 'STARTED' }
  // source: ResourceTrackerService (heartbeat)
  | { type: 'STATUS_UPDATE'; healthy: boolean; healthReport: string }
  // source: ResourceTrackerService (same host registered again)
  | { type: 'RECONNECTED'; healthy: boolean }
  // source: ResourceTrackerService (graceful NM stop)
  | { type: 'SHUTDOWN' }
  // source: NM liveness monitor
  | { type: 'EXPIRE' }
  // source: admin
  | { type: 'DECOMMISSION' }
  // source: ResourceTrackerService (NM restarted without recovery)
  | { type: 'REBOOTING' };

const health = (n: RmNode, e: { healthy: boolean; healthReport: string }): NodeState => {
  n.healthReport = e.healthReport;
  n.lastHealthUpdate = n.now();
  return e.healthy ? 'RUNNING' : 'UNHEALTHY';
};
const deactivate = (to: NodeState, diagnostics: string) => ({ to, action: (n: RmNode) => n.deactivate(to, diagnostics) });
const inactive = { STATUS_UPDATE: IGNORE, EXPIRE: IGNORE, SHUTDOWN: IGNORE, DECOMMISSION: IGNORE, REBOOTING: IGNORE, RECONNECTED: IGNORE, STARTED: IGNORE } as const;

/** RMNodeImpl's table (reference/yarn.md §4.4). */
export const rmNodeTransitions: TransitionTable<NodeState, RmNodeEvent, RmNode> = {
  NEW: { STARTED: { to: 'RUNNING', action: (n) => n.activate() }, DECOMMISSION: { to: 'DECOMMISSIONED' } },
  RUNNING: {
    STATUS_UPDATE: { to: ['RUNNING', 'UNHEALTHY'], action: health },
    RECONNECTED: { to: ['RUNNING', 'UNHEALTHY'], action: (_n, e) => (e.healthy ? 'RUNNING' : 'UNHEALTHY') },
    EXPIRE: deactivate('LOST', ContainerDiagnostics.LOST_NODE),
    SHUTDOWN: deactivate('SHUTDOWN', ContainerDiagnostics.LOST_NODE),
    DECOMMISSION: deactivate('DECOMMISSIONED', 'Container released on a decommissioned node'),
    REBOOTING: deactivate('REBOOTED', ContainerDiagnostics.LOST_NODE),
    STARTED: IGNORE,
  },
  UNHEALTHY: {
    STATUS_UPDATE: { to: ['RUNNING', 'UNHEALTHY'], action: health },
    RECONNECTED: { to: ['RUNNING', 'UNHEALTHY'], action: (_n, e) => (e.healthy ? 'RUNNING' : 'UNHEALTHY') },
    EXPIRE: deactivate('LOST', ContainerDiagnostics.LOST_NODE),
    SHUTDOWN: deactivate('SHUTDOWN', ContainerDiagnostics.LOST_NODE),
    DECOMMISSION: deactivate('DECOMMISSIONED', 'Container released on a decommissioned node'),
    REBOOTING: deactivate('REBOOTED', ContainerDiagnostics.LOST_NODE),
    STARTED: IGNORE,
  },
  DECOMMISSIONING: {
    STATUS_UPDATE: IGNORE,
    RECONNECTED: IGNORE,
    STARTED: IGNORE,
    EXPIRE: deactivate('LOST', ContainerDiagnostics.LOST_NODE),
    SHUTDOWN: deactivate('SHUTDOWN', ContainerDiagnostics.LOST_NODE),
    DECOMMISSION: deactivate('DECOMMISSIONED', 'Container released on a decommissioned node'),
    REBOOTING: deactivate('REBOOTED', ContainerDiagnostics.LOST_NODE),
  },
  LOST: inactive,
  SHUTDOWN: inactive,
  DECOMMISSIONED: inactive,
  REBOOTED: inactive,
};

export interface RmNodeInit {
  readonly nodeId: string;
  readonly host: string;
  readonly httpAddress: string;
  readonly total: Resource;
  readonly version: string;
}

/** A NodeManager as the RM sees it: capacity, usage, containers, and what to tell it next. */
export class RmNode {
  readonly nodeId: string;
  readonly host: string;
  readonly rack = '/default-rack';
  readonly httpAddress: string;
  readonly total: Resource;
  readonly version: string;
  readonly used: { memory: number; vCores: number } = { memory: 0, vCores: 0 };
  readonly containers = new Map<string, RmContainer>();
  healthReport = '';
  lastHealthUpdate: number;
  /** Bumped whenever what the scheduler reads of this node changes (usage, state). */
  schedulerVersion = 0;
  /** The last heartbeat answer, re-sent for a duplicate request (responseId rules). */
  lastResponse: NodeHeartbeatResponse;
  /** Containers the RM ended that the NM must stop. */
  readonly containersToCleanup = new Set<string>();
  /** Finished applications whose containers and dirs the NM must clean up. */
  readonly applicationsToCleanup = new Set<string>();
  private readonly machine: StateMachine<NodeState, RmNodeEvent, RmNode>;
  private readonly ctx: RmContext;

  constructor(ctx: RmContext, init: RmNodeInit) {
    this.ctx = ctx;
    this.nodeId = init.nodeId;
    this.host = init.host;
    this.httpAddress = init.httpAddress;
    this.total = init.total;
    this.version = init.version;
    this.lastHealthUpdate = ctx.clock.now();
    this.lastResponse = {
      responseId: 0,
      nodeAction: 'NORMAL',
      containersToCleanup: [],
      applicationsToCleanup: [],
      containersToBeRemovedFromNm: [],
      nextHeartBeatInterval: ctx.config.heartbeatIntervalMs,
      diagnosticsMessage: '',
    };
    this.machine = new StateMachine<NodeState, RmNodeEvent, RmNode>(rmNodeTransitions, 'NEW', this, 'RMNode', ctx.logger.child({ nodeId: init.nodeId }));
  }

  get state(): NodeState {
    return this.machine.state;
  }

  get available(): Resource {
    return { memory: this.total.memory - this.used.memory, vCores: this.total.vCores - this.used.vCores };
  }

  /** Whether the scheduler may place containers here. */
  get schedulable(): boolean {
    return this.state === 'RUNNING';
  }

  now(): number {
    return this.ctx.clock.now();
  }

  handle(event: RmNodeEvent): void {
    const before = this.state;
    this.machine.handle(event);
    if (before !== this.state) {
      this.schedulerVersion++;
      this.ctx.changes.publish({ kind: 'node', id: this.nodeId, state: this.state });
      this.ctx.nodeUpdated(this);
      this.ctx.requestScheduling();
    }
  }

  activate(): void {
    this.ctx.nmLiveness.register(this.nodeId);
  }

  /** The node left: every container on it completes (ABORTED) and it stops being schedulable. */
  deactivate(state: NodeState, diagnostics: string): void {
    this.ctx.nmLiveness.unregister(this.nodeId);
    this.ctx.nodes.delete(this.nodeId);
    this.ctx.inactiveNodes.set(this.nodeId, this);
    for (const container of [...this.containers.values()]) {
      this.ctx.events.dispatch(() => container.handle({ type: 'KILL', exitStatus: ContainerExitStatus.ABORTED, diagnostics }));
    }
    this.ctx.logger.info({ nodeId: this.nodeId, state, containers: this.containers.size }, 'node deactivated');
  }

  addContainer(c: RmContainer): void {
    this.containers.set(c.id, c);
    this.used.memory += c.resource.memory;
    this.used.vCores += c.resource.vCores;
    this.schedulerVersion++;
  }

  removeContainer(c: RmContainer): void {
    if (!this.containers.delete(c.id)) return;
    this.used.memory -= c.resource.memory;
    this.used.vCores -= c.resource.vCores;
    this.schedulerVersion++;
  }

  toNodeReport(): NodeReport {
    return {
      nodeId: this.nodeId,
      httpAddress: this.httpAddress,
      rackName: this.rack,
      used: { ...this.used },
      capability: this.total,
      numContainers: this.containers.size,
      healthReport: this.healthReport,
      lastHealthReportTime: this.lastHealthUpdate,
      nodeState: this.state,
    };
  }

  cleanupContainer(containerId: string): void {
    this.containersToCleanup.add(containerId);
  }
}
