import { ConfigError } from '../../rm/common/config.ts';
import type { FlinkConfiguration } from './flink-configuration.ts';
import { deriveFromProcessSize, hasExplicitSizes, humanReadable, MB, smallContainerScale } from './process-memory.ts';

/**
 * A JobManager's memory (Flink's JobManagerProcessSpec, FLIP-116), in bytes. The Node heap limit
 * is jvmHeap (Flink's -Xmx/-Xms).
 */
export interface JobManagerProcessSpec {
  readonly jvmHeap: number;
  readonly offHeap: number;
  readonly jvmMetaspace: number;
  readonly jvmOverhead: number;
  readonly totalFlinkMemory: number;
  readonly totalProcessMemory: number;
}

/** The shipped flink-conf's `jobmanager.memory.process.size`, the base of weft's small-container rule. */
const SHIPPED_PROCESS_MB = 1600;
const PROCESS_KEY = 'jobmanager.memory.process.size';

/** Flink's JobManagerProcessUtils.processSpecFromConfig, with weft's small-container rule (process-memory.ts). */
export function jobManagerProcessSpec(config: FlinkConfiguration): JobManagerProcessSpec {
  try {
    return derive(config, 1);
  } catch (err) {
    if (!(err instanceof ConfigError) || hasExplicitSizes(config.raw, 'jobmanager.memory.', PROCESS_KEY)) throw err;
    return derive(config, smallContainerScale(config[PROCESS_KEY], SHIPPED_PROCESS_MB));
  }
}

function derive(c: FlinkConfiguration, scale: number): JobManagerProcessSpec {
  const totalProcessMemory = c[PROCESS_KEY] * MB;
  const flink = c['jobmanager.memory.flink.size'];
  const { jvmMetaspace, jvmOverhead, totalFlinkMemory } = deriveFromProcessSize(
    totalProcessMemory,
    flink === undefined ? undefined : flink * MB,
    Math.floor(c['jobmanager.memory.jvm-metaspace.size'] * scale * MB),
    { fraction: c['jobmanager.memory.jvm-overhead.fraction'], minMb: c['jobmanager.memory.jvm-overhead.min'] * scale, maxMb: c['jobmanager.memory.jvm-overhead.max'] },
    { process: PROCESS_KEY, flink: 'jobmanager.memory.flink.size' },
  );
  const offHeap = Math.floor(c['jobmanager.memory.off-heap.size'] * scale * MB);
  const heapSize = c['jobmanager.memory.heap.size'];
  if (heapSize !== undefined && heapSize * MB + offHeap > totalFlinkMemory) {
    throw new ConfigError(
      `Sum of configured JVM Heap Memory (${humanReadable(heapSize * MB)}) and Off-heap Memory (${humanReadable(offHeap)}) exceed configured Total Flink Memory (${humanReadable(totalFlinkMemory)}).`,
    );
  }
  if (offHeap > totalFlinkMemory) {
    throw new ConfigError(`The configured Total Flink Memory (${humanReadable(totalFlinkMemory)}) is less than the configured Off-heap Memory (${humanReadable(offHeap)}).`);
  }
  // A given heap leaves the rest of Total Flink Memory to off-heap, as Flink does.
  const jvmHeap = heapSize !== undefined ? heapSize * MB : totalFlinkMemory - offHeap;
  return { jvmHeap, offHeap: totalFlinkMemory - jvmHeap, jvmMetaspace, jvmOverhead, totalFlinkMemory, totalProcessMemory };
}
