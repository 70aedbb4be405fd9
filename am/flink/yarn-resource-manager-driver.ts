import { createAMRMClient, type AMRMClient, type AMRMClientHandler } from '../amrm-client.ts';
import type { ApplicationMasterConnections } from '../application-master-connections.ts';
import type { ContainerMetricsEndpoint } from '../../rm/protocol/am-rm.ts';
import { containerRequest, type ContainerRequest } from '../container-request.ts';
import type { Cancel, Clock } from '../../rm/common/clock.ts';
import type { Logger } from '../../rm/common/logger.ts';
import type { Container, ContainerLaunchContext, ContainerStatus, FinalApplicationStatus, Resource } from '../../rm/protocol/records.ts';
import type { FlinkConfiguration } from '../../runtime/config/flink-configuration.ts';
import { historyServerUrl } from '../../runtime/history/history-server-url.ts';
import type { ResourceEventHandler, ResourceManagerDriver, WorkerNode } from '../../runtime/resourcemanager/resource-manager-driver.ts';
import { workerSpecKey, type WorkerResourceSpec } from '../../runtime/resourcemanager/worker-resource-spec.ts';
import { workerExitCause } from './yarn-worker-exit-cause.ts';

export interface YarnResourceManagerDriverDeps extends ApplicationMasterConnections {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: FlinkConfiguration;
  /** What the AM registers with: its host and the Flink web UI as tracking URL. */
  readonly registration: { readonly host: string; readonly rpcPort?: number; readonly trackingUrl: string };
  /** The TaskManager's launch context for an allocated container. */
  readonly launchContext: (container: Container, spec: WorkerResourceSpec) => ContainerLaunchContext;
  /**
   * The RM's `diagnostics` of this application (its report from the RM's REST API, as an AM reads
   * it with YarnClient), read while container requests are pending: why YARN does not place them.
   */
  readonly applicationDiagnostics?: () => Promise<string>;
  /** The JobManager's and the TaskManagers' metrics endpoints, announced to the RM with each heartbeat. */
  readonly metricsEndpoints?: () => readonly ContainerMetricsEndpoint[];
}

/** How often the application's diagnostics are read while container requests are pending. */
const DIAGNOSTICS_INTERVAL_MS = 1000;

interface PendingRequest {
  readonly request: ContainerRequest;
  readonly resolve: (node: WorkerNode) => void;
  readonly reject: (err: Error) => void;
}

interface PriorityEntry {
  readonly spec: WorkerResourceSpec;
  readonly resource: Resource;
  readonly pending: PendingRequest[];
}

/**
 * Flink's YarnResourceManagerDriver (flink.md §2.3): workers are YARN containers asked for
 * through the AMRMClient, one priority per distinct TaskManager spec so allocations map back to
 * their spec; allocated containers beyond what is pending are given back; completed containers
 * are reported with Flink's cause texts. The AMRMClient lowers the ask table as containers
 * arrive (removeContainerRequest semantics); the heartbeat runs every
 * `yarn.heartbeat.container-request-interval` while requests are pending, else every
 * `yarn.heartbeat.interval`.
 */
export class YarnResourceManagerDriver implements ResourceManagerDriver, AMRMClientHandler {
  private readonly deps: YarnResourceManagerDriverDeps;
  private readonly logger: Logger;
  private readonly amrm: AMRMClient;
  private readonly priorities = new Map<string, number>();
  private readonly byPriority = new Map<number, PriorityEntry>();
  private nextPriority = 1;
  /** Containers holding a worker (starting or running). */
  private readonly workers = new Map<string, Container>();
  private readonly stops = new Set<Promise<void>>();
  private handler: ResourceEventHandler | undefined;
  private maximumCapability: Resource = { memory: Number.MAX_SAFE_INTEGER, vCores: Number.MAX_SAFE_INTEGER };
  private cancelHeartbeat: Cancel | undefined;
  private nextHeartbeatAt = Infinity;
  private running = false;
  private diagnostics: string | undefined;
  private diagnosticsReadAt = -Infinity;
  private diagnosticsInFlight = false;

  constructor(deps: YarnResourceManagerDriverDeps) {
    this.deps = deps;
    this.logger = deps.logger;
    this.amrm = createAMRMClient(deps, this);
  }

  async initialize(handler: ResourceEventHandler): Promise<void> {
    this.handler = handler;
    const { host, rpcPort, trackingUrl } = this.deps.registration;
    const response = await this.amrm.register(host, rpcPort ?? -1, trackingUrl);
    this.maximumCapability = response.maximumCapability;
    this.running = true;
    this.scheduleHeartbeat();
  }

  requestResource(spec: WorkerResourceSpec, signal?: AbortSignal): Promise<WorkerNode> {
    const resource: Resource = { memory: spec.memoryMb, vCores: spec.cpuCores };
    const max = this.maximumCapability;
    if (resource.memory > max.memory || resource.vCores > max.vCores) {
      return Promise.reject(
        new Error(`The requested resource <memory:${resource.memory}, vCores:${resource.vCores}> is larger than Yarn's max container resource limit <memory:${max.memory}, vCores:${max.vCores}>`),
      );
    }
    const priority = this.priorityOf(spec, resource);
    const request = containerRequest(resource, priority);
    return new Promise<WorkerNode>((resolve, reject) => {
      const entry = this.byPriority.get(priority)!;
      const pending: PendingRequest = { request, resolve, reject };
      entry.pending.push(pending);
      this.amrm.addContainerRequest(request);
      this.logger.info({ priority, resource, pending: this.pendingCount() }, 'requesting a TaskManager container');
      // Send the ask right away (requests made in the same turn share one allocate call) instead
      // of after a whole container-request interval: a per-job cluster waits on this.
      this.scheduleHeartbeat(0);
      signal?.addEventListener('abort', () => this.withdraw(entry, pending), { once: true });
    });
  }

  /** Removes a request that got no container yet from the ask table (the next allocate lowers the RM's count). */
  private withdraw(entry: PriorityEntry, pending: PendingRequest): void {
    const i = entry.pending.indexOf(pending);
    if (i < 0) return;
    entry.pending.splice(i, 1);
    this.amrm.removeContainerRequest(pending.request);
    this.logger.info({ priority: pending.request.priority, pending: this.pendingCount() }, 'withdrawing a TaskManager container request');
    pending.reject(new Error('the container request was withdrawn'));
    this.scheduleHeartbeat();
  }

  releaseResource(resourceId: string): void {
    const container = this.workers.get(resourceId);
    if (!container) return;
    this.workers.delete(resourceId);
    this.logger.info({ containerId: resourceId }, 'stopping and releasing a TaskManager container');
    const stop = this.deps.nmClient
      .stopContainer(container.id, container.nodeId)
      .catch((err: unknown) => this.logger.warn({ containerId: container.id, err: (err as Error).message }, 'could not stop container'))
      .finally(() => this.stops.delete(stop));
    this.stops.add(stop);
    this.amrm.releaseAssignedContainer(resourceId);
  }

  async terminate(): Promise<void> {
    for (const id of [...this.workers.keys()]) this.releaseResource(id);
    for (const entry of this.byPriority.values()) {
      for (const p of entry.pending.splice(0)) {
        this.amrm.removeContainerRequest(p.request);
        p.reject(new Error('the resource manager driver was terminated'));
      }
    }
    await Promise.all([...this.stops]);
    // One last allocate carries the releases and the lowered asks to the RM.
    if (this.running && this.amrm.isRegistered) await this.amrm.heartbeat();
    this.stopHeartbeat();
  }

  /**
   * Unregisters the AM with YARN's final status (Flink's deregisterApplication); the final
   * tracking URL is the history server's when one is configured, as in Flink.
   */
  async deregisterApplication(status: FinalApplicationStatus, diagnostics: string): Promise<void> {
    this.stopHeartbeat();
    if (!this.amrm.isRegistered) return;
    await this.amrm.finish(status, diagnostics, historyServerUrl(this.deps.config) ?? '');
  }

  pendingRequestsDiagnostics(): string | undefined {
    return this.pendingCount() > 0 ? this.diagnostics : undefined;
  }

  /** Outstanding container requests at the RM for a spec; for tests. */
  outstanding(spec: WorkerResourceSpec): number {
    const priority = this.priorities.get(workerSpecKey(spec));
    return priority === undefined ? 0 : this.amrm.outstanding(priority, { memory: spec.memoryMb, vCores: spec.cpuCores });
  }

  get heartbeatIntervalMs(): number {
    return this.pendingCount() > 0 ? this.deps.config['yarn.heartbeat.container-request-interval'] : this.deps.config['yarn.heartbeat.interval'];
  }

  // AMRMClientHandler

  onContainersAllocated(containers: readonly Container[]): void {
    for (const container of containers) {
      const entry = this.byPriority.get(container.priority);
      const pending = entry?.pending.shift();
      if (!entry || !pending) {
        this.logger.info({ containerId: container.id, priority: container.priority }, 'returning excess container');
        this.amrm.releaseAssignedContainer(container.id);
        continue;
      }
      this.workers.set(container.id, container);
      this.logger.info({ containerId: container.id, nodeId: container.nodeId, priority: container.priority }, 'TaskManager container allocated');
      pending.resolve({ resourceId: container.id, host: container.nodeId.split(':')[0] ?? container.nodeId, spec: entry.spec });
      void this.launch(container, entry.spec);
    }
    this.scheduleHeartbeat();
  }

  onContainersCompleted(statuses: readonly ContainerStatus[]): void {
    for (const status of statuses) {
      this.workers.delete(status.containerId);
      const cause = workerExitCause(status);
      this.logger.info({ containerId: status.containerId, exitStatus: status.exitStatus }, cause);
      this.handler?.onWorkerTerminated(status.containerId, cause);
    }
  }

  onShutdownRequest(): void {
    this.stopHeartbeat();
    this.handler?.onError(new Error('Received shutdown request from YARN ResourceManager.'));
  }

  onError(error: Error): void {
    this.stopHeartbeat();
    this.handler?.onError(error);
  }

  getProgress(): number {
    return 1;
  }

  getMetricsEndpoints(): readonly ContainerMetricsEndpoint[] | undefined {
    return this.deps.metricsEndpoints?.();
  }

  private async launch(container: Container, spec: WorkerResourceSpec): Promise<void> {
    try {
      await this.deps.nmClient.startContainer(container, this.deps.launchContext(container, spec));
      this.logger.info({ containerId: container.id }, 'TaskManager container started');
    } catch (err) {
      const message = (err as Error).message;
      this.logger.warn({ containerId: container.id, err: message }, 'TaskManager container failed to start');
      if (!this.workers.delete(container.id)) return;
      this.amrm.releaseAssignedContainer(container.id);
      this.handler?.onWorkerTerminated(container.id, `Container ${container.id} failed to start: ${message}`);
    }
  }

  private priorityOf(spec: WorkerResourceSpec, resource: Resource): number {
    const key = workerSpecKey(spec);
    let priority = this.priorities.get(key);
    if (priority === undefined) {
      priority = this.nextPriority++;
      this.priorities.set(key, priority);
      this.byPriority.set(priority, { spec, resource, pending: [] });
    }
    return priority;
  }

  private pendingCount(): number {
    let n = 0;
    for (const e of this.byPriority.values()) n += e.pending.length;
    return n;
  }

  /** (Re)arms the heartbeat so it fires no later than `delayMs` (default: the current interval) from now. */
  private scheduleHeartbeat(delayMs = this.heartbeatIntervalMs): void {
    if (!this.running) return;
    const at = this.deps.clock.now() + delayMs;
    if (this.cancelHeartbeat && this.nextHeartbeatAt <= at) return;
    this.cancelHeartbeat?.();
    this.nextHeartbeatAt = at;
    this.cancelHeartbeat = this.deps.clock.schedule(at - this.deps.clock.now(), () => {
      this.cancelHeartbeat = undefined;
      this.nextHeartbeatAt = Infinity;
      void this.amrm.heartbeat().then(() => {
        this.readDiagnostics();
        this.scheduleHeartbeat();
      });
    });
  }

  /** After an allocate that left requests pending, the RM's word on them (at most once a second). */
  private readDiagnostics(): void {
    const read = this.deps.applicationDiagnostics;
    if (this.pendingCount() === 0) {
      this.diagnostics = undefined;
      return;
    }
    const now = this.deps.clock.now();
    if (!read || this.diagnosticsInFlight || now - this.diagnosticsReadAt < DIAGNOSTICS_INTERVAL_MS) return;
    this.diagnosticsInFlight = true;
    this.diagnosticsReadAt = now;
    read().then(
      (text) => {
        this.diagnosticsInFlight = false;
        this.diagnostics = text || undefined;
      },
      (err: unknown) => {
        this.diagnosticsInFlight = false;
        this.logger.debug({ err: (err as Error).message }, 'could not read the application report');
      },
    );
  }

  private stopHeartbeat(): void {
    this.running = false;
    this.cancelHeartbeat?.();
    this.cancelHeartbeat = undefined;
  }
}
