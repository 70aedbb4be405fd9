import { z } from 'zod';
import type { TaskManagerInfoWithSlots } from '../protocol/resource-manager-gateway.ts';
import type { ResourceProfile } from '../protocol/records.ts';
import { TaskExecutorMemoryConfiguration } from '../protocol/task-executor-memory-configuration.ts';
import { TaskManagerMetricsInfo } from '../protocol/task-manager-metrics-info.ts';

/** Flink's ResourceProfileInfo as `/taskmanagers` shows it (memory in MB). */
export const ResourceInfo = z.object({
  cpuCores: z.number(),
  taskHeapMemory: z.number(),
  taskOffHeapMemory: z.number(),
  managedMemory: z.number(),
  networkMemory: z.number(),
  extendedResources: z.record(z.string(), z.number()),
});
export type ResourceInfo = z.infer<typeof ResourceInfo>;

/** TaskManagerInfo (flink.md §6.3). `timeSinceLastHeartbeat` is, as in Flink, the epoch ms of the last heartbeat. */
export const TaskManagerInfo = z.object({
  id: z.string(),
  path: z.string(),
  dataPort: z.number(),
  jmxPort: z.number(),
  timeSinceLastHeartbeat: z.number(),
  slotsNumber: z.number(),
  freeSlots: z.number(),
  totalResource: ResourceInfo,
  freeResource: ResourceInfo,
  hardware: z.object({ cpuCores: z.number(), physicalMemory: z.number(), freeMemory: z.number(), managedMemory: z.number() }),
  memoryConfiguration: TaskExecutorMemoryConfiguration,
  blocked: z.boolean(),
});
export type TaskManagerInfo = z.infer<typeof TaskManagerInfo>;

/** `GET /taskmanagers` (Flink's TaskManagersInfo). */
export const TaskManagersInfo = z.object({ taskmanagers: z.array(TaskManagerInfo) });
export type TaskManagersInfo = z.infer<typeof TaskManagersInfo>;

/** `GET /taskmanagers/:taskmanagerid` (Flink's TaskManagerDetailsInfo). */
export const TaskManagerDetailsInfo = TaskManagerInfo.extend({
  allocatedSlots: z.array(z.object({ jobId: z.string(), resource: ResourceInfo })),
  metrics: TaskManagerMetricsInfo,
});
export type TaskManagerDetailsInfo = z.infer<typeof TaskManagerDetailsInfo>;

const MB = 1024 * 1024;

function resource(profile: ResourceProfile, slots: number): ResourceInfo {
  return {
    cpuCores: profile.cpuCores * slots,
    taskHeapMemory: profile.taskHeapMemoryMb * slots,
    taskOffHeapMemory: 0,
    managedMemory: profile.managedMemoryMb * slots,
    networkMemory: 0,
    extendedResources: {},
  };
}

/** One slot's share: of the TaskManager's FLIP-49 breakdown when it sent one, else of its slot profile. */
function slotResource(tm: TaskManagerInfoWithSlots): ResourceInfo {
  const m = tm.memoryConfiguration;
  if (m === undefined) return resource(tm.slotResourceProfile, 1);
  const share = (bytes: number) => Math.floor(bytes / MB / tm.numberOfSlots);
  return {
    cpuCores: tm.slotResourceProfile.cpuCores,
    taskHeapMemory: share(m.taskHeap),
    taskOffHeapMemory: share(m.taskOffHeap),
    managedMemory: share(m.managedMemory),
    networkMemory: share(m.networkMemory),
    extendedResources: {},
  };
}

const times = (r: ResourceInfo, n: number): ResourceInfo => ({
  cpuCores: r.cpuCores * n,
  taskHeapMemory: r.taskHeapMemory * n,
  taskOffHeapMemory: r.taskOffHeapMemory * n,
  managedMemory: r.managedMemory * n,
  networkMemory: r.networkMemory * n,
  extendedResources: {},
});

export function taskManagerInfo(tm: TaskManagerInfoWithSlots): TaskManagerInfo {
  const dataPort = Number(tm.location.dataAddress.split(':').at(-1));
  const slot = slotResource(tm);
  const total = times(slot, tm.numberOfSlots);
  const managed = total.managedMemory;
  const processMb = tm.memoryMb;
  return {
    id: tm.resourceId,
    path: tm.location.address,
    dataPort: Number.isFinite(dataPort) ? dataPort : -1,
    jmxPort: -1,
    timeSinceLastHeartbeat: tm.lastHeartbeat,
    slotsNumber: tm.numberOfSlots,
    freeSlots: tm.freeSlots,
    totalResource: total,
    freeResource: times(slot, tm.freeSlots),
    hardware: { cpuCores: Math.max(1, total.cpuCores), physicalMemory: processMb * MB, freeMemory: Math.max(0, processMb - managed) * MB, managedMemory: managed * MB },
    // A TaskManager that sent no breakdown: all of its process memory as task heap.
    memoryConfiguration: tm.memoryConfiguration ?? {
      frameworkHeap: 0,
      taskHeap: total.taskHeapMemory * MB,
      frameworkOffHeap: 0,
      taskOffHeap: 0,
      networkMemory: 0,
      managedMemory: managed * MB,
      jvmMetaspace: 0,
      jvmOverhead: 0,
      totalFlinkMemory: processMb * MB,
      totalProcessMemory: processMb * MB,
    },
    blocked: false,
  };
}

export function taskManagerDetailsInfo(tm: TaskManagerInfoWithSlots): TaskManagerDetailsInfo {
  return {
    ...taskManagerInfo(tm),
    allocatedSlots: tm.allocatedSlots.map((s) => ({ jobId: s.jobId, resource: slotResource(tm) })),
    metrics: tm.metrics ?? notYetReported(tm),
  };
}

/** Before the TaskManager's first heartbeat: zeros keep the dashboard's fields present. */
function notYetReported(tm: TaskManagerInfoWithSlots): TaskManagerMetricsInfo {
  return {
    heapUsed: 0,
    heapCommitted: 0,
    heapMax: tm.memoryConfiguration ? tm.memoryConfiguration.frameworkHeap + tm.memoryConfiguration.taskHeap : tm.memoryMb * MB,
    nonHeapUsed: 0,
    nonHeapCommitted: 0,
    nonHeapMax: 0,
    directCount: 0,
    directUsed: 0,
    directMax: 0,
    mappedCount: 0,
    mappedUsed: 0,
    mappedMax: 0,
    memorySegmentsAvailable: 0,
    memorySegmentsTotal: 0,
    nettyShuffleMemorySegmentsAvailable: 0,
    nettyShuffleMemorySegmentsUsed: 0,
    nettyShuffleMemorySegmentsTotal: 0,
    nettyShuffleMemoryAvailable: 0,
    nettyShuffleMemoryUsed: 0,
    nettyShuffleMemoryTotal: 0,
    garbageCollectors: [],
  };
}
