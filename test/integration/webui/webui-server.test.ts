import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ManualClock } from '../../../rm/common/clock.ts';
import type { HubMessage } from '../../../webui/hub-messages.ts';
import { UiRm } from './ui-rm.ts';

let ui: UiRm | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await ui?.stop();
  ui = undefined;
});

/** A ws client that records every message it receives. */
async function connect(url: string): Promise<{ ws: WebSocket; messages: HubMessage[]; next: (pred: (m: HubMessage) => boolean) => Promise<HubMessage> }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/v1/events`);
  sockets.push(ws);
  const messages: HubMessage[] = [];
  const waiters: { pred: (m: HubMessage) => boolean; resolve: (m: HubMessage) => void }[] = [];
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString('utf8')) as HubMessage;
    messages.push(m);
    for (const w of waiters.splice(0)) {
      if (w.pred(m)) w.resolve(m);
      else waiters.push(w);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = (pred: (m: HubMessage) => boolean): Promise<HubMessage> => {
    const seen = messages.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ pred, resolve }));
  };
  return { ws, messages, next };
}

/** A raw GET that sends the path exactly as written (no client-side `..` normalisation). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const waitFor = async (cond: () => boolean, ms = 2000): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('web UI static files', () => {
  it('serves index.html at / and the client modules, with a restrictive content policy', async () => {
    ui = await UiRm.start();
    const index = await rawGet(ui.url, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<div id="app">');
    expect(index.body).toContain('/js/main.js');
    const res = await fetch(`${ui.url}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const js = await fetch(`${ui.url}/js/main.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${ui.url}/style.css`)).status).toBe(200);
  });

  it('answers 404 for unknown static paths and leaves the REST API alone', async () => {
    ui = await UiRm.start();
    const missing = await rawGet(ui.url, '/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('RemoteException');
    const metrics = await fetch(`${ui.url}/ws/v1/cluster/metrics`);
    expect(metrics.status).toBe(200);
    expect(((await metrics.json()) as { clusterMetrics: object }).clusterMetrics).toBeDefined();
  });

  it("sends YARN's RM UI paths (as in YARN's diagnostics texts) to the page that shows the same", async () => {
    ui = await UiRm.start();
    const location = async (path: string): Promise<string | null> => {
      const res = await fetch(`${ui!.url}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(302);
      return res.headers.get('location');
    };
    expect(await location('/cluster/app/application_1795663685853_0001')).toBe('/#/apps/application_1795663685853_0001');
    expect(await location('/cluster/appattempt/appattempt_1795663685853_0001_000001')).toBe('/#/apps/application_1795663685853_0001');
    expect(await location('/cluster/apps/RUNNING')).toBe('/#/apps?state=RUNNING');
    expect(await location('/cluster/scheduler')).toBe('/#/queues');
    expect(await location('/cluster/nodes')).toBe('/#/nodes');
    expect(await location('/cluster')).toBe('/#/');
    expect((await rawGet(ui.url, '/cluster/app/not-an-app')).status).toBe(404);
  });

  it('refuses path traversal out of webui/public, encoded or not', async () => {
    ui = await UiRm.start();
    for (const path of ['/../package.json', '/js/../../server.ts', '/%2e%2e/package.json', '/js/%2e%2e%2f%2e%2e%2fserver.ts', '/..%2f..%2fpackage.json', '/%2e%2e%5cpackage.json', '/.%2e/.%2e/rm/main.ts']) {
      const res = await rawGet(ui.url, path);
      expect(res.status, path).not.toBe(200);
      expect(res.body, path).not.toContain('"devDependencies"');
      expect(res.body, path).not.toContain('import');
    }
  });
});

describe('web UI live-event hub', () => {
  it('greets, then pushes one coalesced message after an app changes state', async () => {
    ui = await UiRm.start({ hub: { flushIntervalMs: 50 } });
    const { messages, next } = await connect(ui.url);
    const hello = await next((m) => m.type === 'hello');
    expect(hello).toMatchObject({ type: 'hello', clusterId: ui.rm.ctx.clusterTimestamp, flushIntervalMs: 50 });

    const appId = await ui.submit('live-test');
    const msg = await next((m) => m.type === 'changes' && m.changes.some((c) => c.kind === 'app' && c.id === appId));
    if (msg.type !== 'changes') throw new Error('unreachable');
    // NEW -> NEW_SAVING -> SUBMITTED -> ACCEPTED within one flush: one entry, the latest state.
    const entries = msg.changes.filter((c) => c.id === appId);
    expect(entries).toHaveLength(1);
    expect(['SUBMITTED', 'ACCEPTED']).toContain(entries[0]!.state);

    await ui.kill(appId);
    await next((m) => m.type === 'changes' && m.changes.some((c) => c.id === appId && c.state === 'KILLED'));
    expect(messages[0]!.type).toBe('hello');
  });

  it('sends at most one message per flush interval however many changes arrive', async () => {
    const clock = new ManualClock(Date.now());
    ui = await UiRm.start({ clock, hub: { flushIntervalMs: 100 } });
    const a = await connect(ui.url);
    const b = await connect(ui.url);
    await a.next((m) => m.type === 'hello');
    await b.next((m) => m.type === 'hello');
    for (let i = 0; i < 500; i++) ui.rm.ctx.changes.emit('change', { kind: 'container', id: `container_1_0001_01_${String(i % 50).padStart(6, '0')}`, state: i < 250 ? 'ALLOCATED' : 'RUNNING' });
    await new Promise((r) => setTimeout(r, 50));
    expect(a.messages.filter((m) => m.type === 'changes')).toHaveLength(0);
    clock.advance(100);
    const msg = await a.next((m) => m.type === 'changes');
    await b.next((m) => m.type === 'changes');
    if (msg.type !== 'changes') throw new Error('unreachable');
    expect(msg.changes).toHaveLength(50);
    expect(msg.changes.every((c) => c.state === 'RUNNING')).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(a.messages.filter((m) => m.type === 'changes')).toHaveLength(1);
    expect(b.messages.filter((m) => m.type === 'changes')).toHaveLength(1);
  });

  it('refuses upgrades on other paths and closes every socket when the RM stops', async () => {
    ui = await UiRm.start();
    const bad = new WebSocket(`${ui.url.replace(/^http/, 'ws')}/ws/v1/nope`);
    sockets.push(bad);
    const err = await new Promise<Error>((resolve) => bad.once('error', resolve));
    expect(err.message).toMatch(/404/);

    const c = await connect(ui.url);
    await c.next((m) => m.type === 'hello');
    const closed = new Promise<void>((resolve) => c.ws.once('close', () => resolve()));
    await ui.rm.stop();
    await closed;
    await waitFor(() => c.ws.readyState === WebSocket.CLOSED);
    ui = undefined;
  });
});
