import type { ProcReader, ProcStat } from './proc-reader.ts';

/** One process of a container's tree, with what the memory check and the dump need. */
export interface TreeProcess {
  readonly stat: ProcStat;
  readonly rssBytes: number;
  readonly cmdline: string;
}

export interface ProcessTreeSnapshot {
  readonly rootPid: number;
  readonly processes: readonly TreeProcess[];
  readonly rssBytes: number;
  readonly vmemBytes: number;
}

/**
 * The container's process tree as it is now (YARN's ProcfsBasedProcessTree): the group leader and
 * its descendants, found through /proc/<pid>/task/<tid>/children. Zombies hold no memory and are
 * left out.
 */
export function snapshotProcessTree(proc: ProcReader, rootPid: number): ProcessTreeSnapshot {
  const processes: TreeProcess[] = [];
  const seen = new Set<number>();
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const stat = proc.stat(pid);
    if (stat === undefined) continue;
    queue.push(...proc.children(pid));
    if (stat.state === 'Z' || stat.state === 'X') continue;
    processes.push({ stat, rssBytes: proc.rssBytes(pid) ?? 0, cmdline: proc.cmdline(pid) });
  }
  return {
    rootPid,
    processes,
    rssBytes: processes.reduce((sum, p) => sum + p.rssBytes, 0),
    vmemBytes: processes.reduce((sum, p) => sum + p.stat.vsizeBytes, 0),
  };
}

/** Linux USER_HZ; /proc reports CPU times in these ticks. */
const TICKS_PER_SECOND = 100;

/** The dump YARN appends to a memory-kill diagnostic (ProcfsBasedProcessTree.getProcessTreeDump). */
export function formatProcessTreeDump(containerId: string, tree: ProcessTreeSnapshot): string {
  const lines = [`Dump of the process-tree for ${containerId} :`];
  lines.push('\t|- PID PPID PGRPID SESSID CMD_NAME USER_MODE_TIME(MILLIS) SYSTEM_TIME(MILLIS) VMEM_USAGE(BYTES) RSSMEM_USAGE(PAGES) FULL_CMD_LINE');
  for (const { stat: s, cmdline } of tree.processes) {
    const ms = (ticks: number): number => Math.round((ticks * 1000) / TICKS_PER_SECOND);
    lines.push(`\t|- ${s.pid} ${s.ppid} ${s.pgrp} ${s.session} (${s.comm}) ${ms(s.utimeTicks)} ${ms(s.stimeTicks)} ${s.vsizeBytes} ${s.rssPages} ${cmdline}`);
  }
  return lines.join('\n') + '\n';
}
