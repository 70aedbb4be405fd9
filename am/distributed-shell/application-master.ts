import type { Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import { ContainerExitStatus, type Container, type ContainerStatus, type FinalApplicationStatus, type Resource } from '../../rm/protocol/records.ts';
import { createAMRMClient, type AMRMClient, type AMRMClientHandler } from '../amrm-client.ts';
import type { ApplicationMasterConnections } from '../application-master-connections.ts';
import { containerRequest } from '../container-request.ts';
import { SHELL_COMMAND_ENV, containerShellCommand } from './shell-command.ts';

export interface DistributedShellOptions {
  readonly numContainers: number;
  readonly capability: Resource;
  readonly priority: number;
  readonly shellCommand: string;
  readonly shellEnv: Readonly<Record<string, string>>;
  /** How many failed containers may be replaced in total before the app fails (default 0, as YARN's DS). */
  readonly maxContainerRetries: number;
  readonly heartbeatIntervalMs: number;
}

export interface DistributedShellDeps extends ApplicationMasterConnections {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where the AM runs, reported at registration. */
  readonly host: string;
}

export interface ContainerFailure {
  readonly containerId: string;
  readonly exitStatus: number;
  readonly diagnostics: string;
}

export interface DistributedShellResult {
  readonly finalStatus: FinalApplicationStatus;
  readonly diagnostics: string;
  readonly succeeded: readonly string[];
  readonly failed: readonly ContainerFailure[];
}

type Outcome = { kind: 'completed' } | { kind: 'error'; error: Error } | { kind: 'shutdown' };

/**
 * YARN's DistributedShell ApplicationMaster: runs one shell command in N containers and finishes
 * SUCCEEDED when every one exits 0. A container that fails is replaced while the retry budget
 * lasts; one the framework aborted (-100: lost node, released) is replaced without counting,
 * as DS does, because the command never got a fair run.
 */
export class DistributedShellApplicationMaster implements AMRMClientHandler {
  private readonly options: DistributedShellOptions;
  private readonly deps: DistributedShellDeps;
  private readonly logger: Logger;
  private readonly amrm: AMRMClient;
  /** Launched (or launching) and not yet completed. */
  private readonly active = new Map<string, Container>();
  private readonly succeeded: string[] = [];
  private readonly failed: ContainerFailure[] = [];
  private retriesUsed = 0;
  private resolveOutcome: (o: Outcome) => void = () => {};
  private readonly outcome: Promise<Outcome>;
  private settled = false;

  constructor(options: DistributedShellOptions, deps: DistributedShellDeps) {
    this.options = options;
    this.deps = deps;
    this.logger = deps.logger;
    this.amrm = createAMRMClient(deps, this, { heartbeatIntervalMs: options.heartbeatIntervalMs });
    this.outcome = new Promise((resolve) => {
      this.resolveOutcome = resolve;
    });
  }

  async run(): Promise<DistributedShellResult> {
    await this.amrm.register(this.deps.host, -1, '');
    for (let i = 0; i < this.options.numContainers; i++) this.requestContainer();
    if (this.options.numContainers === 0) this.settle({ kind: 'completed' });
    await this.amrm.heartbeat();
    this.amrm.start();
    const outcome = await this.outcome;
    this.amrm.stop();
    if (outcome.kind === 'shutdown') {
      return { finalStatus: 'FAILED', diagnostics: 'ResourceManager asked the ApplicationMaster to shut down', succeeded: this.succeeded, failed: this.failed };
    }
    await this.stopActiveContainers();
    // The RM cannot be talked to any more (the client gave up): nothing to unregister with.
    if (outcome.kind === 'error') throw outcome.error;
    const result = this.result(outcome);
    this.logger.info({ finalStatus: result.finalStatus, succeeded: result.succeeded.length, failed: result.failed.length }, 'distributed shell done');
    await this.amrm.finish(result.finalStatus, result.diagnostics);
    return result;
  }

  getProgress(): number {
    return this.options.numContainers === 0 ? 1 : (this.succeeded.length + this.failed.length) / this.options.numContainers;
  }

  onContainersAllocated(containers: readonly Container[]): void {
    for (const container of containers) {
      const needed = this.options.numContainers - this.active.size - this.succeeded.length - this.failed.length;
      if (needed <= 0 || this.settled) {
        this.logger.info({ containerId: container.id }, 'releasing an excess container');
        this.amrm.releaseAssignedContainer(container.id);
        continue;
      }
      this.active.set(container.id, container);
      void this.launch(container);
    }
  }

  onContainersCompleted(statuses: readonly ContainerStatus[]): void {
    for (const status of statuses) {
      if (!this.active.delete(status.containerId)) continue;
      const log = this.logger.child({ containerId: status.containerId });
      if (status.exitStatus === ContainerExitStatus.SUCCESS) {
        log.info('container succeeded');
        this.succeeded.push(status.containerId);
      } else if (status.exitStatus === ContainerExitStatus.ABORTED) {
        log.warn({ diagnostics: status.diagnostics }, 'container aborted by the framework; asking for a replacement');
        this.requestContainer();
      } else {
        this.recordFailure({ containerId: status.containerId, exitStatus: status.exitStatus, diagnostics: status.diagnostics });
      }
    }
    this.checkDone();
  }

  onShutdownRequest(): void {
    this.settle({ kind: 'shutdown' });
  }

  onError(error: Error): void {
    this.settle({ kind: 'error', error });
  }

  private async launch(container: Container): Promise<void> {
    const log = this.logger.child({ containerId: container.id, nodeId: container.nodeId });
    try {
      await this.deps.nmClient.startContainer(container, {
        commands: [containerShellCommand()],
        environment: { ...this.options.shellEnv, [SHELL_COMMAND_ENV]: this.options.shellCommand },
        localResources: {},
        applicationACLs: {},
      });
      log.info('container started');
    } catch (err) {
      log.error({ err: (err as Error).message }, 'container failed to start');
      if (!this.active.delete(container.id)) return;
      this.amrm.releaseAssignedContainer(container.id);
      this.recordFailure({ containerId: container.id, exitStatus: ContainerExitStatus.INVALID, diagnostics: `failed to start: ${(err as Error).message}` });
      this.checkDone();
    }
  }

  private recordFailure(failure: ContainerFailure): void {
    const log = this.logger.child({ containerId: failure.containerId });
    if (this.retriesUsed < this.options.maxContainerRetries && !this.settled) {
      this.retriesUsed++;
      log.warn({ exitStatus: failure.exitStatus, retriesUsed: this.retriesUsed }, 'container failed; asking for a replacement');
      this.requestContainer();
      return;
    }
    log.warn({ exitStatus: failure.exitStatus, diagnostics: failure.diagnostics }, 'container failed');
    this.failed.push(failure);
  }

  private requestContainer(): void {
    this.amrm.addContainerRequest(containerRequest(this.options.capability, this.options.priority));
  }

  private checkDone(): void {
    if (this.succeeded.length + this.failed.length >= this.options.numContainers) this.settle({ kind: 'completed' });
  }

  private settle(outcome: Outcome): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveOutcome(outcome);
  }

  private async stopActiveContainers(): Promise<void> {
    await Promise.all(
      [...this.active.values()].map((c) =>
        this.deps.nmClient.stopContainer(c.id, c.nodeId).catch((err: unknown) => {
          this.logger.warn({ containerId: c.id, err: (err as Error).message }, 'could not stop container');
        }),
      ),
    );
  }

  private result(_outcome: { kind: 'completed' }): DistributedShellResult {
    const base = { succeeded: this.succeeded, failed: this.failed };
    if (this.failed.length === 0) return { ...base, finalStatus: 'SUCCEEDED', diagnostics: '' };
    return { ...base, finalStatus: 'FAILED', diagnostics: failureDiagnostics(this.options.numContainers, this.failed) };
  }
}

/** e.g. "1 of 3 containers failed; container_..._000002 exited with code 3". */
export function failureDiagnostics(total: number, failed: readonly ContainerFailure[]): string {
  const parts = failed.map((f) => {
    const reason = f.exitStatus < 0 && f.diagnostics ? ` (${f.diagnostics.split('\n')[0]?.trim()})` : '';
    return `${f.containerId} exited with code ${f.exitStatus}${reason}`;
  });
  return `${failed.length} of ${total} containers failed; ${parts.join('; ')}`;
}
