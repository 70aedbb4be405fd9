import { ConfigError } from '../../rm/common/config.ts';
import type { FlinkConfiguration } from './flink-configuration.ts';
import { deriveFromProcessSize, fractionOf, hasExplicitSizes, humanReadable, MB, smallContainerScale } from './process-memory.ts';

/**
 * A TaskManager's memory (Flink's TaskExecutorProcessSpec, FLIP-49), in bytes, named as the
 * `memoryConfiguration` of `/taskmanagers/:id`. The Node heap limit is frameworkHeap + taskHeap
 * (Flink's -Xmx/-Xms); the rest is native memory the heap limit does not cover.
 */
export interface TaskExecutorProcessSpec {
  readonly frameworkHeap: number;
  readonly taskHeap: number;
  readonly frameworkOffHeap: number;
  readonly taskOffHeap: number;
  readonly networkMemory: number;
  readonly managedMemory: number;
  readonly jvmMetaspace: number;
  readonly jvmOverhead: number;
  readonly totalFlinkMemory: number;
  readonly totalProcessMemory: number;
}

export const jvmHeapSize = (spec: TaskExecutorProcessSpec): number => spec.frameworkHeap + spec.taskHeap;

/** The shipped flink-conf's `taskmanager.memory.process.size`, the base of weft's small-container rule. */
const SHIPPED_PROCESS_MB = 1728;
const PROCESS_KEY = 'taskmanager.memory.process.size';

/**
 * Flink's TaskExecutorProcessUtils.processSpecFromConfig for a container of
 * `taskmanager.memory.process.size` (or `processMb`, the TaskManager's --memory), with weft's
 * small-container rule (process-memory.ts).
 */
export function taskExecutorProcessSpec(config: FlinkConfiguration, processMb = config[PROCESS_KEY]): TaskExecutorProcessSpec {
  try {
    return derive(config, processMb, 1);
  } catch (err) {
    if (!(err instanceof ConfigError) || hasExplicitSizes(config.raw, 'taskmanager.memory.', PROCESS_KEY)) throw err;
    return derive(config, processMb, smallContainerScale(processMb, SHIPPED_PROCESS_MB));
  }
}

function derive(c: FlinkConfiguration, processMb: number, scale: number): TaskExecutorProcessSpec {
  const mb = (v: number) => Math.floor(v * scale * MB);
  const totalProcessMemory = processMb * MB;
  const flink = c['taskmanager.memory.flink.size'];
  const { jvmMetaspace, jvmOverhead, totalFlinkMemory } = deriveFromProcessSize(
    totalProcessMemory,
    flink === undefined ? undefined : flink * MB,
    mb(c['taskmanager.memory.jvm-metaspace.size']),
    { fraction: c['taskmanager.memory.jvm-overhead.fraction'], minMb: c['taskmanager.memory.jvm-overhead.min'] * scale, maxMb: c['taskmanager.memory.jvm-overhead.max'] },
    { process: PROCESS_KEY, flink: 'taskmanager.memory.flink.size' },
  );
  const frameworkHeap = mb(c['taskmanager.memory.framework.heap.size']);
  const frameworkOffHeap = mb(c['taskmanager.memory.framework.off-heap.size']);
  const taskOffHeap = c['taskmanager.memory.task.off-heap.size'] * MB;
  const managedSize = c['taskmanager.memory.managed.size'];
  const managedMemory = managedSize !== undefined ? managedSize * MB : Math.floor(totalFlinkMemory * c['taskmanager.memory.managed.fraction']);
  const base = { frameworkHeap, frameworkOffHeap, taskOffHeap, managedMemory, jvmMetaspace, jvmOverhead, totalFlinkMemory, totalProcessMemory };
  const taskHeapSize = c['taskmanager.memory.task.heap.size'];
  if (taskHeapSize !== undefined) {
    // Task heap given: network memory is what is left (TaskExecutorFlinkMemoryUtils).
    const taskHeap = taskHeapSize * MB;
    const rest = frameworkHeap + frameworkOffHeap + taskHeap + taskOffHeap + managedMemory;
    if (rest > totalFlinkMemory) {
      throw new ConfigError(
        `Sum of configured Framework Heap Memory (${humanReadable(frameworkHeap)}), Framework Off-Heap Memory (${humanReadable(frameworkOffHeap)}), Task Heap Memory (${humanReadable(taskHeap)}), Task Off-Heap Memory (${humanReadable(taskOffHeap)}) and Managed Memory (${humanReadable(managedMemory)}) exceed configured Total Flink Memory (${humanReadable(totalFlinkMemory)}).`,
      );
    }
    return { ...base, taskHeap, networkMemory: totalFlinkMemory - rest };
  }
  const networkMemory = fractionOf(totalFlinkMemory, {
    fraction: c['taskmanager.memory.network.fraction'],
    minMb: c['taskmanager.memory.network.min'] * scale,
    maxMb: c['taskmanager.memory.network.max'],
  });
  const rest = frameworkHeap + frameworkOffHeap + taskOffHeap + managedMemory + networkMemory;
  if (rest > totalFlinkMemory) {
    throw new ConfigError(
      `Sum of configured Framework Heap Memory (${humanReadable(frameworkHeap)}), Framework Off-Heap Memory (${humanReadable(frameworkOffHeap)}), Task Off-Heap Memory (${humanReadable(taskOffHeap)}), Managed Memory (${humanReadable(managedMemory)}) and Network Memory (${humanReadable(networkMemory)}) exceed configured Total Flink Memory (${humanReadable(totalFlinkMemory)}).`,
    );
  }
  return { ...base, taskHeap: totalFlinkMemory - rest, networkMemory };
}
