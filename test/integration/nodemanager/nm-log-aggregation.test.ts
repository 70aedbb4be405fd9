import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogAggregationReport } from '../../../rm/protocol/resource-tracker.ts';
import { appId, containerId, startNm, waitFor, type NmHarness } from './nm-fixture.ts';

/**
 * Log aggregation on a real NM with real containers: when the RM says an app finished, its
 * containers' logs move to `<remote-app-log-dir>/<user>/logs/<appId>/<host_port>/<containerId>/`,
 * the RM hears SUCCEEDED once, and the NM's log web services keep serving them from there.
 */
let h: NmHarness;
let remote: string;
const cid = containerId(2);
const longRunning = containerId(1, 2);

const json = async <T>(path: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${h.nm.url}${path}`);
  return { status: res.status, body: (await res.json()) as T };
};
const reportsSent = (): LogAggregationReport[] => h.rm.heartbeats.flatMap((b) => b.logAggregationReportsForApps);

beforeAll(async () => {
  remote = mkdtempSync(join(tmpdir(), 'weft-app-logs-'));
  h = await startNm({ 'yarn.log-aggregation-enable': 'true', 'yarn.nodemanager.remote-app-log-dir': remote });
  await h.start(cid, ['echo to-stdout; echo to-stderr >&2; echo log-line > <LOG_DIR>/taskmanager.log; exit 0']);
  await waitFor('container done', () => h.rm.lastStatus(cid)?.state === 'COMPLETE');
});

afterAll(async () => {
  await h?.cleanup().catch(() => {});
  rmSync(remote, { recursive: true, force: true });
});

describe('NM log aggregation', () => {
  it('lists a running app container as LOCAL only, nothing aggregated before the app ends', async () => {
    const { body } = await json<{ containerLogsInfo: { logAggregationType: string; containerLogInfo: { fileName: string }[] } }>(`/ws/v1/node/containers/${cid}/logs`);
    expect(body.containerLogsInfo.logAggregationType).toBe('LOCAL');
    expect(body.containerLogsInfo.containerLogInfo.map((f) => f.fileName)).toEqual(['stderr', 'stdout', 'taskmanager.log']);
    expect(existsSync(join(remote, 'alice'))).toBe(false);
    expect(reportsSent()).toEqual([]);
  });

  it('moves the logs to <dir>/<user>/logs/<appId>/<host_port> when the app finished, reports SUCCEEDED once, and serves them from there', async () => {
    h.rm.nextHeartbeat({ applicationsToCleanup: [appId()] });
    const nodeDir = join(remote, 'alice', 'logs', appId(), h.nm.nodeId.replace(':', '_'));
    await waitFor('aggregated logs', () => existsSync(join(nodeDir, cid, 'taskmanager.log')));
    expect(readdirSync(join(nodeDir, cid)).sort()).toEqual(['stderr', 'stdout', 'taskmanager.log']);
    expect(readFileSync(join(nodeDir, cid, 'stdout'), 'utf8')).toBe('to-stdout\n');
    // No half-written copy is left, and the local copy is gone (debug-delay-sec 0).
    expect(readdirSync(join(remote, 'alice', 'logs', appId()))).toEqual([h.nm.nodeId.replace(':', '_')]);
    await waitFor('local logs deleted', () => !existsSync(join(h.dir, 'logs', appId())));

    await waitFor('report sent', () => reportsSent().length > 0);
    const heartbeatsNow = h.rm.heartbeats.length;
    await waitFor('two more heartbeats', () => h.rm.heartbeats.length >= heartbeatsNow + 2);
    expect(reportsSent()).toEqual([{ applicationId: appId(), logAggregationStatus: 'SUCCEEDED', diagnosticMessage: '' }]);

    const list = await json<{ containerLogsInfo: { logAggregationType: string; nodeId: string; containerLogInfo: { fileName: string; fileSize: string }[] } }>(`/ws/v1/node/containers/${cid}/logs`);
    expect(list.body.containerLogsInfo).toMatchObject({ logAggregationType: 'AGGREGATED', nodeId: h.nm.nodeId, containerId: cid });
    expect(list.body.containerLogsInfo.containerLogInfo.map((f) => [f.fileName, f.fileSize])).toEqual([
      ['stderr', '10'],
      ['stdout', '10'],
      ['taskmanager.log', '9'],
    ]);
    const text = await fetch(`${h.nm.url}/ws/v1/node/containerlogs/${cid}/stderr`);
    expect(text.status).toBe(200);
    expect(await text.text()).toBe('to-stderr\n');
    expect((await json<{ container: { containerLogFiles: string[] } }>(`/ws/v1/node/containers/${cid}`)).body.container.containerLogFiles).toEqual(['stderr', 'stdout', 'taskmanager.log']);
    expect((await fetch(`${h.nm.url}/ws/v1/node/containerlogs/${cid}/nope`)).status).toBe(404);
  });

  it('aggregates what still runs when the NM stops, as YARN does on shutdown', async () => {
    await h.start(longRunning, ['echo still-running; sleep 60']);
    const local = join(h.dir, 'logs', appId(2), longRunning, 'stdout');
    await waitFor('output', () => existsSync(local) && readFileSync(local, 'utf8').includes('still-running'));
    await h.nm.stop();
    const aggregated = join(remote, 'alice', 'logs', appId(2), h.nm.nodeId.replace(':', '_'), longRunning, 'stdout');
    expect(readFileSync(aggregated, 'utf8')).toBe('still-running\n');
  });
});
