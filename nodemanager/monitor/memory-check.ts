import { ContainerExitStatus } from '../../rm/protocol/records.ts';

/** Hadoop's TraditionalBinaryPrefix.long2String(n, "B", 1): "88.1 MB", "1 GB", "512 B". */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let k = 0;
  while (k < units.length - 1 && Math.abs(n) >= 1024 ** (k + 1)) k++;
  if (k === 0) return `${n} B`;
  return `${(n / 1024 ** k).toFixed(1).replace(/\.0$/, '')} ${units[k]}`;
}

export interface MemoryUsage {
  readonly pid: number;
  readonly containerId: string;
  readonly rssBytes: number;
  readonly vmemBytes: number;
}

export interface MemoryLimits {
  readonly pmemLimitBytes: number;
  readonly vmemLimitBytes: number;
  readonly pmemCheck: boolean;
  readonly vmemCheck: boolean;
}

export type MemoryVerdict = { kill: false } | { kill: true; exitStatus: number; diagnostics: string };

/**
 * The decision half of YARN's ContainersMonitorImpl: given a container's tree usage and limits,
 * whether to kill it, with which exit status and YARN's diagnostic (the caller appends the dump).
 */
export function checkMemory(usage: MemoryUsage, limits: MemoryLimits): MemoryVerdict {
  const over = (kind: 'PHYSICAL' | 'VIRTUAL', excess: number, exitStatus: number): MemoryVerdict => ({
    kill: true,
    exitStatus,
    diagnostics:
      `Container [pid=${usage.pid},containerID=${usage.containerId}] is running ${excess}B beyond the '${kind}' memory limit. ` +
      `Current usage: ${formatBytes(usage.rssBytes)} of ${formatBytes(limits.pmemLimitBytes)} physical memory used; ` +
      `${formatBytes(usage.vmemBytes)} of ${formatBytes(limits.vmemLimitBytes)} virtual memory used. Killing container.`,
  });
  if (limits.vmemCheck && usage.vmemBytes > limits.vmemLimitBytes) {
    return over('VIRTUAL', usage.vmemBytes - limits.vmemLimitBytes, ContainerExitStatus.KILLED_EXCEEDED_VMEM);
  }
  if (limits.pmemCheck && usage.rssBytes > limits.pmemLimitBytes) {
    return over('PHYSICAL', usage.rssBytes - limits.pmemLimitBytes, ContainerExitStatus.KILLED_EXCEEDED_PMEM);
  }
  return { kill: false };
}
