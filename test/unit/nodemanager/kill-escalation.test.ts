import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../rm/common/clock.ts';
import { createMemoryLogger } from '../../../rm/common/logger.ts';
import { signToken } from '../../../rm/protocol/tokens.ts';
import { parseNmConfig } from '../../../nodemanager/config.ts';
import { ContainerManager } from '../../../nodemanager/containers/container-manager.ts';
import { ProcessGroupKiller } from '../../../nodemanager/launcher/process-group-killer.ts';
import { NmContext } from '../../../nodemanager/nm-context.ts';
import { FakeExecutor } from './fake-executor.ts';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('ProcessGroupKiller', () => {
  it('sends SIGTERM to the group, then SIGKILL after the configured delay if anything is left', async () => {
    const clock = new ManualClock();
    const executor = new FakeExecutor();
    const pid = executor.launch({ containerId: 'c', script: 'x', cwd: '/', env: {}, stdoutPath: '', stderrPath: '' }).pid;
    executor.ignoresTerm.add(pid);
    const killer = new ProcessGroupKiller({ executor, clock, sigkillDelayMs: 250, logger: createMemoryLogger().logger });
    let done = false;
    void killer.kill(pid).then(() => (done = true));
    expect(executor.signals).toEqual([{ pid, signal: 'SIGTERM' }]);
    clock.advance(249);
    await flush();
    expect(executor.signals).toHaveLength(1);
    expect(done).toBe(false);
    clock.advance(1);
    await flush();
    expect(executor.signals).toEqual([{ pid, signal: 'SIGTERM' }, { pid, signal: 'SIGKILL' }]);
    expect(done).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('sends no SIGKILL when SIGTERM was enough, and nothing at all to a group already gone', async () => {
    const clock = new ManualClock();
    const executor = new FakeExecutor();
    const spec = { containerId: 'c', script: 'x', cwd: '/', env: {}, stdoutPath: '', stderrPath: '' };
    const pid = executor.launch(spec).pid;
    const killer = new ProcessGroupKiller({ executor, clock, sigkillDelayMs: 250, logger: createMemoryLogger().logger });
    const killed = killer.kill(pid);
    clock.advance(250);
    await killed;
    expect(executor.signals).toEqual([{ pid, signal: 'SIGTERM' }]);
    await killer.kill(pid);
    expect(executor.signals).toHaveLength(1);
  });
});

describe('ContainerManager kill flow (fake executor, manual clock)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function setup() {
    const clock = new ManualClock();
    const executor = new FakeExecutor();
    const dir = mkdtempSync(join(tmpdir(), 'weft-cm-'));
    dirs.push(dir);
    const key = Buffer.alloc(32, 7);
    const context = new NmContext('h', { memory: 1024, vCores: 2 }, clock.now());
    context.httpPort = 8042;
    context.keys.containerTokens.set({ keyId: 1, bytes: key.toString('base64') });
    const config = parseNmConfig({ rmUrl: 'http://rm:8088', conf: { 'yarn.nodemanager.sleep-delay-before-sigkill.ms': '250' } });
    const cm = new ContainerManager({ context, config, clock, logger: createMemoryLogger().logger, executor, baseDir: dir, nmEnv: { PATH: '/bin' } });
    const start = (id: string): void => {
      const token = signToken(
        { containerId: id, nodeId: 'h:8042', appSubmitter: 'alice', resource: { memory: 128, vCores: 1 }, expiryTimeStamp: clock.now() + 1000, masterKeyId: 1, rmIdentifier: 1, priority: 0, creationTime: clock.now() },
        key,
      );
      const res = cm.startContainers([{ containerToken: token, containerLaunchContext: { commands: ['sleep', '100'], environment: {}, localResources: {}, applicationACLs: {} } }]);
      expect(res.failedRequests).toEqual([]);
    };
    return { clock, executor, cm, context, start };
  }

  it('KILL on a running container: KILLING, SIGTERM, SIGKILL after 250 ms, then DONE with the kill status', async () => {
    const { clock, executor, cm, context, start } = setup();
    const id = 'container_1700000000000_0001_01_000002';
    start(id);
    const c = context.containers.get(id)!;
    expect(c.state).toBe('RUNNING');
    expect(executor.launches[0]!.script).toBe('sleep 100');
    executor.ignoresTerm.add(c.pid!);
    cm.killContainer(id, -106, 'Container Killed by ResourceManager');
    expect(c.state).toBe('KILLING');
    expect(executor.signals).toEqual([{ pid: c.pid, signal: 'SIGTERM' }]);
    cm.killContainer(id, -105, 'second kill is ignored');
    clock.advance(250);
    await flush();
    expect(executor.signals.map((s) => s.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(c.state).toBe('DONE');
    expect(c.toStatus()).toMatchObject({ state: 'COMPLETE', exitStatus: -106 });
    expect(c.toStatus().diagnostics).toBe('Container Killed by ResourceManager\nContainer killed on request. Exit code is 137');
  });

  it('a process that exits by itself is COMPLETE with its code; a later kill changes nothing', async () => {
    const { executor, cm, context, start } = setup();
    const id = 'container_1700000000000_0001_01_000003';
    start(id);
    const c = context.containers.get(id)!;
    executor.exit(c.pid!, 0);
    await flush();
    expect(c.toStatus()).toMatchObject({ state: 'COMPLETE', exitStatus: 0 });
    cm.killContainer(id, -105, 'too late');
    expect(c.toStatus()).toMatchObject({ state: 'COMPLETE', exitStatus: 0 });
    expect(executor.signals).toEqual([]);
  });

  it('stop() kills every running container and resolves once they are gone', async () => {
    const { clock, executor, cm, context, start } = setup();
    start('container_1700000000000_0001_01_000004');
    start('container_1700000000000_0001_01_000005');
    for (const c of context.containers.values()) executor.ignoresTerm.add(c.pid!);
    let stopped = false;
    void cm.stop().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    clock.advance(250);
    await flush();
    await flush();
    expect(stopped).toBe(true);
    expect(executor.alive.size).toBe(0);
    expect([...context.containers.values()].map((c) => c.state)).toEqual(['DONE', 'DONE']);
  });
});
