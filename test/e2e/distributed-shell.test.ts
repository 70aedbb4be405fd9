import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WeftError } from '../../rm/common/errors.ts';
import { httpContainerManagementProtocol } from '../../rm/protocol/nm-container.ts';
import { signToken } from '../../rm/protocol/tokens.ts';
import { startMiniCluster, type MiniCluster } from '../fixtures/mini-cluster.ts';
import { listProcesses, ProcessRegistry, type ProcInfo } from '../fixtures/processes.ts';
import { appContainers, appState, rmRest } from '../fixtures/rm-rest.ts';
import type { ApplicationClientProtocol } from '../../rm/protocol/client-rm.ts';
import { waitFor } from '../fixtures/wait.ts';
import { runWeft } from '../fixtures/weft-cli.ts';

const registry = new ProcessRegistry();
let cluster: MiniCluster;
let rm: ApplicationClientProtocol;

const weft = (...args: string[]) => runWeft(args, { rmUrl: cluster.rmUrl, registry });
/** Container processes: everything running with a work dir inside the cluster's temp dir. */
const containerProcesses = (appId?: string): ProcInfo[] =>
  listProcesses().filter((p) => p.cwd.startsWith(`${cluster.dir}/`) && (appId === undefined || p.cwd.includes(appId)));

function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    // node:http sends the path verbatim; fetch/URL would normalise `..` away before it left.
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A port nothing listens on: bound once by us, then closed. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const appIdOf = (stdout: string): string => {
  const m = /application_\d+_\d+/.exec(stdout);
  if (!m) throw new Error(`no application id in:\n${stdout}`);
  return m[0];
};

beforeAll(async () => {
  cluster = await startMiniCluster({ registry, nodes: 2, nodeMemoryMb: 4096 });
  rm = rmRest(cluster.rmUrl);
});

afterEach(async () => {
  // No container process of the test may outlive it (the daemons stay for the next test).
  await waitFor(() => containerProcesses().length === 0, { timeoutMs: 15_000, description: 'container processes to exit' }).catch(() => {
    throw new Error(`container processes left:\n${containerProcesses().map((p) => `  ${p.pid}: ${p.cmdline} (${p.cwd})`).join('\n')}`);
  });
});

afterAll(async () => {
  const dir = cluster?.dir;
  await cluster?.stop();
  await registry.cleanup();
  await registry.assertNoneLeft(dir ? [dir] : []);
});

describe('weft dshell on a real cluster', () => {
  let succeededApp: string;

  it('runs a command in 3 containers; each stdout is readable through weft logs and NM REST', async () => {
    const result = await weft('dshell', '--num-containers', '3', '--container-memory', '128', '--', 'echo "hello from $CONTAINER_ID"');
    expect(result.stderr).not.toMatch(/weft: /);
    expect(result.stdout).toMatch(/final status SUCCEEDED/);
    expect(result.code).toBe(0);
    succeededApp = appIdOf(result.stdout);

    const containers = (await appContainers(rm, succeededApp)).filter((c) => !c.containerId.endsWith('_000001'));
    expect(containers).toHaveLength(3);
    expect(containers.every((c) => c.containerExitStatus === 0)).toBe(true);

    const logs = await weft('logs', succeededApp);
    expect(logs.code).toBe(0);
    for (const c of containers) {
      expect(logs.stdout).toContain(`Container: ${c.containerId} on ${c.nodeId}`);
      expect(logs.stdout).toContain(`hello from ${c.containerId}`);
      const res = await fetch(`http://${c.nodeHttpAddress.replace(/^https?:\/\//, '')}/ws/v1/node/containerlogs/${c.containerId}/stdout`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(`hello from ${c.containerId}\n`);
    }
    expect(logs.stdout).toMatch(/LogType:stdout\nLogLength:\d+\nLogContents:\nhello from container_/);
    expect(logs.stdout).toContain('End of LogType:stdout');

    const one = await weft('logs', succeededApp, '--container', containers[0]!.containerId);
    expect(one.stdout.match(/^Container: /gm)).toHaveLength(1);

    const list = await weft('app', 'list', '--states', 'FINISHED');
    expect(list.stdout).toMatch(/^Total number of applications \(application-types: \[\], states: \[FINISHED\] and tags: \[\]\):\d+$/m);
    expect(list.stdout).toMatch(new RegExp(`${succeededApp}\\t\\s+DistributedShell\\t\\s+YARN\\t.*\\t\\s*FINISHED\\t\\s*SUCCEEDED\\t\\s*100%\\t`));
  });

  it('refuses log file names that try to leave the container log dir', async () => {
    const [c] = (await appContainers(rm, succeededApp)).filter((x) => !x.containerId.endsWith('_000001'));
    const base = `http://${c!.nodeHttpAddress.replace(/^https?:\/\//, '')}`;
    const prefix = `/ws/v1/node/containerlogs/${c!.containerId}/`;
    for (const attempt of ['../../../../../../etc/passwd', '..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd', '%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%2Fetc%2Fpasswd', '/etc/passwd', '..', '%2e%2e']) {
      const res = await rawGet(base, prefix + attempt);
      expect([400, 403, 404], `${attempt} -> ${res.status}`).toContain(res.status);
      expect(res.body).not.toMatch(/root:.*:0:0:/);
    }
  });

  it('fails the app with the exit code in the diagnostics when the command fails', async () => {
    const result = await weft('dshell', '--num-containers', '2', '--container-memory', '128', '--', 'echo about to fail; exit 3');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/finished with state FINISHED and final status FAILED/);
    expect(result.stdout).toMatch(/Diagnostics: 2 of 2 containers failed; container_\d+_\d+_\d+_\d+ exited with code 3/);
    const app = await appState(rm, appIdOf(result.stdout));
    expect(app.finalStatus).toBe('FAILED');
    expect(app.diagnostics).toMatch(/exited with code 3/);
  });

  it('weft app kill ends a sleeping app and its processes are gone', async () => {
    const submitted = await weft('dshell', '--detached', '--num-containers', '2', '--container-memory', '128', '--', 'sleep 300');
    expect(submitted.code).toBe(0);
    const appId = submitted.stdout.trim();
    expect(appId).toMatch(/^application_\d+_\d+$/);
    const sleepers = await waitFor(
      () => {
        const ps = containerProcesses(appId).filter((p) => p.cmdline === 'sleep 300');
        return ps.length === 2 ? ps : undefined;
      },
      { timeoutMs: 30_000, description: 'two sleep processes in containers' },
    );
    const groups = new Set([...containerProcesses(appId)].map((p) => p.pgid));

    const killed = await weft('app', 'kill', appId);
    expect(killed.stdout).toBe(`Killing application ${appId}\n`);
    expect(killed.code).toBe(0);
    expect((await appState(rm, appId)).state).toBe('KILLED');
    await waitFor(() => listProcesses().every((p) => !sleepers.some((s) => s.pid === p.pid) && !groups.has(p.pgid)), {
      timeoutMs: 15_000,
      description: 'the killed app’s process groups to be gone',
    });

    const again = await weft('app', 'kill', appId);
    expect(again.stdout).toBe(`Application ${appId} has already finished \n`);
  });

  it('kills a container that goes past its memory with exit status -104', async () => {
    const hog = `"\${WEFT_NODE:-node}" -e 'const a=[];for(let i=0;i<40;i++)a.push(Buffer.alloc(10<<20,1));setTimeout(()=>{},120000)'`;
    const result = await weft('dshell', '--num-containers', '1', '--container-memory', '128', '--', hog);
    expect(result.code).toBe(1);
    const appId = appIdOf(result.stdout);
    expect(result.stdout).toMatch(/exited with code -104/);
    const workers = (await appContainers(rm, appId)).filter((c) => !c.containerId.endsWith('_000001'));
    expect(workers.map((c) => c.containerExitStatus)).toContain(-104);
    expect(workers.find((c) => c.containerExitStatus === -104)?.diagnosticsInfo).toMatch(/beyond (the 'PHYSICAL' memory limit|physical memory limits)/);
  });

  it('refuses to start a container with a forged or missing container token', async () => {
    const node = cluster.nodes[0]!;
    const nm = httpContainerManagementProtocol(node.nodeId, { retries: 0 });
    const marker = join(tmpdir(), `weft-forged-${randomBytes(4).toString('hex')}`);
    const containerId = 'container_1700000000000_0999_01_000002';
    const forgedIdentifier = {
      containerId,
      nodeId: node.nodeId,
      appSubmitter: 'mallory',
      resource: { memory: 128, vCores: 1 },
      expiryTimeStamp: Date.now() + 600_000,
      masterKeyId: 1,
      rmIdentifier: 1,
      priority: 0,
      creationTime: Date.now(),
    };
    for (const token of ['', 'not-a-token', signToken(forgedIdentifier, randomBytes(32))]) {
      let refused = false;
      try {
        const res = await nm.startContainers({
          params: undefined,
          body: { startContainerRequest: [{ containerToken: token, containerLaunchContext: { commands: [`touch ${marker}`], environment: {}, localResources: {}, applicationACLs: {} } }] },
        });
        refused = res.succeededRequests.length === 0 && res.failedRequests.length === 1;
      } catch (err) {
        refused = err instanceof WeftError && err.status >= 400 && err.status < 500;
      }
      expect(refused, `token ${JSON.stringify(token.slice(0, 20))}`).toBe(true);
    }
    const status = await fetch(`${node.url}/ws/v1/node/containers/${containerId}`);
    expect(status.status).toBe(404);
    expect(existsSync(marker)).toBe(false);
  });

  it('answers an unknown app id and an unreachable RM with one clear line', async () => {
    const unknown = await weft('app', 'status', 'application_1_9999');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toMatch(/^weft: .*application_1_9999.*not found/);
    const port = await closedPort();
    const down = await runWeft(['app', 'list'], { rmUrl: `http://127.0.0.1:${port}`, registry });
    expect(down.code).toBe(1);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(down.stderr).toMatch(/cannot reach the ResourceManager at http:\/\/127\.0\.0\.1:\d+: connection refused — is the cluster running\?/);
    const nodes = await weft('node', 'list');
    expect(nodes.stdout).toMatch(/^Total Nodes:2\n\s+Node-Id\t\s+Node-State\tNode-Http-Address\tNumber-of-Running-Containers\n/);
    // host:port, as yarn.resourcemanager.webapp.address is written, means http://host:port
    const bare = await runWeft(['node', 'list'], { rmUrl: cluster.rmUrl.replace(/^http:\/\//, ''), registry });
    expect(bare.stderr).toBe('');
    expect(bare.stdout).toBe(nodes.stdout);
    const bad = await runWeft(['node', 'list'], { rmUrl: 'ftp://rm:21', registry });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("weft: --rm 'ftp://rm:21': the ResourceManager speaks http or https, not ftp (e.g. http://localhost:8088)\n");
  });

  it('prints a queue report and names an unknown queue', async () => {
    const q = await weft('queue', 'status', 'default');
    expect(q.stderr).toBe('');
    expect(q.stdout).toMatch(/^Queue Information : \nQueue Name : default\n\tState : RUNNING\n\tCapacity : 100\.00%\n\tCurrent Capacity : \d*\.\d\d%\n\tMaximum Capacity : 100\.00%\n/);
    expect(q.stdout).toMatch(/\tMax Application Master Resources : <memory:\d+, vCores:\d+>\n\tUsed Application Master Resources : <memory:\d+, vCores:\d+>\n/);
    const all = await weft('queue', 'status');
    expect(all.code).toBe(0);
    expect([...all.stdout.matchAll(/^Queue Name : (\S+)$/gm)].map((m) => m[1])).toEqual(['root', 'default']);
    const missing = await weft('queue', 'status', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('weft: Cannot get queue from RM by queueName = nope, please check.\n');
  });
});
