import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../rm/common/clock.ts';
import { createMemoryLogger } from '../../../rm/common/logger.ts';
import { ContainerExitStatus } from '../../../rm/protocol/records.ts';
import { parseNmConfig } from '../../../nodemanager/config.ts';
import { Container } from '../../../nodemanager/containers/container.ts';
import { ContainersMonitor } from '../../../nodemanager/monitor/containers-monitor.ts';
import { checkMemory, formatBytes } from '../../../nodemanager/monitor/memory-check.ts';
import { parseProcStat, type ProcReader, type ProcStat } from '../../../nodemanager/monitor/proc-reader.ts';
import { snapshotProcessTree } from '../../../nodemanager/monitor/process-tree.ts';

const MB = 1024 * 1024;

/** A /proc with a few processes: pid -> (parent, rss, state). */
class FakeProc implements ProcReader {
  readonly procs = new Map<number, { ppid: number; rss: number; state?: string; comm?: string }>();
  stat(pid: number): ProcStat | undefined {
    const p = this.procs.get(pid);
    if (!p) return undefined;
    return { pid, comm: p.comm ?? 'node', state: p.state ?? 'S', ppid: p.ppid, pgrp: 100, session: 100, utimeTicks: 12, stimeTicks: 3, vsizeBytes: 1000 * MB, rssPages: p.rss / 4096 };
  }
  rssBytes(pid: number): number | undefined {
    const p = this.procs.get(pid);
    return p && p.state !== 'Z' ? p.rss : undefined;
  }
  children(pid: number): number[] {
    return [...this.procs.entries()].filter(([, p]) => p.ppid === pid).map(([c]) => c);
  }
  cmdline(pid: number): string {
    return `cmd-${pid} --flag`;
  }
  pids(): number[] {
    return [...this.procs.keys()];
  }
}

describe('memory check decision', () => {
  it('formats sizes the way Hadoop does', () => {
    expect([formatBytes(512), formatBytes(88.1 * MB), formatBytes(1024 * MB), formatBytes(537.6 * MB)]).toEqual(['512 B', '88.1 MB', '1 GB', '537.6 MB']);
  });

  it('kills over the physical limit with -104 and YARN\'s wording; leaves others alone', () => {
    const limits = { pmemLimitBytes: 64 * MB, vmemLimitBytes: 134.4 * MB, pmemCheck: true, vmemCheck: false };
    const usage = { pid: 4242, containerId: 'container_1_0001_01_000002', rssBytes: 100 * MB, vmemBytes: 2048 * MB };
    expect(checkMemory(usage, limits)).toEqual({
      kill: true,
      exitStatus: ContainerExitStatus.KILLED_EXCEEDED_PMEM,
      diagnostics: `Container [pid=4242,containerID=container_1_0001_01_000002] is running ${36 * MB}B beyond the 'PHYSICAL' memory limit. Current usage: 100 MB of 64 MB physical memory used; 2 GB of 134.4 MB virtual memory used. Killing container.`,
    });
    expect(checkMemory({ ...usage, rssBytes: 64 * MB }, limits)).toEqual({ kill: false });
    expect(checkMemory(usage, { ...limits, pmemCheck: false })).toEqual({ kill: false });
    expect(checkMemory(usage, { ...limits, vmemCheck: true })).toMatchObject({ kill: true, exitStatus: ContainerExitStatus.KILLED_EXCEEDED_VMEM });
  });

  it('sums RSS over the whole tree, skipping zombies, and dumps it', () => {
    const proc = new FakeProc();
    proc.procs.set(100, { ppid: 1, rss: 2 * MB, comm: 'sh' });
    proc.procs.set(101, { ppid: 100, rss: 40 * MB });
    proc.procs.set(102, { ppid: 101, rss: 30 * MB });
    proc.procs.set(103, { ppid: 100, rss: 0, state: 'Z' });
    proc.procs.set(200, { ppid: 1, rss: 999 * MB });
    const tree = snapshotProcessTree(proc, 100);
    expect(tree.processes.map((p) => p.stat.pid)).toEqual([100, 101, 102]);
    expect(tree.rssBytes).toBe(72 * MB);
  });

  it('parses /proc/<pid>/stat even when the command name has spaces and parentheses', () => {
    const line = '4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 100 0 0 0 15 4 0 0 20 0 1 0 100 123456789 2048 18446744073709551615';
    expect(parseProcStat(line)).toMatchObject({ pid: 4242, comm: 'my (odd) cmd', state: 'S', ppid: 1, pgrp: 4242, session: 4242, utimeTicks: 15, stimeTicks: 4, vsizeBytes: 123456789, rssPages: 2048 });
  });
});

describe('ContainersMonitor', () => {
  function container(pid: number, memoryMb: number): Container {
    const c = new Container({
      id: 'container_1700000000000_0001_01_000002',
      appId: 'application_1700000000000_0001',
      token: { containerId: 'container_1700000000000_0001_01_000002', nodeId: 'h:1', appSubmitter: 'alice', resource: { memory: memoryMb, vCores: 1 }, expiryTimeStamp: 0, masterKeyId: 1, rmIdentifier: 1, priority: 0, creationTime: 0 },
      launchContext: { commands: [], environment: {}, localResources: {}, applicationACLs: {} },
      workDir: '/w',
      logDir: '/l',
      createdAt: 0,
      logger: createMemoryLogger().logger,
    });
    c.handle({ type: 'INIT_CONTAINER' });
    c.handle({ type: 'RESOURCE_LOCALIZED' });
    c.handle({ type: 'CONTAINER_LAUNCHED', pid });
    return c;
  }

  it('samples every interval and kills a container whose tree is over its allocation', () => {
    const clock = new ManualClock();
    const proc = new FakeProc();
    proc.procs.set(100, { ppid: 1, rss: 10 * MB, comm: 'sh' });
    proc.procs.set(101, { ppid: 100, rss: 40 * MB });
    const c = container(100, 64);
    const kills: { id: string; exitStatus: number; diagnostics: string }[] = [];
    const monitor = new ContainersMonitor({
      clock,
      logger: createMemoryLogger().logger,
      config: parseNmConfig({ rmUrl: 'http://rm:1', conf: { 'yarn.nodemanager.container-monitor.interval-ms': '3000' } }),
      proc,
      containers: () => [c],
      kill: (id, exitStatus, diagnostics) => kills.push({ id, exitStatus, diagnostics }),
    });
    monitor.start();
    clock.advance(3000);
    expect(kills).toEqual([]);
    expect(monitor.lastRssBytes.get(c.id)).toBe(50 * MB);
    proc.procs.set(101, { ppid: 100, rss: 80 * MB });
    clock.advance(3000);
    expect(kills).toHaveLength(1);
    expect(kills[0]!.exitStatus).toBe(-104);
    expect(kills[0]!.diagnostics).toContain(`Container [pid=100,containerID=${c.id}] is running ${26 * MB}B beyond the 'PHYSICAL' memory limit. Current usage: 90 MB of 64 MB physical memory used;`);
    expect(kills[0]!.diagnostics).toContain(`Dump of the process-tree for ${c.id} :\n\t|- PID PPID PGRPID SESSID CMD_NAME USER_MODE_TIME(MILLIS) SYSTEM_TIME(MILLIS) VMEM_USAGE(BYTES) RSSMEM_USAGE(PAGES) FULL_CMD_LINE\n\t|- 100 1 100 100 (sh) 120 30 1048576000 2560 cmd-100 --flag\n\t|- 101 100 100 100 (node) 120 30 1048576000 20480 cmd-101 --flag\n`);
    monitor.stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('does nothing when both checks are disabled', () => {
    const clock = new ManualClock();
    const monitor = new ContainersMonitor({
      clock,
      logger: createMemoryLogger().logger,
      config: parseNmConfig({ rmUrl: 'http://rm:1', conf: { 'yarn.nodemanager.pmem-check-enabled': 'false' } }),
      proc: new FakeProc(),
      containers: () => [],
      kill: () => {},
    });
    monitor.start();
    expect(clock.pendingTimers()).toBe(0);
  });
});
