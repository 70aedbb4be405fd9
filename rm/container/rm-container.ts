import { StateMachine, IGNORE, type TransitionTable } from '../common/state-machine.ts';
import { ContainerExitStatus, type Container, type ContainerStatus, type Resource } from '../protocol/records.ts';
import type { RmContext } from '../rm-context.ts';
import type { RmAppAttempt } from '../app/attempt/rm-app-attempt.ts';

/** RMContainerState (reference/yarn.md §4.3). */
export type RmContainerState = 'NEW' | 'RESERVED' | 'ALLOCATED' | 'ACQUIRED' | 'RUNNING' | 'COMPLETED' | 'EXPIRED' | 'RELEASED' | 'KILLED';

export type RmContainerEvent =
  // source: scheduling service
  | { type: 'START' }
  // source: ApplicationMasterService (handed to the AM in an allocate response)
  | { type: 'ACQUIRED' }
  // source: ResourceTrackerService (NM reports it running)
  | { type: 'LAUNCHED' }
  // source: ResourceTrackerService (NM reports it complete)
  | { type: 'FINISHED'; exitStatus: number; diagnostics: string }
  // source: allocation expirer
  | { type: 'EXPIRE' }
  // source: ApplicationMasterService (AM release)
  | { type: 'RELEASED'; diagnostics: string }
  // source: node lost, application finished, RM kill
  | { type: 'KILL'; exitStatus: number; diagnostics: string };

/** The states an RMContainer never leaves. Takes a string because change events carry the state as one. */
export const FINAL_CONTAINER_STATES: readonly RmContainerState[] = ['COMPLETED', 'EXPIRED', 'RELEASED', 'KILLED'];
export const isFinalContainerState = (state: string): boolean => (FINAL_CONTAINER_STATES as readonly string[]).includes(state);
const ignoreAll = { START: IGNORE, ACQUIRED: IGNORE, LAUNCHED: IGNORE, FINISHED: IGNORE, EXPIRE: IGNORE, RELEASED: IGNORE, KILL: IGNORE } as const;

const finish = (to: RmContainerState, exitStatus: number) => ({
  to,
  action: (c: RmContainer, e: { diagnostics: string; exitStatus?: number }) => {
    c.complete(e.exitStatus ?? exitStatus, e.diagnostics, true);
  },
});

export const rmContainerTransitions: TransitionTable<RmContainerState, RmContainerEvent, RmContainer> = {
  NEW: { START: { to: 'ALLOCATED', action: (c) => c.allocated() }, KILL: finish('KILLED', ContainerExitStatus.ABORTED) },
  RESERVED: { START: { to: 'ALLOCATED' }, KILL: finish('KILLED', ContainerExitStatus.ABORTED), RELEASED: finish('RELEASED', ContainerExitStatus.ABORTED) },
  ALLOCATED: {
    ACQUIRED: { to: 'ACQUIRED' },
    LAUNCHED: { to: 'RUNNING', action: (c) => c.launched() },
    FINISHED: { to: 'COMPLETED', action: (c, e) => c.complete(e.exitStatus, e.diagnostics) },
    EXPIRE: { to: 'EXPIRED', action: (c) => c.complete(ContainerExitStatus.ABORTED, 'Container expired since it was unused', true) },
    RELEASED: finish('RELEASED', ContainerExitStatus.ABORTED),
    KILL: finish('KILLED', ContainerExitStatus.ABORTED),
  },
  ACQUIRED: {
    ACQUIRED: IGNORE,
    LAUNCHED: { to: 'RUNNING', action: (c) => c.launched() },
    FINISHED: { to: 'COMPLETED', action: (c, e) => c.complete(e.exitStatus, e.diagnostics) },
    EXPIRE: { to: 'EXPIRED', action: (c) => c.complete(ContainerExitStatus.ABORTED, 'Container expired since it was unused', true) },
    RELEASED: finish('RELEASED', ContainerExitStatus.ABORTED),
    KILL: finish('KILLED', ContainerExitStatus.ABORTED),
  },
  RUNNING: {
    ACQUIRED: IGNORE,
    LAUNCHED: IGNORE,
    EXPIRE: IGNORE,
    FINISHED: { to: 'COMPLETED', action: (c, e) => c.complete(e.exitStatus, e.diagnostics) },
    RELEASED: finish('RELEASED', ContainerExitStatus.ABORTED),
    KILL: finish('KILLED', ContainerExitStatus.ABORTED),
  },
  COMPLETED: ignoreAll,
  EXPIRED: ignoreAll,
  RELEASED: ignoreAll,
  KILLED: ignoreAll,
};

export interface RmContainerInit {
  readonly id: string;
  readonly attempt: RmAppAttempt;
  readonly nodeId: string;
  readonly nodeHttpAddress: string;
  readonly resource: Resource;
  readonly priority: number;
  readonly allocationRequestId: number;
  readonly isAm: boolean;
  readonly resourceName: string;
}

/** A container the scheduler placed, followed from allocation to completion. */
export class RmContainer {
  readonly id: string;
  readonly nodeId: string;
  readonly nodeHttpAddress: string;
  readonly resource: Resource;
  readonly priority: number;
  readonly allocationRequestId: number;
  readonly isAm: boolean;
  readonly resourceName: string;
  readonly creationTime: number;
  readonly containerToken: string;
  attempt: RmAppAttempt;
  startTime = 0;
  finishTime = 0;
  exitStatus: number = ContainerExitStatus.INVALID;
  diagnostics = '';
  private completed = false;
  private readonly machine: StateMachine<RmContainerState, RmContainerEvent, RmContainer>;
  private readonly ctx: RmContext;

  constructor(ctx: RmContext, init: RmContainerInit, initialState: RmContainerState = 'NEW') {
    this.ctx = ctx;
    this.id = init.id;
    this.attempt = init.attempt;
    this.nodeId = init.nodeId;
    this.nodeHttpAddress = init.nodeHttpAddress;
    this.resource = init.resource;
    this.priority = init.priority;
    this.allocationRequestId = init.allocationRequestId;
    this.isAm = init.isAm;
    this.resourceName = init.resourceName;
    this.creationTime = ctx.clock.now();
    this.containerToken = ctx.secrets.createContainerToken({
      containerId: init.id,
      nodeId: init.nodeId,
      appSubmitter: init.attempt.app.user,
      resource: init.resource,
      expiryTimeStamp: this.creationTime + ctx.config.allocationExpiryMs,
      rmIdentifier: ctx.clusterTimestamp,
      priority: init.priority,
      creationTime: this.creationTime,
    });
    const logger = ctx.logger.child({ containerId: init.id });
    this.machine = new StateMachine<RmContainerState, RmContainerEvent, RmContainer>(rmContainerTransitions, initialState, this, 'RMContainer', logger);
  }

  get state(): RmContainerState {
    return this.machine.state;
  }

  /** True from the moment completion starts: the action runs before the state machine moves. */
  get isFinal(): boolean {
    return this.completed || isFinalContainerState(this.state);
  }

  handle(event: RmContainerEvent): void {
    const before = this.state;
    this.machine.handle(event);
    if (before !== this.state) this.ctx.changes.publish({ kind: 'container', id: this.id, state: this.state });
  }

  toContainer(): Container {
    return {
      id: this.id,
      nodeId: this.nodeId,
      nodeHttpAddress: this.nodeHttpAddress,
      resource: this.resource,
      priority: this.priority,
      containerToken: this.containerToken,
      allocationRequestId: this.allocationRequestId,
      executionType: 'GUARANTEED',
      version: 0,
    };
  }

  toStatus(): ContainerStatus {
    return {
      containerId: this.id,
      state: this.isFinal ? 'COMPLETE' : this.state === 'RUNNING' ? 'RUNNING' : 'NEW',
      exitStatus: this.exitStatus,
      diagnostics: this.diagnostics,
      capability: this.resource,
    };
  }

  /** Charges node and attempt; the allocation must be launched before the expiry interval. */
  allocated(): void {
    this.ctx.containers.set(this.id, this);
    this.ctx.nodes.get(this.nodeId)?.addContainer(this);
    this.attempt.addContainer(this);
    if (!this.isAm) this.ctx.allocationExpirer.register(this.id);
  }

  /** Adopts a container an NM reported at re-registration after an RM restart. */
  recovered(startTime: number): void {
    this.startTime = startTime;
    this.ctx.containers.set(this.id, this);
    this.ctx.nodes.get(this.nodeId)?.addContainer(this);
    this.attempt.addContainer(this);
  }

  launched(): void {
    this.startTime = this.ctx.clock.now();
    this.ctx.allocationExpirer.unregister(this.id);
  }

  /**
   * Frees the resources and tells the attempt (and so its AM). When the RM ended the container
   * (release, expiry, kill) the node is told to stop the process on its next heartbeat.
   */
  complete(exitStatus: number, diagnostics: string, rmInitiated = false): void {
    this.completed = true;
    this.exitStatus = exitStatus;
    this.diagnostics = diagnostics;
    this.finishTime = this.ctx.clock.now();
    this.ctx.allocationExpirer.unregister(this.id);
    this.ctx.containers.delete(this.id);
    const node = this.ctx.nodes.get(this.nodeId) ?? this.ctx.inactiveNodes.get(this.nodeId);
    node?.removeContainer(this);
    if (rmInitiated) node?.cleanupContainer(this.id);
    this.attempt.containerCompleted(this);
    this.ctx.requestScheduling();
  }
}
