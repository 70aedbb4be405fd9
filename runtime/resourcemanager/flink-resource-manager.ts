import type { Cancel, Clock } from '../../rm/common/clock.ts';
import { WeftError } from '../../rm/common/errors.ts';
import { createInProcessClient } from '../../rm/common/in-process-client.ts';
import type { Logger } from '../../rm/common/logger.ts';
import type { Handlers } from '../../rm/common/route.ts';
import type { FlinkConfiguration } from '../config/flink-configuration.ts';
import { heartbeatTimeoutCause, targetUnreachableCause } from '../heartbeat/heartbeat-listener.ts';
import { HeartbeatManager } from '../heartbeat/heartbeat-manager.ts';
import { heartbeatServicesFromConfiguration } from '../heartbeat/heartbeat-services.ts';
import { newFlinkId, type SlotId, type SlotReport } from '../protocol/records.ts';
import {
  resourceManagerRoutes,
  type PendingResources,
  type RegistrationResponse,
  type ResourceManagerGateway,
  type ResourceManagerTaskExecutorGateway,
  type ResourceRequirements,
  type TaskExecutorRegistration,
  type TaskManagerInfoWithSlots,
} from '../protocol/resource-manager-gateway.ts';
import type { ResourceEventHandler, ResourceManagerDriver, WorkerNode } from './resource-manager-driver.ts';
import { IdleReleaseTimers } from './idle-release-timers.ts';
import { decideSlots, type SlotDecision } from './slot-manager.ts';
import type { TaskExecutorGatewayFactory } from '../protocol/task-executor-gateway.ts';
import { TaskManagerRegistry, type WorkerRegistration } from './task-manager-registry.ts';
import { WorkerStartFailureRate } from './worker-start-failure-rate.ts';
import { workerSpecFromConfig, type WorkerResourceSpec } from './worker-resource-spec.ts';

export interface FlinkResourceManagerDeps {
  readonly config: FlinkConfiguration;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly driver: ResourceManagerDriver;
  readonly taskExecutors: TaskExecutorGatewayFactory;
  readonly resourceManagerId?: string;
}

interface JobEntry {
  jobMasterAddress: string;
  requiredSlots: number;
}

interface StartingWorker {
  readonly node: WorkerNode;
  readonly cancelRegistrationTimeout: Cancel;
}

type LostListener = (resourceId: string, cause: string) => void;

/**
 * Flink's active ResourceManager: TaskManager registration and heartbeats, the declarative slot
 * protocol (jobs declare absolute slot totals; the SlotManager decision hands out free slots and
 * says how many workers to start or stop), workers started and stopped through a
 * ResourceManagerDriver, start failures rate-limited (flink.md §1.4, §1.5).
 */
const STALE_FREE_REPORT_GRACE_MS = 1000;

export class FlinkResourceManager implements ResourceManagerGateway, ResourceEventHandler {
  readonly resourceManagerId: string;
  readonly slotsPerTaskManager: number;
  private readonly config: FlinkConfiguration;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly driver: ResourceManagerDriver;
  private readonly taskExecutors: TaskExecutorGatewayFactory;
  private readonly spec: WorkerResourceSpec;
  private readonly registry: TaskManagerRegistry;
  private readonly failureRate: WorkerStartFailureRate;
  private readonly jobs = new Map<string, JobEntry>();
  /** Worker requests the driver has not answered yet, oldest first; aborting one withdraws it. */
  private readonly pendingRequests: AbortController[] = [];
  private readonly requestedAt = new WeakMap<AbortController, number>();
  private lastFailure: { message: string; timestamp: number } | undefined;
  /** Workers with a container, whose TaskManager has not registered yet. */
  private readonly starting = new Map<string, StartingWorker>();
  /** Workers this RM released or saw terminate: they may not register again. */
  private readonly terminated = new Set<string>();
  private readonly lostListeners = new Set<LostListener>();
  private readonly fatalListeners = new Set<(error: Error) => void>();
  /** TaskManagers answer heartbeat requests, and send their own, with their slot reports. */
  private readonly heartbeats: HeartbeatManager<SlotReport, void>;
  private readonly idleTimers: IdleReleaseTimers;
  private coolDownUntil = 0;
  private readonly timers = new Set<Cancel>();
  private running = false;

  constructor(deps: FlinkResourceManagerDeps) {
    this.config = deps.config;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.driver = deps.driver;
    this.taskExecutors = deps.taskExecutors;
    this.resourceManagerId = deps.resourceManagerId ?? newFlinkId();
    this.spec = workerSpecFromConfig(deps.config);
    this.slotsPerTaskManager = this.spec.numberOfSlots;
    // A slot report built before the TM saw a requestSlot can arrive just after it answered; such
    // a "free" is ignored for a moment. A short window: a job cancelled soon after it started
    // must not leave its slots looking busy until a later heartbeat.
    this.registry = new TaskManagerRegistry(Math.min(deps.config['heartbeat.interval'], STALE_FREE_REPORT_GRACE_MS));
    this.failureRate = new WorkerStartFailureRate(deps.config['resourcemanager.start-worker.max-failure-rate']);
    this.heartbeats = new HeartbeatManager({
      clock: this.clock,
      logger: this.logger,
      services: heartbeatServicesFromConfiguration(deps.config),
      listener: {
        notifyHeartbeatTimeout: (resourceId) => this.removeTaskManager(resourceId, heartbeatTimeoutCause('TaskManager', resourceId)),
        notifyTargetUnreachable: (resourceId) => this.removeTaskManager(resourceId, targetUnreachableCause('TaskManager', resourceId)),
        reportPayload: (resourceId, report) => {
          const tm = this.registry.get(resourceId);
          if (tm) this.slotReport(tm, report);
        },
        retrievePayload: () => undefined,
      },
    });
    this.idleTimers = new IdleReleaseTimers(this.clock, () => this.reconcile());
  }

  async start(): Promise<void> {
    await this.driver.initialize(this);
    this.running = true;
    this.heartbeats.start();
    this.logger.info({ resourceManagerId: this.resourceManagerId, workerSpec: this.spec }, 'Flink ResourceManager started');
  }

  /** Stops heartbeats and every worker (their containers are given back). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.heartbeats.stop();
    this.idleTimers.cancelAll();
    for (const w of this.starting.values()) w.cancelRegistrationTimeout();
    for (const request of this.pendingRequests.splice(0)) request.abort();
    const workers = [...this.registry.all().map((tm) => tm.resourceId), ...this.starting.keys()];
    this.starting.clear();
    for (const id of workers) {
      this.forget(id);
      this.terminated.add(id);
      this.driver.releaseResource(id);
    }
    await this.driver.terminate();
    this.logger.info({ released: workers.length }, 'Flink ResourceManager stopped');
  }

  // ResourceManagerGateway (JobMasters, in-process)

  registerJobMaster(jobId: string, jobMasterAddress: string): void {
    const job = this.jobs.get(jobId);
    if (job) job.jobMasterAddress = jobMasterAddress;
    else this.jobs.set(jobId, { jobMasterAddress, requiredSlots: 0 });
  }

  declareRequiredResources(requirements: ResourceRequirements): void {
    const requiredSlots = requirements.requirements.reduce((n, r) => n + r.numberOfRequiredSlots, 0);
    const previous = this.jobs.get(requirements.jobId)?.requiredSlots;
    this.jobs.set(requirements.jobId, { jobMasterAddress: requirements.jobMasterAddress, requiredSlots });
    if (previous !== requiredSlots) this.logger.info({ jobId: requirements.jobId, requiredSlots, previous }, 'resource requirements declared');
    this.reconcile();
  }

  disconnectJobManager(jobId: string, cause: string): void {
    if (!this.jobs.delete(jobId)) return;
    this.logger.info({ jobId, cause }, 'JobManager disconnected; its requirements are dropped');
    this.reconcile();
  }

  taskManagers(): readonly TaskManagerInfoWithSlots[] {
    return this.registry.infos((resourceId) => this.heartbeats.getLastHeartbeatFrom(resourceId));
  }

  onTaskManagerLost(listener: LostListener): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** The driver failed for good (e.g. YARN asked the AM to shut down). */
  onFatalError(listener: (error: Error) => void): () => void {
    this.fatalListeners.add(listener);
    return () => this.fatalListeners.delete(listener);
  }

  /** Workers requested or started but not registered yet (Flink's numPendingTaskManagers). */
  get numPendingTaskManagers(): number {
    return this.pendingRequests.length + this.starting.size;
  }

  pendingResources(): PendingResources {
    const oldest = this.pendingRequests[0];
    const since = oldest ? this.requestedAt.get(oldest) : undefined;
    const diagnostics = this.pendingRequests.length > 0 ? this.driver.pendingRequestsDiagnostics?.() : undefined;
    return {
      requestedWorkers: this.pendingRequests.length,
      ...(since !== undefined ? { requestedSince: since } : {}),
      startingWorkers: this.starting.size,
      workerResource: { memoryMb: this.spec.memoryMb, cpuCores: this.spec.cpuCores, numberOfSlots: this.spec.numberOfSlots },
      ...(diagnostics ? { providerDiagnostics: diagnostics } : {}),
      ...(this.lastFailure ? { lastFailure: { ...this.lastFailure } } : {}),
      ...(this.coolDownUntil > this.clock.now() ? { pausedUntil: this.coolDownUntil } : {}),
    };
  }

  // ResourceEventHandler (the driver)

  onWorkerTerminated(resourceId: string, diagnostics: string): void {
    const starting = this.starting.get(resourceId);
    if (starting) {
      starting.cancelRegistrationTimeout();
      this.starting.delete(resourceId);
      this.logger.warn({ resourceId, diagnostics }, 'worker terminated before its TaskManager registered');
      this.recordStartFailure(`TaskManager container ${resourceId} ended before its TaskManager registered: ${diagnostics}`);
    }
    this.terminated.add(resourceId);
    if (this.forget(resourceId)) this.taskManagerLost(resourceId, diagnostics);
    this.reconcile();
  }

  onError(error: Error): void {
    this.logger.error({ err: error.message }, 'resource manager driver failed');
    for (const listener of this.fatalListeners) listener(error);
  }

  // resourceManagerRoutes (TaskManagers, over HTTP or in-process)

  /** What TaskManagers in this process call, validated as over HTTP, minus the sockets. */
  taskExecutorGateway(): ResourceManagerTaskExecutorGateway {
    return createInProcessClient(resourceManagerRoutes, this.handlers(), { caller: () => undefined });
  }

  handlers(): Handlers<typeof resourceManagerRoutes, unknown> {
    return {
      registerTaskExecutor: ({ body }) => this.registerTaskExecutor(body),
      sendSlotReport: ({ body }) => {
        const tm = this.registry.getCurrent(body.resourceId, body.instanceId);
        if (!tm) throw new WeftError('NotFound', `TaskManager ${body.resourceId} (instance ${body.instanceId}) is not registered`);
        this.slotReport(tm, body.slotReport);
        return {};
      },
      notifySlotAvailable: ({ body }) => {
        const tm = this.registry.getCurrent(body.resourceId, body.instanceId);
        if (!tm) throw new WeftError('NotFound', `TaskManager ${body.resourceId} (instance ${body.instanceId}) is not registered`);
        if (this.registry.slotAvailable(tm, body.slotId.slotNumber, body.allocationId, this.clock.now())) {
          this.logger.debug({ resourceId: tm.resourceId, slot: body.slotId.slotNumber, allocationId: body.allocationId }, 'slot available');
          this.reconcile();
        }
        return {};
      },
      heartbeatFromTaskManager: ({ body }) => {
        const tm = this.registry.getCurrent(body.resourceId, body.instanceId);
        if (!tm) return { known: false };
        if (body.metrics) tm.metrics = body.metrics;
        return { known: this.heartbeats.receiveHeartbeat(tm.resourceId, body.slotReport) };
      },
      disconnectTaskManager: ({ body }) => {
        if (this.forget(body.resourceId)) {
          this.taskManagerLost(body.resourceId, body.cause);
          this.reconcile();
        }
        return {};
      },
    };
  }

  registerTaskExecutor(registration: TaskExecutorRegistration): RegistrationResponse {
    const resourceId = registration.location.resourceId;
    if (this.terminated.has(resourceId)) {
      return { status: 'rejection', reason: `TaskManager ${resourceId} was released or has terminated` };
    }
    const starting = this.starting.get(resourceId);
    if (starting) {
      starting.cancelRegistrationTimeout();
      this.starting.delete(resourceId);
    }
    const instanceId = newFlinkId();
    this.registry.register(registration, instanceId, this.clock.now());
    const taskExecutor = this.taskExecutors(registration.location.address);
    this.heartbeats.monitorTarget(resourceId, {
      requestHeartbeat: async () => {
        const answer = await taskExecutor.heartbeatFromResourceManager({ body: { resourceManagerId: this.resourceManagerId } });
        const current = this.registry.get(resourceId);
        if (answer.metrics && current?.instanceId === instanceId) current.metrics = answer.metrics;
        return answer.slotReport;
      },
    });
    this.logger.info({ resourceId, address: registration.location.address, slots: registration.numberOfSlots }, 'TaskManager registered');
    this.reconcile();
    return {
      status: 'success',
      instanceId,
      resourceManagerId: this.resourceManagerId,
      heartbeatIntervalMs: this.config['heartbeat.interval'],
      heartbeatTimeoutMs: this.config['heartbeat.timeout'],
    };
  }

  /** Runs the SlotManager decision and applies it; called on every change that may matter. */
  reconcile(): void {
    if (!this.running) return;
    const now = this.clock.now();
    const decision = decideSlots({
      jobs: [...this.jobs].map(([jobId, j]) => ({ jobId, requiredSlots: j.requiredSlots })),
      workers: this.registry.views(),
      requestedWorkers: this.pendingRequests.length,
      startingWorkers: this.starting.size,
      slotsPerWorker: this.slotsPerTaskManager,
      now,
      idleTimeoutMs: this.config['resourcemanager.taskmanager-timeout'],
      canStartWorkers: now >= this.coolDownUntil,
    });
    this.apply(decision);
  }

  private apply(decision: SlotDecision): void {
    for (const a of decision.assignments) this.allocateSlot(a.slotId, a.jobId);
    for (let i = 0; i < decision.workersToRequest; i++) this.requestWorker();
    for (let i = 0; i < decision.requestsToWithdraw; i++) this.withdrawRequest();
    for (const resourceId of decision.workersToRelease) this.releaseIdleWorker(resourceId);
    const timeoutMs = this.config['resourcemanager.taskmanager-timeout'];
    this.idleTimers.update(new Map(this.registry.all().flatMap((tm) => (tm.idleSince !== undefined ? [[tm.resourceId, tm.idleSince + timeoutMs] as const] : []))));
  }

  private allocateSlot(slotId: SlotId, jobId: string): void {
    const tm = this.registry.get(slotId.resourceId);
    const job = this.jobs.get(jobId);
    if (!tm || !job) return;
    const allocationId = newFlinkId();
    const now = this.clock.now();
    this.registry.startAllocation(slotId, jobId, allocationId, now);
    const log = this.logger.child({ jobId, resourceId: slotId.resourceId, slot: slotId.slotNumber, allocationId });
    log.info('requesting slot from TaskManager');
    this.taskExecutors(tm.registration.location.address)
      .requestSlot({
        body: {
          slotId,
          jobId,
          allocationId,
          resourceProfile: tm.registration.defaultSlotResourceProfile,
          targetAddress: job.jobMasterAddress,
          resourceManagerId: this.resourceManagerId,
        },
      })
      .then(
        () => this.registry.finishAllocation(slotId, allocationId, true, this.clock.now()),
        (err: unknown) => {
          log.warn({ err: (err as Error).message }, 'slot request failed; the slot is free again');
          this.registry.finishAllocation(slotId, allocationId, false, this.clock.now());
          this.later(200, () => this.reconcile());
        },
      );
  }

  private requestWorker(): void {
    const request = new AbortController();
    this.pendingRequests.push(request);
    this.requestedAt.set(request, this.clock.now());
    this.logger.info({ spec: this.spec, pending: this.numPendingTaskManagers }, 'requesting a new worker');
    const done = (): void => {
      const i = this.pendingRequests.indexOf(request);
      if (i >= 0) this.pendingRequests.splice(i, 1);
    };
    this.driver.requestResource(this.spec, request.signal).then(
      (node) => {
        done();
        if (!this.running) {
          this.driver.releaseResource(node.resourceId);
          return;
        }
        if (this.terminated.has(node.resourceId)) {
          // The container completed (e.g. failed to start) before this callback ran.
          this.recordStartFailure(`TaskManager container ${node.resourceId} ended before its TaskManager registered`);
          this.reconcile();
          return;
        }
        const timeoutMs = this.config['resourcemanager.taskmanager-registration.timeout'];
        const cancelRegistrationTimeout = this.clock.schedule(timeoutMs, () => {
          if (!this.starting.has(node.resourceId)) return;
          this.logger.warn({ resourceId: node.resourceId, timeoutMs }, 'TaskManager did not register in time; releasing its worker');
          this.driver.releaseResource(node.resourceId);
          this.onWorkerTerminated(node.resourceId, `TaskManager did not register within ${timeoutMs} ms`);
        });
        this.starting.set(node.resourceId, { node, cancelRegistrationTimeout });
        this.logger.info({ resourceId: node.resourceId, host: node.host }, 'worker allocated; waiting for its TaskManager to register');
      },
      (err: unknown) => {
        done();
        if (request.signal.aborted) return;
        this.logger.warn({ err: (err as Error).message }, 'worker request failed');
        this.recordStartFailure((err as Error).message);
        this.reconcile();
      },
    );
  }

  /** The newest request goes first: it is the least likely to have a container on its way. */
  private withdrawRequest(): void {
    const request = this.pendingRequests.pop();
    if (!request) return;
    this.logger.info({ pending: this.numPendingTaskManagers }, 'withdrawing a worker request that is no longer needed');
    request.abort();
  }

  private releaseIdleWorker(resourceId: string): void {
    this.forget(resourceId);
    this.terminated.add(resourceId);
    this.logger.info({ resourceId, idleTimeoutMs: this.config['resourcemanager.taskmanager-timeout'] }, 'releasing idle TaskManager');
    this.driver.releaseResource(resourceId);
  }

  private recordStartFailure(message: string): void {
    const now = this.clock.now();
    this.lastFailure = { message, timestamp: now };
    if (!this.failureRate.record(now)) return;
    const retryMs = this.config['resourcemanager.start-worker.retry-interval'];
    this.coolDownUntil = now + retryMs;
    this.logger.warn({ failuresPerMinute: this.failureRate.rate(now), retryMs }, 'worker start failures reached the maximum rate; pausing worker creation');
    this.later(retryMs, () => this.reconcile());
  }

  private slotReport(tm: WorkerRegistration, report: SlotReport): void {
    if (this.registry.applySlotReport(tm, report, this.clock.now())) {
      // A possibly stale "free" was set aside: ask this TaskManager again once the grace is over.
      const { resourceId, instanceId } = tm;
      this.later(this.registry.staleReportGraceMs, () => {
        if (this.registry.getCurrent(resourceId, instanceId)) this.heartbeats.triggerHeartbeat(resourceId);
      });
    }
    this.reconcile();
  }

  /** A TaskManager that stopped answering: forgotten, its worker released, a replacement asked for if needed. */
  private removeTaskManager(resourceId: string, cause: string): void {
    if (!this.forget(resourceId)) return;
    this.logger.warn({ resourceId, cause }, 'TaskManager removed');
    this.terminated.add(resourceId);
    this.driver.releaseResource(resourceId);
    this.taskManagerLost(resourceId, cause);
    this.reconcile();
  }

  /** Drops a TaskManager from the registry and from heartbeat monitoring; false if it was not registered. */
  private forget(resourceId: string): boolean {
    this.heartbeats.unmonitorTarget(resourceId);
    return this.registry.remove(resourceId) !== undefined;
  }

  private taskManagerLost(resourceId: string, cause: string): void {
    for (const listener of this.lostListeners) {
      try {
        listener(resourceId, cause);
      } catch (err) {
        this.logger.error({ err: (err as Error).message }, 'TaskManager-lost listener threw');
      }
    }
  }

  private later(delayMs: number, fn: () => void): void {
    const cancel = this.clock.schedule(delayMs, () => {
      this.timers.delete(cancel);
      if (this.running) fn();
    });
    this.timers.add(cancel);
  }
}
