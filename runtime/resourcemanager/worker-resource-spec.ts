import type { FlinkConfiguration } from '../config/flink-configuration.ts';
import type { ResourceProfile } from '../protocol/records.ts';

/**
 * What one TaskManager process needs (Flink's WorkerResourceSpec / TaskExecutorProcessSpec,
 * reduced): its process memory, its CPU cores and how many slots it offers.
 */
export interface WorkerResourceSpec {
  readonly memoryMb: number;
  readonly cpuCores: number;
  readonly numberOfSlots: number;
}

/** `taskmanager.memory.process.size` and `taskmanager.numberOfTaskSlots`; cores from `yarn.containers.vcores` (-1 = slots). */
export function workerSpecFromConfig(config: FlinkConfiguration): WorkerResourceSpec {
  const slots = config['taskmanager.numberOfTaskSlots'];
  const vcores = config['yarn.containers.vcores'];
  return { memoryMb: config['taskmanager.memory.process.size'], cpuCores: vcores > 0 ? vcores : slots, numberOfSlots: slots };
}

export const workerSpecKey = (spec: WorkerResourceSpec): string => `${spec.memoryMb}mb/${spec.cpuCores}cores/${spec.numberOfSlots}slots`;

/** One slot's share of a worker (Flink divides a TaskManager evenly among its slots). */
export function slotProfileOf(spec: WorkerResourceSpec): ResourceProfile {
  return {
    cpuCores: spec.cpuCores / spec.numberOfSlots,
    taskHeapMemoryMb: Math.floor(spec.memoryMb / spec.numberOfSlots),
    managedMemoryMb: 0,
  };
}
