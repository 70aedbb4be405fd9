import { request as httpRequest } from 'node:http';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appId, containerId, startNm, waitFor, type NmHarness } from './nm-fixture.ts';

/** A raw GET that sends the path exactly as written (fetch and curl would normalise `..`). */
function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; type: string; allowOrigin: string | undefined }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          type: String(res.headers['content-type'] ?? ''),
          allowOrigin: res.headers['access-control-allow-origin'],
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

let h: NmHarness;
const done = containerId(2);
const running = containerId(3);

beforeAll(async () => {
  h = await startNm({}, 3072);
  await h.start(done, ['echo finished-output; exit 0']);
  await h.start(running, ['echo running-output; sleep 30']);
  await waitFor('first container done', () => h.rm.lastStatus(done)?.state === 'COMPLETE');
  await waitFor('second container output', async () => (await rawGet(h.nm.url, `/ws/v1/node/containerlogs/${running}/stdout`)).body.includes('running-output'));
  // A file next to the logs root that no request may ever read.
  writeFileSync(join(h.dir, 'secret.txt'), 'TOP-SECRET');
});
afterAll(async () => {
  await h.cleanup();
});

describe('NM REST /ws/v1/node', () => {
  it("lets the RM's web UI (and only that origin) read container logs across origins", async () => {
    const rmOrigin = new URL(h.rmUrl).origin;
    const fromRm = await rawGet(h.nm.url, `/ws/v1/node/containerlogs/${done}/stdout`, { origin: rmOrigin });
    expect(fromRm.body).toContain('finished-output');
    expect(fromRm.allowOrigin).toBe(rmOrigin);
    const fromElsewhere = await rawGet(h.nm.url, `/ws/v1/node/containerlogs/${done}/stdout`, { origin: 'http://evil.example' });
    expect(fromElsewhere.allowOrigin).toBeUndefined();
  });

  it('serves nodeInfo with YARN field names', async () => {
    for (const path of ['/ws/v1/node', '/ws/v1/node/info']) {
      const res = await rawGet(h.nm.url, path);
      expect(res.status).toBe(200);
      const { nodeInfo } = JSON.parse(res.body) as { nodeInfo: Record<string, unknown> };
      expect(nodeInfo).toMatchObject({
        id: h.nm.nodeId,
        nodeHostName: '127.0.0.1',
        totalPmemAllocatedContainersMB: 3072,
        totalVmemAllocatedContainersMB: Math.round(3072 * 2.1),
        totalVCoresAllocatedContainers: 8,
        pmemCheckEnabled: true,
        vmemCheckEnabled: false,
        nodeHealthy: true,
        healthReport: '',
      });
      for (const k of ['lastNodeUpdateTime', 'nmStartupTime', 'nodeManagerVersion', 'hadoopVersion', 'nodeManagerBuildVersion', 'nodeManagerVersionBuiltOn', 'hadoopBuildVersion', 'hadoopVersionBuiltOn']) {
        expect(nodeInfo).toHaveProperty(k);
      }
    }
  });

  it('lists apps and containers, filters apps by state and user, and 404s unknown ones', async () => {
    const apps = JSON.parse((await rawGet(h.nm.url, '/ws/v1/node/apps')).body) as { apps: { app: unknown[] } };
    expect(apps.apps.app).toEqual([{ id: appId(), user: 'alice', state: 'RUNNING', containerids: [done, running] }]);
    expect(JSON.parse((await rawGet(h.nm.url, '/ws/v1/node/apps?state=FINISHED')).body)).toEqual({ apps: null });
    expect(JSON.parse((await rawGet(h.nm.url, '/ws/v1/node/apps?user=bob')).body)).toEqual({ apps: null });
    expect(JSON.parse((await rawGet(h.nm.url, `/ws/v1/node/apps/${appId()}`)).body)).toMatchObject({ app: { id: appId() } });
    const missing = await rawGet(h.nm.url, `/ws/v1/node/apps/${appId(9)}`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ RemoteException: { exception: 'NotFoundException' } });

    const { containers } = JSON.parse((await rawGet(h.nm.url, '/ws/v1/node/containers')).body) as { containers: { container: { id: string }[] } };
    expect(containers.container.map((c) => c.id)).toEqual([done, running]);
    const one = JSON.parse((await rawGet(h.nm.url, `/ws/v1/node/containers/${done}`)).body) as { container: Record<string, unknown> };
    expect(one.container).toMatchObject({
      id: done,
      state: 'DONE',
      exitCode: 0,
      user: 'alice',
      totalMemoryNeededMB: 256,
      totalVCoresNeeded: 1,
      nodeId: h.nm.nodeId,
      executionType: 'GUARANTEED',
      containerLogsLink: `http://${h.nm.nodeId}/node/containerlogs/${done}/alice`,
      containerLogFiles: ['stderr', 'stdout'],
    });
    expect(JSON.parse((await rawGet(h.nm.url, `/ws/v1/node/containers/${running}`)).body)).toMatchObject({ container: { state: 'RUNNING', exitCode: -1000 } });
    expect((await rawGet(h.nm.url, '/ws/v1/node/containers/not_a_container')).status).toBe(400);
  });

  it('serves container logs as text/plain, with size, and keeps serving them after the RM let the NM forget the container', async () => {
    const res = await rawGet(h.nm.url, `/ws/v1/node/containerlogs/${done}/stdout`);
    expect(res).toMatchObject({ status: 200, body: 'finished-output\n' });
    expect(res.type).toMatch(/^text\/plain/);
    expect((await rawGet(h.nm.url, `/ws/v1/node/containerlogs/${done}/stdout?size=5`)).body).toBe('finis');
    expect((await rawGet(h.nm.url, `/ws/v1/node/containers/${done}/logs/stdout`)).body).toBe('finished-output\n');
    expect((await rawGet(h.nm.url, `/ws/v1/node/containerlogs/${done}/stdout?size=-7`)).body).toBe('output\n');
    const list = JSON.parse((await rawGet(h.nm.url, `/ws/v1/node/containers/${done}/logs`)).body) as { containerLogsInfo: { containerLogInfo: { fileName: string }[] } };
    expect(list.containerLogsInfo.containerLogInfo.map((f) => f.fileName)).toEqual(['stderr', 'stdout']);

    h.rm.nextHeartbeat({ containersToBeRemovedFromNm: [done] });
    await waitFor('forgotten', () => !h.nm.context.containers.has(done));
    expect((await rawGet(h.nm.url, `/ws/v1/node/containerlogs/${done}/stdout`)).body).toBe('finished-output\n');
    expect((await rawGet(h.nm.url, `/ws/v1/node/containerlogs/${done}/nope`)).status).toBe(404);
  });

  it('refuses every log path that tries to leave the container log dir, and never reads outside it', async () => {
    const logDir = join(h.dir, 'logs', appId(), running);
    // A container can plant symlinks in its own log dir; they must not be followed.
    symlinkSync(join(h.dir, 'secret.txt'), join(logDir, 'link-to-secret'));
    symlinkSync('/etc/passwd', join(logDir, 'passwd'));
    // A fake container log dir that is itself a symlink out of the logs root.
    const fakeApp = join(h.dir, 'logs', appId(7));
    mkdirSync(fakeApp, { recursive: true });
    symlinkSync(h.dir, join(fakeApp, containerId(1, 7)));
    const base = `/ws/v1/node/containerlogs/${running}`;
    const attempts = [
      `${base}/..`,
      `${base}/%2e%2e`,
      `${base}/%2E%2E%2f%2E%2E%2fsecret.txt`,
      `${base}/..%2f..%2f..%2fsecret.txt`,
      `${base}/..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd`,
      `${base}/%2fetc%2fpasswd`,
      `${base}/..%5c..%5csecret.txt`,
      `${base}/stdout%00.txt`,
      `${base}/%252e%252e%252fsecret.txt`,
      `${base}/link-to-secret`,
      `${base}/passwd`,
      `${base}/%`,
      `/ws/v1/node/containerlogs/..%2f..%2fsecret.txt/stdout`,
      `/ws/v1/node/containerlogs/${containerId(1, 7)}/secret.txt`,
      `/ws/v1/node/containerlogs/${running}/../../../secret.txt`,
      `/ws/v1/node/containerlogs/${running}/./../${running}/../../secret.txt`,
      `/ws/v1/node/containers/${running}/logs/..%2f..%2f..%2fsecret.txt`,
      `/ws/v1/node/containers/${running}/logs/link-to-secret`,
    ];
    for (const path of attempts) {
      const res = await rawGet(h.nm.url, path);
      expect([400, 404], `${path} -> ${res.status}`).toContain(res.status);
      expect(res.body, path).not.toContain('TOP-SECRET');
      expect(res.body, path).not.toContain('root:');
    }
  });
});
