import { z } from 'zod';
import { createHttpClient } from '../../rm/common/http-client.ts';
import { route, type Client } from '../../rm/common/route.ts';
import { FlinkId, ResourceProfile, SlotId, SlotReport, TaskManagerLocation } from './records.ts';
import { TaskExecutorMemoryConfiguration } from './task-executor-memory-configuration.ts';
import { TaskManagerMetricsInfo } from './task-manager-metrics-info.ts';

/**
 * The Flink ResourceManager as TaskManagers reach it over HTTP (`/rpc/flink-resourcemanager/*` on
 * the JobManager's port), after Flink's ResourceManagerGateway (flink.md §1.4, §1.5).
 */
export const TaskExecutorRegistration = z.object({
  location: TaskManagerLocation,
  numberOfSlots: z.number().int().min(1),
  /** Each slot's profile; the total is numberOfSlots times it. */
  defaultSlotResourceProfile: ResourceProfile,
  /** Container memory in MB, for /taskmanagers. */
  memoryMb: z.number().int(),
  /** The FLIP-49 breakdown of memoryMb; absent from a TaskManager that does not compute one. */
  memoryConfiguration: TaskExecutorMemoryConfiguration.optional(),
});
export type TaskExecutorRegistration = z.infer<typeof TaskExecutorRegistration>;

export const RegistrationResponse = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    /** Fencing token of this registration (Flink's InstanceID). */
    instanceId: FlinkId,
    resourceManagerId: FlinkId,
    heartbeatIntervalMs: z.number().int(),
    heartbeatTimeoutMs: z.number().int(),
  }),
  z.object({ status: z.literal('rejection'), reason: z.string() }),
]);
export type RegistrationResponse = z.infer<typeof RegistrationResponse>;

export const resourceManagerRoutes = {
  registerTaskExecutor: route({
    method: 'POST',
    path: '/rpc/flink-resourcemanager/registerTaskExecutor',
    body: TaskExecutorRegistration,
    response: RegistrationResponse,
    status: 200,
    semantics: 'idempotent',
  }),
  sendSlotReport: route({
    method: 'POST',
    path: '/rpc/flink-resourcemanager/sendSlotReport',
    body: z.object({ resourceId: z.string(), instanceId: FlinkId, slotReport: SlotReport }),
    response: z.object({}),
    status: 200,
    semantics: 'idempotent',
  }),
  /**
   * The TaskManager freed a slot (Flink's notifySlotAvailable): the RM frees it at once if it still
   * holds that allocation, so a cancelled job's slots are free for the next one without waiting for
   * a heartbeat's slot report.
   */
  notifySlotAvailable: route({
    method: 'POST',
    path: '/rpc/flink-resourcemanager/notifySlotAvailable',
    body: z.object({ resourceId: z.string(), instanceId: FlinkId, slotId: SlotId, allocationId: FlinkId }),
    response: z.object({}),
    status: 200,
    semantics: 'idempotent',
  }),
  /**
   * TM -> RM heartbeat; the payload is the TM's slot report (Flink's TaskExecutorHeartbeatPayload)
   * and its memory and buffer figures, which `/taskmanagers/:id` shows.
   */
  heartbeatFromTaskManager: route({
    method: 'POST',
    path: '/rpc/flink-resourcemanager/heartbeatFromTaskManager',
    body: z.object({ resourceId: z.string(), instanceId: FlinkId, slotReport: SlotReport, metrics: TaskManagerMetricsInfo.optional() }),
    /** `known: false` tells a TM the RM forgot it (e.g. after a timeout): it must register again. */
    response: z.object({ known: z.boolean() }),
    status: 200,
    semantics: 'idempotent',
  }),
  disconnectTaskManager: route({
    method: 'POST',
    path: '/rpc/flink-resourcemanager/disconnectTaskManager',
    body: z.object({ resourceId: z.string(), cause: z.string() }),
    response: z.object({}),
    status: 200,
    semantics: 'idempotent',
  }),
};

/**
 * The Flink RM as TaskManagers call it (the TaskExecutor half of Flink's ResourceManagerGateway),
 * the one interface a TaskManager holds: the HTTP client below, the RM's in-process one
 * (FlinkResourceManager.taskExecutorGateway) and tests' RMs all are it.
 */
export type ResourceManagerTaskExecutorGateway = Client<typeof resourceManagerRoutes>;

/** `jobManagerUrl` is the JobManager's base URL, whose port serves the Flink RM's routes. */
export function httpResourceManagerTaskExecutorGateway(jobManagerUrl: string, timeoutMs = 10_000): ResourceManagerTaskExecutorGateway {
  return createHttpClient(jobManagerUrl, resourceManagerRoutes, { timeoutMs });
}

/** A job's slot needs, declared as absolute totals (FLIP-138 declarative resource management). */
export interface ResourceRequirements {
  readonly jobId: string;
  /** The JobMaster's RPC base URL, where TaskManagers offer slots. */
  readonly jobMasterAddress: string;
  readonly requirements: readonly { readonly resourceProfile: ResourceProfile; readonly numberOfRequiredSlots: number }[];
}

/** A TaskManager and its slots as the Flink RM reports it (Flink's TaskManagerInfoWithSlots; REST /taskmanagers renders it). */
export interface TaskManagerInfoWithSlots {
  readonly resourceId: string;
  readonly location: TaskManagerLocation;
  readonly numberOfSlots: number;
  readonly freeSlots: number;
  readonly memoryMb: number;
  readonly memoryConfiguration?: TaskExecutorMemoryConfiguration;
  readonly slotResourceProfile: ResourceProfile;
  readonly lastHeartbeat: number;
  readonly allocatedSlots: readonly { readonly jobId: string; readonly slotNumber: number; readonly allocationId: string }[];
  /** The TM's memory and buffers as of its latest heartbeat; absent before the first. */
  readonly metrics?: TaskManagerMetricsInfo;
}

/**
 * What the Flink RM is doing to get more TaskManagers: the snapshot behind "why does this job
 * wait for slots" (REST, dashboard, CLI). Counts as Flink's numPendingTaskManagers splits them.
 */
export interface PendingResources {
  /** Worker requests the cluster manager has not answered with a container yet. */
  readonly requestedWorkers: number;
  /** Since when the oldest of them waits (epoch ms). */
  readonly requestedSince?: number;
  /** Workers with a container whose TaskManager has not registered yet. */
  readonly startingWorkers: number;
  /** What each worker asks for (taskmanager.memory.process.size, vcores, slots). */
  readonly workerResource: { readonly memoryMb: number; readonly cpuCores: number; readonly numberOfSlots: number };
  /** The cluster manager's explanation for the unanswered requests (YARN: the RM's diagnostics of this application). */
  readonly providerDiagnostics?: string;
  /** The latest worker request or start that failed. */
  readonly lastFailure?: { readonly message: string; readonly timestamp: number };
  /** Worker creation is paused until then after too many failures (resourcemanager.start-worker.max-failure-rate). */
  readonly pausedUntil?: number;
}

/**
 * The Flink RM as the JobMasters and the Dispatcher in the same process see it (in-process, so a
 * plain interface). JobMasters declare what they need; the RM finds or starts TaskManagers and
 * has them offer slots to the JobMaster.
 */
export interface ResourceManagerGateway {
  registerJobMaster(jobId: string, jobMasterAddress: string): void;
  declareRequiredResources(requirements: ResourceRequirements): void;
  disconnectJobManager(jobId: string, cause: string): void;
  taskManagers(): readonly TaskManagerInfoWithSlots[];
  /** Called when a TaskManager is gone (container completed, heartbeat timeout, disconnect). */
  onTaskManagerLost(listener: (resourceId: string, cause: string) => void): () => void;
  /** Slots per TaskManager as configured (`taskmanager.numberOfTaskSlots`). */
  readonly slotsPerTaskManager: number;
  /** Workers asked for and not registered yet, and why the cluster manager has not given them. */
  pendingResources(): PendingResources;
}
