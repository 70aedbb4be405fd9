import { ConfigError } from '../../rm/common/config.ts';

/**
 * The parts every Flink process's memory model shares (Flink's ProcessMemoryUtils, FLIP-49):
 * Total Process Memory = Total Flink Memory + JVM Metaspace + JVM Overhead. Sizes are bytes;
 * fractions truncate, as Flink's MemorySize.multiply does.
 */
export const MB = 1024 * 1024;

export interface RangeFraction {
  readonly fraction: number;
  readonly minMb: number;
  readonly maxMb: number;
}

export function fractionOf(totalBytes: number, range: RangeFraction): number {
  return Math.min(range.maxMb * MB, Math.max(range.minMb * MB, Math.floor(totalBytes * range.fraction)));
}

/** Flink's MemorySize.toHumanReadableString: `256.000mb (268435456 bytes)`. */
export function humanReadable(bytes: number): string {
  const units: [number, string][] = [[MB * MB, 'tb'], [1024 * MB, 'gb'], [MB, 'mb'], [1024, 'kb']];
  if (bytes === 0) return '0 bytes';
  for (const [multiplier, unit] of units) {
    if (bytes % multiplier === 0) return `${(bytes / multiplier).toFixed(3)}${unit} (${bytes} bytes)`;
  }
  return `${bytes} bytes`;
}

export interface MetaspaceAndOverhead {
  readonly jvmMetaspace: number;
  readonly jvmOverhead: number;
  readonly totalFlinkMemory: number;
}

/**
 * Total Flink Memory from the process size: overhead is its fraction of the process (clamped),
 * or, with the Flink size given too, what is left. weft's process size is always known (it is
 * the container), so a given Flink size never grows the process as it can in Flink.
 */
export function deriveFromProcessSize(processBytes: number, flinkBytes: number | undefined, metaspaceBytes: number, overhead: RangeFraction, keys: { readonly process: string; readonly flink: string }): MetaspaceAndOverhead {
  if (flinkBytes !== undefined) {
    const jvmOverhead = processBytes - flinkBytes - metaspaceBytes;
    if (jvmOverhead < 0) {
      throw new ConfigError(
        `Sum of configured Total Flink Memory (${humanReadable(flinkBytes)}) and JVM Metaspace (${humanReadable(metaspaceBytes)}) exceed configured Total Process Memory (${humanReadable(processBytes)}). Please lower ${keys.flink} or raise ${keys.process}.`,
      );
    }
    return { jvmMetaspace: metaspaceBytes, jvmOverhead, totalFlinkMemory: flinkBytes };
  }
  const jvmOverhead = fractionOf(processBytes, overhead);
  if (metaspaceBytes + jvmOverhead > processBytes) {
    throw new ConfigError(
      `Sum of configured JVM Metaspace (${humanReadable(metaspaceBytes)}) and JVM Overhead (${humanReadable(jvmOverhead)}) exceed configured Total Process Memory (${humanReadable(processBytes)}).`,
    );
  }
  return { jvmMetaspace: metaspaceBytes, jvmOverhead, totalFlinkMemory: processBytes - metaspaceBytes - jvmOverhead };
}

/**
 * weft's small-container rule. Flink's fixed defaults (192m overhead, 256m metaspace, 128m
 * framework heap and off-heap, 64m network) alone exceed the 256 MB containers weft's test
 * clusters use, where Flink refuses to start. When the user set nothing but the process size,
 * weft scales those defaults by process size / Flink's shipped process size instead; fractions
 * stay. Explicit sizes are never scaled: they fail with Flink's message.
 */
export function smallContainerScale(processMb: number, shippedProcessMb: number): number {
  return Math.min(1, processMb / shippedProcessMb);
}

/** Whether any `<prefix>` key but the process size was set, i.e. the user chose sizes themselves. */
export function hasExplicitSizes(raw: ReadonlyMap<string, string>, prefix: string, processKey: string): boolean {
  for (const key of raw.keys()) if (key.startsWith(prefix) && key !== processKey) return true;
  return false;
}
