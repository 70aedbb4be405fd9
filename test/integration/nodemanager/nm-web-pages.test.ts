import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appId, containerId, startNm, waitFor, type NmHarness } from './nm-fixture.ts';

/**
 * What a browser gets from the links YARN hands out for a container (`amContainerLogs`, the
 * NM's web address): HTML pages on a real NM, before and after the app's logs were aggregated.
 */
let h: NmHarness;
let remote: string;
const cid = containerId(2);
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

const get = async (path: string): Promise<{ status: number; type: string; text: string; location: string | null }> => {
  const res = await fetch(`${h.nm.url}${path}`, { headers: BROWSER, redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text(), location: res.headers.get('location') };
};

beforeAll(async () => {
  remote = mkdtempSync(join(tmpdir(), 'weft-app-logs-'));
  h = await startNm({ 'yarn.log-aggregation-enable': 'true', 'yarn.nodemanager.remote-app-log-dir': remote });
  // 5000 bytes of a's then a marker: longer than the 4 KB a log page shows by default.
  await h.start(cid, [`printf 'first-line\\n'; head -c 5000 /dev/zero | tr '\\0' a; printf '\\nlast-line <b>not bold</b>\\n'; echo oops >&2; echo log > <LOG_DIR>/taskmanager.log`]);
  await waitFor('container done', () => h.rm.lastStatus(cid)?.state === 'COMPLETE');
});

afterAll(async () => {
  await h?.cleanup().catch(() => {});
  rmSync(remote, { recursive: true, force: true });
});

describe('NodeManager web pages', () => {
  it('sends / to the node page, an HTML summary of the node', async () => {
    const root = await get('/');
    expect(root.status).toBe(302);
    expect(root.location).toBe('/node');
    const node = await get('/node');
    expect(node.status).toBe(200);
    expect(node.type).toMatch(/^text\/html/);
    expect(node.text).toContain(`NodeManager ${h.nm.nodeId}`);
    expect(node.text).toContain('4096 MB');
    // The REST API stays JSON.
    const rest = await fetch(`${h.nm.url}/ws/v1/node`, { headers: BROWSER });
    expect(rest.headers.get('content-type')).toMatch(/json/);
  });

  it('lists every log file of a container at amContainerLogs, and shows the tail of one with a link to all of it, escaped', async () => {
    const list = await get(`/node/containerlogs/${cid}/alice`);
    expect(list.status).toBe(200);
    expect(list.type).toMatch(/^text\/html/);
    for (const f of ['stderr', 'stdout', 'taskmanager.log']) expect(list.text).toContain(`/node/containerlogs/${cid}/alice/${f}"`);

    const tail = await get(`/node/containerlogs/${cid}/alice/stdout`);
    expect(tail.status).toBe(200);
    expect(tail.text).toContain('last-line &#60;b&#62;not bold&#60;/b&#62;');
    expect(tail.text).not.toContain('<b>not bold</b>');
    expect(tail.text).not.toContain('first-line');
    expect(tail.text).toMatch(/Showing the last 4096 of \d+ bytes/);
    const whole = await get(`/node/containerlogs/${cid}/alice/stdout?start=0`);
    expect(whole.text).toContain('first-line');

    expect((await get(`/node/containerlogs/${cid}/alice/nope`)).status).toBe(404);
    const unknown = await get(`/node/containerlogs/${containerId(9)}/alice`);
    expect(unknown.status).toBe(404);
    expect(unknown.type).toMatch(/^text\/html/);
    expect(unknown.text).toContain('has no logs of container');
  });

  it('keeps the same links working from the aggregated copy once the app has finished', async () => {
    h.rm.nextHeartbeat({ applicationsToCleanup: [appId()] });
    await waitFor('local logs gone after aggregation', () => !existsSync(join(h.dir, 'logs', appId())));
    const list = await get(`/node/containerlogs/${cid}/alice`);
    expect(list.status).toBe(200);
    expect(list.text).toContain('Aggregated copy');
    expect(list.text).toContain(`/node/containerlogs/${cid}/alice/taskmanager.log"`);
    const err = await get(`/node/containerlogs/${cid}/alice/stderr`);
    expect(err.text).toContain('oops');
  });
});
