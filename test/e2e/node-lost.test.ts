import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMiniCluster, type MiniCluster } from '../fixtures/mini-cluster.ts';
import { listProcesses, ProcessRegistry, signalGroup } from '../fixtures/processes.ts';
import { appContainers, rmRest } from '../fixtures/rm-rest.ts';
import type { ApplicationClientProtocol } from '../../rm/protocol/client-rm.ts';
import { waitFor } from '../fixtures/wait.ts';
import { runWeft } from '../fixtures/weft-cli.ts';

const registry = new ProcessRegistry();
let cluster: MiniCluster;
let rm: ApplicationClientProtocol;

beforeAll(async () => {
  // FAST_RM_CONF makes a silent node LOST after 3 s.
  cluster = await startMiniCluster({ registry, nodes: 2, nodeMemoryMb: 4096 });
  rm = rmRest(cluster.rmUrl);
});

afterAll(async () => {
  const dir = cluster?.dir;
  await cluster?.stop();
  await registry.cleanup();
  await registry.assertNoneLeft(dir ? [dir] : []);
});

async function killApp(appId: string): Promise<void> {
  await waitFor(async () => (await rm.updateAppState({ params: { appid: appId }, body: { state: 'KILLED' } })).state === 'KILLED', {
    timeoutMs: 30_000,
    description: `${appId} KILLED`,
  });
}

describe('a NodeManager that dies', () => {
  it('becomes LOST and its containers complete with -100', async () => {
    const submitted = await runWeft(['dshell', '--detached', '--num-containers', '4', '--container-memory', '128', '--', 'sleep 300'], { rmUrl: cluster.rmUrl, registry });
    expect(submitted.code).toBe(0);
    const appId = submitted.stdout.trim();

    const running = await waitFor(
      async () => {
        const cs = (await appContainers(rm, appId)).filter((c) => !c.containerId.endsWith('_000001') && c.containerState === 'RUNNING');
        return cs.length === 4 ? cs : undefined;
      },
      { timeoutMs: 30_000, description: '4 running worker containers' },
    );
    const { appAttempts } = await rm.appAttempts({ params: { appid: appId }, body: undefined });
    const amNode = appAttempts.appAttempt[0]?.nodeId;
    const withWorkers = cluster.nodes.filter((n) => running.some((c) => c.nodeId === n.nodeId));
    // Prefer the node without the AM, so the attempt survives and sees the -100 statuses.
    const victim = withWorkers.find((n) => n.nodeId !== amNode) ?? withWorkers[0]!;
    const onVictim = running.filter((c) => c.nodeId === victim.nodeId).map((c) => c.containerId);
    expect(onVictim.length).toBeGreaterThan(0);

    try {
      process.kill(victim.process.pid, 'SIGKILL');
      await waitFor(async () => (await rm.node({ params: { nodeid: victim.nodeId }, body: undefined })).node.state === 'LOST', {
        timeoutMs: 20_000,
        description: `${victim.nodeId} LOST`,
      });
      const completed = await waitFor(
        async () => {
          const cs = (await appContainers(rm, appId)).filter((c) => onVictim.includes(c.containerId));
          return cs.length === onVictim.length && cs.every((c) => c.containerState === 'COMPLETE') ? cs : undefined;
        },
        { timeoutMs: 20_000, description: 'the lost node’s containers COMPLETE' },
      );
      expect(completed.map((c) => c.containerExitStatus)).toEqual(onVictim.map(() => -100));
      const nodes = await runWeft(['node', 'list', '--all'], { rmUrl: cluster.rmUrl, registry });
      expect(nodes.stdout).toMatch(new RegExp(`${victim.nodeId}\\t\\s*LOST\\t`));
    } finally {
      await killApp(appId).catch(() => {});
      // A SIGKILLed NM cannot stop its containers; they are orphans the test must reap itself.
      for (const p of listProcesses().filter((x) => x.cwd.startsWith(`${victim.dir}/`))) signalGroup(p.pgid, 'SIGKILL');
    }
    await waitFor(() => listProcesses().every((p) => !p.cwd.startsWith(`${cluster.dir}/`)), {
      timeoutMs: 15_000,
      description: 'no container process left',
    });
  });
});
