import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { portOpen } from '../fixtures/port-open.ts';
import { e2eStateDir, isAlive, ProcessRegistry, WEFT_HOME } from '../fixtures/processes.ts';
import { waitFor } from '../fixtures/wait.ts';

interface ClusterReady {
  url: string;
  rmPid: number;
  nodes: { nodeId: string; url: string; pid: number }[];
}

const registry = new ProcessRegistry();
const dirs: string[] = [];

async function startCluster() {
  const dir = e2eStateDir('cluster');
  dirs.push(dir);
  const cli = await registry.start('weft cluster start', process.execPath, {
    args: [resolve(WEFT_HOME, 'bin/weft.js'), '--json', 'cluster', 'start', '--port', '0', '--nodes', '2', '--node-memory', '2048', '--dir', dir],
  });
  const ready = cli.ready as unknown as ClusterReady;
  return { cli, ready, dir };
}

afterEach(async () => {
  await registry.cleanup();
  await registry.assertNoneLeft(dirs);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('weft cluster start', () => {
  it('starts an RM and 2 NMs and stops them all on SIGTERM, closing every port', async () => {
    const { cli, ready } = await startCluster();
    const nodes = (await (await fetch(`${ready.url}/ws/v1/cluster/nodes`)).json()) as { nodes: { node: { id: string; state: string }[] } };
    expect(nodes.nodes.node.map((n) => n.id).sort()).toEqual(ready.nodes.map((n) => n.nodeId).sort());
    const pids = [ready.rmPid, ...ready.nodes.map((n) => n.pid)];
    expect(pids.every(isAlive)).toBe(true);

    process.kill(cli.pid, 'SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    for (const url of [ready.url, ...ready.nodes.map((n) => n.url)]) expect(await portOpen(url), url).toBe(false);
  });

  it('stops the rest and exits non-zero when a daemon dies', async () => {
    const { cli, ready } = await startCluster();
    process.kill(ready.nodes[0]!.pid, 'SIGKILL');
    const exit = await cli.exited;
    expect(exit.code).toBe(1);
    expect(cli.stderr()).toMatch(/NodeManager 0 exited unexpectedly \(signal SIGKILL\); stopping the cluster/);
    await waitFor(() => [ready.rmPid, ready.nodes[1]!.pid].every((pid) => !isAlive(pid)), { timeoutMs: 15_000, description: 'RM and the other NM to exit' });
    expect(await portOpen(ready.url)).toBe(false);
  });
});
