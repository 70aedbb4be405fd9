import type { Clock, Cancel } from '../rm/common/clock.ts';
import { WeftError } from '../rm/common/errors.ts';
import { UnreachableError } from '../rm/common/http-client.ts';
import type { Logger } from '../rm/common/logger.ts';
import type {
  AllocateRequest,
  AllocateResponse,
  ApplicationMasterProtocol,
  ContainerMetricsEndpoint,
  RegisterApplicationMasterRequest,
  RegisterApplicationMasterResponse,
} from '../rm/protocol/am-rm.ts';
import type { Container, ContainerStatus, FinalApplicationStatus, NodeReport } from '../rm/protocol/records.ts';
import type { ApplicationMasterConnections } from './application-master-connections.ts';
import type { ContainerRequest } from './container-request.ts';
import type { NmTokenCache } from './nm-token-cache.ts';
import { ResourceRequestTable } from './resource-request-table.ts';

/** What the AM hears from the heartbeat loop (YARN's AMRMClientAsync.CallbackHandler). */
export interface AMRMClientHandler {
  onContainersAllocated(containers: readonly Container[]): void;
  onContainersCompleted(statuses: readonly ContainerStatus[]): void;
  /** The RM told this attempt to go away (AM_SHUTDOWN); the loop has stopped. */
  onShutdownRequest(): void;
  /** A failure the client cannot recover from; the loop has stopped. */
  onError(error: Error): void;
  onNodesUpdated?(nodes: readonly NodeReport[]): void;
  /** 0..1, reported on every allocate. */
  getProgress?(): number;
  /** The application's metrics endpoints now, announced on every allocate (the RM's prometheus-sd lists them). */
  getMetricsEndpoints?(): readonly ContainerMetricsEndpoint[] | undefined;
}

export interface AMRMClientOptions {
  readonly gateway: ApplicationMasterProtocol;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly handler: AMRMClientHandler;
  readonly nmTokens: NmTokenCache;
  /** Time between the end of one allocate and the start of the next (default 1000 ms). */
  readonly heartbeatIntervalMs?: number;
  /** Allocate calls in a row that may fail on the network before the AM gives up (default 30). */
  readonly maxConsecutiveFailures?: number;
  /** Pause between finishApplicationMaster attempts until the RM says unregistered (default 100 ms). */
  readonly finishRetryIntervalMs?: number;
}

type ClientState = 'NEW' | 'REGISTERED' | 'FINISHED' | 'FAILED';

/**
 * The AM's client of ApplicationMasterProtocol: registration, the allocate heartbeat with
 * YARN's responseId rules, the ask table, releases and unregistration.
 *
 * responseId: each allocate echoes the id of the last response received. A call that failed on
 * the network is retried with the SAME request, so if the RM did process it, it answers the
 * duplicate with its cached response instead of allocating twice.
 */
export class AMRMClient {
  private readonly gateway: ApplicationMasterProtocol;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly handler: AMRMClientHandler;
  private readonly nmTokens: NmTokenCache;
  private readonly intervalMs: number;
  private readonly maxFailures: number;
  private readonly finishRetryMs: number;
  private readonly asks = new ResourceRequestTable();

  private state: ClientState = 'NEW';
  private registration: RegisterApplicationMasterRequest | undefined;
  private lastResponseId = 0;
  /** The request in flight or to be retried; kept until a response for it arrives. */
  private pending: AllocateRequest | undefined;
  private releasesToSend = new Set<string>();
  /** Released but not yet reported complete; re-sent after a resync. */
  private readonly releasedUnconfirmed = new Set<string>();
  private consecutiveFailures = 0;
  private inFlight: Promise<void> | undefined;
  private cancelTimer: Cancel | undefined;
  private looping = false;

  constructor(options: AMRMClientOptions) {
    this.gateway = options.gateway;
    this.clock = options.clock;
    this.logger = options.logger;
    this.handler = options.handler;
    this.nmTokens = options.nmTokens;
    this.intervalMs = options.heartbeatIntervalMs ?? 1000;
    this.maxFailures = options.maxConsecutiveFailures ?? 30;
    this.finishRetryMs = options.finishRetryIntervalMs ?? 100;
  }

  async register(host = '', rpcPort = -1, trackingUrl = ''): Promise<RegisterApplicationMasterResponse> {
    if (this.state !== 'NEW') throw new WeftError('IllegalState', `cannot register: client is ${this.state}`);
    this.registration = { host, rpcPort, trackingUrl };
    const response = await this.gateway.registerApplicationMaster({ body: this.registration });
    this.state = 'REGISTERED';
    this.lastResponseId = 0;
    this.logger.info({ queue: response.queue, maximumCapability: response.maximumCapability }, 'registered with the ResourceManager');
    return response;
  }

  /** Starts the heartbeat loop; the first allocate runs after one interval. */
  start(): void {
    this.requireRegistered('start');
    if (this.looping) return;
    this.looping = true;
    this.scheduleNext();
  }

  /** Stops the heartbeat loop without unregistering. */
  stop(): void {
    this.looping = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  addContainerRequest(request: ContainerRequest): void {
    this.asks.add(request);
  }

  removeContainerRequest(request: ContainerRequest): boolean {
    return this.asks.remove(request);
  }

  releaseAssignedContainer(containerId: string): void {
    this.releasesToSend.add(containerId);
  }

  /** Outstanding ANY count for one ask key; for tests and progress reporting. */
  outstanding(priority: number, capability: ContainerRequest['capability'], allocationRequestId = 0): number {
    return this.asks.count(priority, capability, '*', allocationRequestId);
  }

  get responseId(): number {
    return this.lastResponseId;
  }

  get isRegistered(): boolean {
    return this.state === 'REGISTERED';
  }

  /**
   * One allocate round. Calls are serialised: a heartbeat asked for while one is in flight
   * joins it. Never rejects; unrecoverable failures go to `handler.onError`.
   */
  heartbeat(): Promise<void> {
    if (this.state !== 'REGISTERED') return Promise.resolve();
    this.inFlight ??= this.allocateOnce().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /**
   * Unregisters with the final status, retrying until the RM reports `isUnregistered` (it says
   * false until it has stored the final state).
   */
  async finish(status: FinalApplicationStatus, diagnostics = '', trackingUrl = ''): Promise<void> {
    this.requireRegistered('finish');
    this.stop();
    await this.inFlight;
    let failures = 0;
    for (;;) {
      try {
        const response = await this.gateway.finishApplicationMaster({ body: { finalApplicationStatus: status, diagnostics, trackingUrl } });
        if (response.isUnregistered) break;
      } catch (err) {
        if (isNotRegistered(err)) {
          await this.reRegister();
        } else if (isTransient(err) && ++failures <= this.maxFailures) {
          this.logger.warn({ err: describe(err), failures }, 'finishApplicationMaster failed; retrying');
        } else {
          this.state = 'FAILED';
          throw err;
        }
      }
      await this.sleep(this.finishRetryMs);
    }
    this.state = 'FINISHED';
    this.logger.info({ finalStatus: status }, 'unregistered from the ResourceManager');
  }

  private async allocateOnce(): Promise<void> {
    const request = (this.pending ??= this.buildRequest());
    let response: AllocateResponse;
    try {
      response = await this.gateway.allocate({ body: request });
    } catch (err) {
      if (isNotRegistered(err)) {
        this.logger.warn({ err: describe(err) }, 'ResourceManager does not know this attempt; re-registering');
        await this.resync();
        return;
      }
      if (isTransient(err) && ++this.consecutiveFailures <= this.maxFailures) {
        this.logger.warn({ err: describe(err), failures: this.consecutiveFailures, responseId: request.responseId }, 'allocate failed; will retry the same request');
        return;
      }
      this.fail(err);
      return;
    }
    this.pending = undefined;
    this.consecutiveFailures = 0;
    if (response.aMCommand === 'AM_RESYNC') {
      this.logger.warn('ResourceManager asked for a resync; re-registering');
      await this.resync();
      return;
    }
    if (response.aMCommand === 'AM_SHUTDOWN') {
      this.logger.warn('ResourceManager asked this attempt to shut down');
      this.stop();
      this.state = 'FAILED';
      this.call(() => this.handler.onShutdownRequest());
      return;
    }
    this.lastResponseId = response.responseId;
    this.nmTokens.update(response.nmTokens);
    if (response.updatedNodes.length > 0) this.call(() => this.handler.onNodesUpdated?.(response.updatedNodes));
    if (response.completedContainerStatuses.length > 0) {
      for (const s of response.completedContainerStatuses) this.releasedUnconfirmed.delete(s.containerId);
      this.call(() => this.handler.onContainersCompleted(response.completedContainerStatuses));
    }
    if (response.allocatedContainers.length > 0) {
      for (const c of response.allocatedContainers) {
        if (!this.asks.matchAllocated(c)) this.logger.debug({ containerId: c.id }, 'allocated container matches no outstanding request');
      }
      this.call(() => this.handler.onContainersAllocated(response.allocatedContainers));
    }
  }

  private buildRequest(): AllocateRequest {
    const release = [...this.releasesToSend];
    for (const id of release) this.releasedUnconfirmed.add(id);
    this.releasesToSend = new Set();
    const progress = this.handler.getProgress?.() ?? 0;
    const endpoints = this.handler.getMetricsEndpoints?.();
    return {
      ask: this.asks.takeChanged(),
      release,
      responseId: this.lastResponseId,
      progress: Number.isFinite(progress) ? Math.min(1, Math.max(0, progress)) : 0,
      ...(endpoints ? { metricsEndpoints: [...endpoints] } : {}),
    };
  }

  /** After an RM restart or failover: register again and resend the whole ask table and releases. */
  private async resync(): Promise<void> {
    try {
      await this.reRegister();
    } catch (err) {
      if (isTransient(err) && ++this.consecutiveFailures <= this.maxFailures) return;
      this.fail(err);
      return;
    }
    this.pending = undefined;
    this.lastResponseId = 0;
    this.asks.markAllUnsent();
    for (const id of this.releasedUnconfirmed) this.releasesToSend.add(id);
  }

  private async reRegister(): Promise<void> {
    if (!this.registration) throw new WeftError('IllegalState', 'not registered');
    try {
      await this.gateway.registerApplicationMaster({ body: this.registration });
    } catch (err) {
      // A register that reached the RM before a lost response makes the retry look like a double.
      if (!(err instanceof WeftError && err.kind === 'InvalidApplicationMasterRequest' && /already registered/i.test(err.message))) throw err;
    }
    this.lastResponseId = 0;
  }

  private fail(err: unknown): void {
    this.stop();
    this.state = 'FAILED';
    const error = err instanceof Error ? err : new Error(String(err));
    this.logger.error({ err: describe(error) }, 'AMRMClient stopped after an unrecoverable error');
    this.call(() => this.handler.onError(error));
  }

  private scheduleNext(): void {
    if (!this.looping) return;
    this.cancelTimer = this.clock.schedule(this.intervalMs, () => {
      this.cancelTimer = undefined;
      void this.heartbeat().then(() => this.scheduleNext());
    });
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error({ err: describe(err) }, 'AMRMClient callback threw');
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.schedule(ms, resolve));
  }

  private requireRegistered(what: string): void {
    if (this.state !== 'REGISTERED') throw new WeftError('IllegalState', `cannot ${what}: client is ${this.state}`);
  }
}

function isNotRegistered(err: unknown): boolean {
  return err instanceof WeftError && err.kind === 'ApplicationMasterNotRegistered';
}

/** Failures where the same call may succeed later: the RM is down, restarting or failing over. */
export function isTransient(err: unknown): boolean {
  return err instanceof UnreachableError || (err instanceof WeftError && err.kind === 'ServiceUnavailable');
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** An AM's AMRMClient over its connections, logging as its `amrm-client` component. */
export function createAMRMClient(
  deps: ApplicationMasterConnections & { readonly clock: Clock; readonly logger: Logger },
  handler: AMRMClientHandler,
  options: Pick<AMRMClientOptions, 'heartbeatIntervalMs'> = {},
): AMRMClient {
  return new AMRMClient({
    gateway: deps.amRmGateway,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'amrm-client' }),
    handler,
    nmTokens: deps.nmTokens,
    ...options,
  });
}
