import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portOpen } from '../../fixtures/port-open.ts';
import { isAlive, ProcessRegistry } from '../../fixtures/processes.ts';
import { rmRest } from '../../fixtures/rm-rest.ts';
import type { ApplicationClientProtocol } from '../../../rm/protocol/client-rm.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { startWeftCluster, type WeftCluster } from '../../fixtures/weft-cluster.ts';
import { runWeft } from '../../fixtures/weft-cli.ts';
import { FLINK_FLAGS } from './flink-e2e.ts';

/**
 * A finished Flink job on the cluster `weft cluster start` gives a new user: the JobManager
 * archives it and its YARN application names the history server, which serves it; the RM's
 * proxy of the finished app redirects there; the NMs aggregate every container's logs, and
 * `weft logs` prints them all after the app is gone, print() output in taskmanager.out apart
 * from the log in taskmanager.log.
 */
const registry = new ProcessRegistry();
let cluster: WeftCluster;
let rm: ApplicationClientProtocol;
let appId = '';
let jobId = '';

const weft = (args: string[], timeoutMs = 110_000) => runWeft(args, { rmUrl: cluster.ready.url, registry, timeoutMs });

beforeAll(async () => {
  cluster = await startWeftCluster(registry, { nodes: 1, nodeMemoryMb: 4096 });
  rm = rmRest(cluster.ready.url);
  // A per-job run of a job that print()s: 40 records, then the cluster ends.
  const res = await weft(['--json', 'run', '--target', 'per-job', ...FLINK_FLAGS, 'test/e2e/flink/jobs/slow-count.ts', '--', '--name', 'Printed counts', '--events', '40', '--rate', '200']);
  expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
  ({ applicationId: appId, jobId } = JSON.parse(res.stdout) as { applicationId: string; jobId: string });
});

afterAll(async () => {
  const dir = cluster?.dir;
  await cluster?.stop();
  await registry.cleanup();
  await registry.assertNoneLeft(dir ? [dir] : []);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a finished per-job job on weft cluster start', () => {
  it('is archived in Flink format and served by the history server the cluster started', async () => {
    const archiveDir = cluster.ready.historyServer.archiveDir;
    expect(readdirSync(archiveDir)).toContain(jobId);
    const hs = cluster.ready.historyServer.url;
    const overview = await waitFor(
      async () => {
        const body = (await (await fetch(`${hs}/jobs/overview`)).json()) as { jobs: { jid: string; name: string; state: string }[] };
        return body.jobs.find((j) => j.jid === jobId);
      },
      { timeoutMs: 15_000, description: 'the job in the history server' },
    );
    expect(overview).toMatchObject({ name: 'Printed counts', state: 'FINISHED' });
    const details = (await (await fetch(`${hs}/jobs/${jobId}`)).json()) as { state: string; vertices: { id: string }[] };
    expect(details.state).toBe('FINISHED');
    const vertex = await fetch(`${hs}/jobs/${jobId}/vertices/${details.vertices[0]!.id}`);
    expect(vertex.status).toBe(200);
    const config = (await (await fetch(`${hs}/config`)).json()) as { features: { 'web-history': boolean } };
    expect(config.features['web-history']).toBe(true);
    expect(await (await fetch(`${hs}/`)).text()).toContain('flink/main.js');
  });

  it("redirects the RM's proxy of the finished app to the history server", async () => {
    const { app } = await rm.app({ params: { appid: appId }, body: undefined });
    expect(app).toMatchObject({ state: 'FINISHED', finalStatus: 'SUCCEEDED', trackingUI: 'History' });
    const res = await fetch(app.trackingUrl!, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${cluster.ready.historyServer.url}/`);
    const followed = await fetch(`${cluster.ready.url}/proxy/${appId}/jobs/${jobId}`);
    expect(((await followed.json()) as { jid: string }).jid).toBe(jobId);
  });

  it('aggregates every container log; weft logs prints them all, print() output apart from the log', async () => {
    await waitFor(async () => (await rm.app({ params: { appid: appId }, body: undefined })).app.logAggregationStatus === 'SUCCEEDED', {
      timeoutMs: 20_000,
      description: 'logAggregationStatus SUCCEEDED',
    });
    const [user] = readdirSync(join(cluster.dir, 'app-logs'));
    expect(readdirSync(join(cluster.dir, 'app-logs', user!, 'logs', appId))).toEqual([cluster.ready.nodes[0]!.nodeId.replace(':', '_')]);
    // The NM no longer has its own copy.
    await waitFor(() => !existsSync(join(cluster.dir, 'nm-0', 'logs', appId)), { timeoutMs: 10_000, description: 'local logs removed after aggregation' });

    const res = await weft(['logs', appId]);
    expect(res.code, res.stderr).toBe(0);
    const sections = res.stdout.split(/^Container: /m).slice(1);
    expect(sections).toHaveLength(2);
    expect(sections.every((s) => s.includes('LogAggregationType: AGGREGATED'))).toBe(true);
    const jm = sections.find((s) => s.includes('LogType:jobmanager.log'))!;
    const tm = sections.find((s) => s.includes('LogType:taskmanager.log'))!;
    for (const f of ['jobmanager.log', 'jobmanager.out', 'jobmanager.err', 'stdout', 'stderr']) expect(jm).toContain(`LogType:${f}\n`);
    for (const f of ['taskmanager.log', 'taskmanager.out', 'taskmanager.err']) expect(tm).toContain(`LogType:${f}\n`);
    const tmOut = /LogType:taskmanager\.out\nLogLength:\d+\nLogContents:\n([\s\S]*?)End of LogType:taskmanager\.out/.exec(tm)![1]!;
    expect(tmOut).toMatch(/k0/);
    expect(tmOut).not.toContain('"level"');
    const tmLog = /LogType:taskmanager\.log\nLogLength:\d+\nLogContents:\n([\s\S]*?)End of LogType:taskmanager\.log/.exec(tm)![1]!;
    expect(tmLog).toContain('"process":"taskmanager"');

    const one = await weft(['logs', '-applicationId', appId, '-containerId', `container_${appId.slice('application_'.length)}_01_000001`, '-log_files', 'jobmanager.log']);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout.match(/^LogType:/gm)).toHaveLength(1);
    expect(one.stdout).toContain('"process":"jobmanager"');
  });

  it('stops the history server with the cluster, leaving no port open', async () => {
    const { historyServer, url } = cluster.ready;
    expect(await cluster.stop()).toBe(0);
    expect(isAlive(historyServer.pid)).toBe(false);
    for (const u of [url, historyServer.url]) expect(await portOpen(u), u).toBe(false);
  });
});
