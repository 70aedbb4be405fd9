import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_RM_CONF, startMiniCluster, type MiniCluster } from '../fixtures/mini-cluster.ts';
import { listProcesses, ProcessRegistry, WEFT_HOME, WEFT_RUN, type StartedProcess } from '../fixtures/processes.ts';
import { appContainers, appState, rmRest } from '../fixtures/rm-rest.ts';
import { waitFor } from '../fixtures/wait.ts';
import { runWeft } from '../fixtures/weft-cli.ts';

/**
 * ResourceManager restart on the same state directory (ResourceManagerRestart.md): finished apps
 * come back as they ended; a running app keeps its containers, which the NodeManagers report when
 * they resync, and its AM re-registers.
 */
const registry = new ProcessRegistry();
let cluster: MiniCluster;
let restarted: StartedProcess | undefined;

const appIdOf = (out: string): string => {
  const m = /application_\d+_\d+/.exec(out);
  if (!m) throw new Error(`no application id in:\n${out}`);
  return m[0];
};

beforeAll(async () => {
  cluster = await startMiniCluster({ registry, nodes: 2, nodeMemoryMb: 4096 });
});

afterAll(async () => {
  if (restarted) await registry.stop(restarted);
  await cluster.stop();
  await registry.assertNoneLeft([cluster.dir]);
});

describe('ResourceManager restart', () => {
  it('lists finished apps with their final state and lets a running app carry on with its containers', async () => {
    const weft = (...args: string[]) => runWeft(args, { rmUrl: cluster.rmUrl, registry });
    const done = await weft('dshell', '--num-containers', '1', '--container-memory', '128', '--', 'true');
    expect(done.code).toBe(0);
    const finishedApp = appIdOf(done.stdout + done.stderr);

    const submitted = await weft('dshell', '--detached', '--num-containers', '2', '--container-memory', '128', '--', 'sleep 120');
    const runningApp = appIdOf(submitted.stdout);
    const rm = rmRest(cluster.rmUrl);
    await waitFor(async () => (await appContainers(rm, runningApp)).filter((c) => c.containerState === 'RUNNING').length === 3, {
      timeoutMs: 30_000,
      description: 'the AM and both shell containers running',
    });
    const sleepers = () => listProcesses().filter((p) => p.cmdline.startsWith('sleep 120') && p.cwd.includes(runningApp));
    const before = sleepers().map((p) => p.pid).sort();
    expect(before).toHaveLength(2);

    // Stop the RM and start a new one on the same port and state directory.
    await registry.stop(cluster.rm);
    const port = new URL(cluster.rmUrl).port;
    restarted = await registry.start('resourcemanager-2', WEFT_RUN, {
      args: [resolve(WEFT_HOME, 'rm/main.ts'), '--port', port, '--dir', join(cluster.dir, 'rm'), ...FAST_RM_CONF.flatMap((kv) => ['--conf', kv])],
    });

    expect(await appState(rm, finishedApp)).toMatchObject({ state: 'FINISHED', finalStatus: 'SUCCEEDED' });
    // The NMs resync and report the containers; the AM re-registers: RUNNING again, same processes.
    await waitFor(async () => (await appState(rm, runningApp)).state === 'RUNNING', { timeoutMs: 30_000, description: 'the running app to be RUNNING after the restart' });
    await waitFor(async () => (await appContainers(rm, runningApp)).filter((c) => c.containerState === 'RUNNING').length >= 3, {
      timeoutMs: 30_000,
      description: 'the recovered containers to be listed as RUNNING',
    });
    expect(sleepers().map((p) => p.pid).sort()).toEqual(before);

    // The recovered app can still be killed, and its processes go away.
    const kill = await weft('app', 'kill', runningApp);
    expect(kill.code).toBe(0);
    await waitFor(() => sleepers().length === 0, { timeoutMs: 20_000, description: 'the shell containers to be stopped' });
    expect((await appState(rm, runningApp)).state).toBe('KILLED');
  });
});
