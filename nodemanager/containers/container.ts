import type { Logger } from '../../rm/common/logger.ts';
import { StateMachine } from '../../rm/common/state-machine.ts';
import type { NMContainerStatus } from '../../rm/protocol/resource-tracker.ts';
import { ContainerExitStatus, type ContainerLaunchContext, type ContainerStatus, type Resource } from '../../rm/protocol/records.ts';
import type { ContainerTokenIdentifier } from '../../rm/protocol/tokens.ts';
import {
  containerTransitions,
  publicContainerState,
  type ContainerEvent,
  type ContainerRecord,
  type ContainerStateName,
} from './container-state-machine.ts';

export interface ContainerInit {
  readonly id: string;
  readonly appId: string;
  readonly token: ContainerTokenIdentifier;
  readonly launchContext: ContainerLaunchContext;
  readonly workDir: string;
  readonly logDir: string;
  readonly createdAt: number;
  readonly logger: Logger;
}

/** One container on this node: what the RM granted, what the AM asked to run, and where it is. */
export class Container implements ContainerRecord {
  readonly id: string;
  readonly appId: string;
  readonly user: string;
  readonly resource: Resource;
  readonly priority: number;
  readonly launchContext: ContainerLaunchContext;
  readonly workDir: string;
  readonly logDir: string;
  readonly createdAt: number;
  readonly logger: Logger;
  pid: number | undefined;
  exitStatus: number = ContainerExitStatus.INVALID;
  killExitStatus: number | undefined;
  finishedAt: number | undefined;
  private readonly diagnostics: string[] = [];
  private readonly machine: StateMachine<ContainerStateName, ContainerEvent, ContainerRecord>;

  constructor(init: ContainerInit) {
    this.id = init.id;
    this.appId = init.appId;
    this.user = init.token.appSubmitter;
    this.resource = init.token.resource;
    this.priority = init.token.priority;
    this.launchContext = init.launchContext;
    this.workDir = init.workDir;
    this.logDir = init.logDir;
    this.createdAt = init.createdAt;
    this.logger = init.logger;
    this.machine = new StateMachine<ContainerStateName, ContainerEvent, ContainerRecord>(containerTransitions, 'NEW', this, 'Container', init.logger);
  }

  get state(): ContainerStateName {
    return this.machine.state;
  }

  get isDone(): boolean {
    return this.machine.state === 'DONE';
  }

  /** True while a process (or what is left of its group) may still be running. */
  get hasProcess(): boolean {
    return this.state === 'RUNNING' || this.state === 'KILLING';
  }

  handle(event: ContainerEvent): ContainerStateName {
    return this.machine.handle(event);
  }

  addDiagnostics(message: string): void {
    if (message) this.diagnostics.push(message);
  }

  get diagnosticsText(): string {
    return this.diagnostics.join('\n');
  }

  toStatus(): ContainerStatus {
    return {
      containerId: this.id,
      state: publicContainerState(this.state),
      exitStatus: this.exitStatus,
      diagnostics: this.diagnosticsText,
      capability: this.resource,
    };
  }

  /** What registration reports so a restarted RM can rebuild the container (NMContainerStatus). */
  toNMContainerStatus(): NMContainerStatus {
    const state = publicContainerState(this.state);
    return {
      containerId: this.id,
      containerState: state === 'SCHEDULED' ? 'NEW' : state,
      resource: this.resource,
      priority: this.priority,
      diagnostics: this.diagnosticsText,
      containerExitStatus: this.exitStatus,
      creationTime: this.createdAt,
    };
  }
}
