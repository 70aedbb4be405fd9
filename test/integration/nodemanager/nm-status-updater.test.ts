import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../rm/common/clock.ts';
import { createMemoryLogger } from '../../../rm/common/logger.ts';
import { ContainerExitStatus } from '../../../rm/protocol/records.ts';
import { parseNmConfig } from '../../../nodemanager/config.ts';
import { NodeManager } from '../../../nodemanager/node-manager.ts';
import { httpResourceTracker } from '../../../rm/protocol/resource-tracker.ts';
import { appId, containerId, liveMembers, RecordingExecutor, startNm, waitFor, type NmHarness } from './nm-fixture.ts';

let h: NmHarness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

describe('NodeManager and the ResourceTracker', () => {
  it('registers with its node id, http port and resource, then heartbeats echoing responseId', async () => {
    h = await startNm({}, 2048);
    const reg = h.rm.registrations[0]!;
    expect(reg).toMatchObject({ nodeId: h.nm.nodeId, httpPort: h.nm.context.httpPort, resource: { memory: 2048, vCores: 8 }, containerStatuses: [] });
    expect(h.nm.nodeId).toBe(`127.0.0.1:${h.nm.context.httpPort}`);
    await waitFor('3 heartbeats', () => h!.rm.heartbeats.length >= 3);
    const ids = h.rm.heartbeats.slice(0, 3).map((b) => b.nodeStatus.responseId);
    expect(ids).toEqual([0, 1, 2]);
    expect(h.rm.heartbeats[0]!.nodeStatus.nodeHealthStatus.isNodeHealthy).toBe(true);
  });

  it('re-sends a completed status until the RM lists it in containersToBeRemovedFromNm', async () => {
    h = await startNm();
    const id = containerId(2);
    await h.start(id, ['exit 0']);
    await waitFor('complete', () => h!.rm.lastStatus(id)?.state === 'COMPLETE');
    const seen = h.rm.heartbeats.length;
    await waitFor('sent again', () => h!.rm.heartbeats.slice(seen).some((b) => b.nodeStatus.containersStatuses.some((s) => s.containerId === id)));
    h.rm.nextHeartbeat({ containersToBeRemovedFromNm: [id] });
    await waitFor('forgotten', () => !h!.nm.context.containers.has(id));
    const after = h.rm.heartbeats.length;
    await waitFor('two more heartbeats', () => h!.rm.heartbeats.length >= after + 2);
    expect(h.rm.heartbeats.slice(after).some((b) => b.nodeStatus.containersStatuses.some((s) => s.containerId === id))).toBe(false);
  });

  it('on RESYNC re-registers reporting its running containers and keeps them running', async () => {
    h = await startNm();
    const id = containerId(3);
    await h.start(id, ['sleep 30']);
    const pgid = h.nm.context.containers.get(id)!.pid!;
    h.rm.nextHeartbeat({ nodeAction: 'RESYNC' });
    await waitFor('second registration', () => h!.rm.registrations.length === 2);
    const reg = h.rm.registrations[1]!;
    expect(reg.containerStatuses).toEqual([expect.objectContaining({ containerId: id, containerState: 'RUNNING', containerExitStatus: -1000, resource: { memory: 256, vCores: 1 } })]);
    expect(reg.runningApplications).toEqual([appId()]);
    expect(liveMembers(pgid).length).toBeGreaterThan(0);
    const n = h.rm.heartbeats.length;
    await waitFor('heartbeats resume from responseId 0', () => h!.rm.heartbeats.length > n);
    expect(h.rm.heartbeats[n]!.nodeStatus.responseId).toBe(0);
  });

  it('containersToCleanup kills with -106; applicationsToCleanup with -107 and finishes the app', async () => {
    h = await startNm({ 'yarn.nodemanager.sleep-delay-before-sigkill.ms': '100' });
    const a = containerId(2);
    const b = containerId(3);
    await h.start(a, ['sleep 30']);
    await h.start(b, ['sleep 30']);
    h.rm.nextHeartbeat({ containersToCleanup: [a] });
    await waitFor('a killed', () => h!.rm.lastStatus(a)?.state === 'COMPLETE');
    expect(h.rm.lastStatus(a)).toMatchObject({ exitStatus: ContainerExitStatus.KILLED_BY_RESOURCEMANAGER });
    expect(h.rm.lastStatus(a)?.diagnostics).toContain('Container Killed by ResourceManager');

    h.rm.nextHeartbeat({ applicationsToCleanup: [appId()] });
    await waitFor('b killed', () => h!.rm.lastStatus(b)?.state === 'COMPLETE');
    expect(h.rm.lastStatus(b)?.exitStatus).toBe(ContainerExitStatus.KILLED_AFTER_APP_COMPLETION);
    await waitFor('app finished', () => h!.nm.context.applications.get(appId())?.state === 'FINISHED');
    // debug-delay-sec 0: the app's local dirs go at once; its logs stay for `weft logs`.
    expect(existsSync(join(h.dir, 'usercache', 'alice', 'appcache', appId()))).toBe(false);
    expect(existsSync(join(h.dir, 'logs', appId(), b, 'stdout'))).toBe(true);
    // A finished app gets no new containers here.
    const late = await h.start(containerId(9), ['true']);
    expect(late.failedRequests[0]?.exception.message).toMatch(/has finished/);
  });

  it('on SHUTDOWN stops its containers and itself without unregistering', async () => {
    h = await startNm({ 'yarn.nodemanager.sleep-delay-before-sigkill.ms': '100' });
    const id = containerId(2);
    await h.start(id, ['sleep 30']);
    const pgid = h.nm.context.containers.get(id)!.pid!;
    h.rm.nextHeartbeat({ nodeAction: 'SHUTDOWN', diagnosticsMessage: 'decommissioned' });
    await waitFor('container gone', () => liveMembers(pgid).length === 0);
    await waitFor('port closed', async () => {
      try {
        await fetch(`${h!.nm.url}/ws/v1/node/info`);
        return false;
      } catch {
        return true;
      }
    });
    expect(h.rm.unregistrations).toEqual([]);
  });

  it('unregisters on a graceful stop after its containers are gone', async () => {
    h = await startNm({ 'yarn.nodemanager.sleep-delay-before-sigkill.ms': '100' });
    await h.start(containerId(2), ['sleep 30']);
    const pgid = h.nm.context.containers.get(containerId(2))!.pid!;
    await h.nm.stop();
    expect(liveMembers(pgid)).toEqual([]);
    expect(h.rm.unregistrations).toEqual([h.nm.nodeId]);
  });

  it('keeps retrying while the RM is unreachable, and a stop during that does not hang', async () => {
    const logs = createMemoryLogger('info');
    const config = parseNmConfig({
      rmUrl: 'http://127.0.0.1:9',
      port: 0,
      host: '127.0.0.1',
      hostname: '127.0.0.1',
      dir: join((await import('node:os')).tmpdir(), `weft-nm-unreach-${process.pid}`),
      conf: { 'yarn.resourcemanager.connect.retry-interval.ms': '20' },
    });
    const nm = new NodeManager({ config, clock: new SystemClock(), logger: logs.logger, executor: new RecordingExecutor(), rm: httpResourceTracker(config.rmUrl) });
    const started = nm.start();
    await waitFor('3 retries logged', () => logs.lines().filter((l) => l.msg === 'cannot register with the ResourceManager; retrying').length >= 3);
    await nm.stop();
    await started;
    expect(nm.statusUpdater.isRegistered).toBe(false);
    rmSync(nm.baseDir, { recursive: true, force: true });
  });
});
