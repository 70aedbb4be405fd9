import type { WorkerResourceSpec } from './worker-resource-spec.ts';

/** A worker the driver obtained: its resource id (the YARN container id) and where it runs. */
export interface WorkerNode {
  readonly resourceId: string;
  readonly host: string;
  readonly spec: WorkerResourceSpec;
}

/** What a driver tells the ResourceManager (Flink's ResourceEventHandler). */
export interface ResourceEventHandler {
  /** The worker's process is gone (container completed, failed to start, lost node). */
  onWorkerTerminated(resourceId: string, diagnostics: string): void;
  /** The driver can no longer talk to the cluster manager; the JobManager must shut down. */
  onError(error: Error): void;
}

/**
 * The resource-provider specific part of an active ResourceManager (Flink's ResourceManagerDriver):
 * it starts and stops worker processes; all decisions about how many stay with the RM.
 */
export interface ResourceManagerDriver {
  initialize(handler: ResourceEventHandler): Promise<void>;
  /**
   * Asks for one more worker. Resolves once a container is allocated and its TaskManager is being
   * started; rejects when the request cannot be served (e.g. larger than the cluster's maximum).
   * Aborting `signal` withdraws a request that has no container yet (it then rejects); one that
   * already has a container is not affected.
   */
  requestResource(spec: WorkerResourceSpec, signal?: AbortSignal): Promise<WorkerNode>;
  /** Stops a worker and gives its container back. */
  releaseResource(resourceId: string): void;
  /** Stops every worker and the driver's own loops. */
  terminate(): Promise<void>;
  /**
   * The cluster manager's latest explanation of why requests are still unanswered (YARN: the
   * RM's diagnostics for this application), while any are; a driver that cannot tell omits it.
   */
  pendingRequestsDiagnostics?(): string | undefined;
}
