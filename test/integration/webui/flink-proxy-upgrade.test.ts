import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { HubMessage } from '../../../webui/hub-messages.ts';
import { UiRm } from './ui-rm.ts';

/** A fake ApplicationMaster: plain HTTP plus a ws server on `/ws/events` that echoes. */
interface FakeAm {
  readonly url: string;
  readonly paths: string[];
  readonly server: http.Server;
  readonly wss: WebSocketServer;
  close(): Promise<void>;
}

async function fakeAm(): Promise<FakeAm> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url }));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    paths.push(req.url ?? '');
    if (req.url !== '/ws/events') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send(JSON.stringify({ type: 'hello', from: 'am', host: req.headers.host }));
      ws.on('message', (data: Buffer) => ws.send(JSON.stringify({ type: 'echo', text: data.toString('utf8') })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    paths,
    server,
    wss,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

async function eventually<T>(fn: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Submits an app, runs its AM container on a mock NM and registers `trackingUrl`. */
async function runningApp(ui: UiRm, trackingUrl: string): Promise<{ appId: string; finish: () => Promise<void> }> {
  const appId = await ui.submit('flink proxy');
  const { nm, launch } = await eventually(async () => {
    for (const n of ui.nms.values()) await n.heartbeat();
    return ui.amLaunch(appId);
  });
  const amContainerId = ui.rm.ctx.apps.get(appId)?.currentAttempt?.masterContainer?.id ?? '';
  await nm.heartbeat([{ containerId: amContainerId, state: 'RUNNING', exitStatus: -1000, diagnostics: '' }]);
  const am = ui.mockAm(launch);
  await am.register(trackingUrl);
  const finish = async (): Promise<void> => {
    await am.finish();
    // The app is final once its AM container is reported complete.
    await nm.heartbeat([{ containerId: amContainerId, state: 'COMPLETE', exitStatus: 0, diagnostics: '' }]);
  };
  return { appId, finish };
}

function open(url: string): Promise<{ ws: WebSocket; messages: unknown[] }> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const messages: unknown[] = [];
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('error', reject);
  });
}

const refusal = (url: string): Promise<Error> => {
  const ws = new WebSocket(url);
  sockets.push(ws);
  return new Promise<Error>((resolve) => ws.once('error', resolve));
};

let ui: UiRm | undefined;
let am: FakeAm | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await ui?.stop();
  await am?.close();
  ui = undefined;
  am = undefined;
});

describe('websocket upgrades through the RM web proxy', () => {
  it('tunnels /proxy/<appId>/ws/events to the AM, both ways, and keeps the cluster hub working', async () => {
    ui = await UiRm.start();
    am = await fakeAm();
    await ui.addNode('node-a:45454');
    const { appId } = await runningApp(ui, `${am.url}/`);
    const ws = ui.url.replace(/^http/, 'ws');

    const { ws: client, messages } = await open(`${ws}/proxy/${appId}/ws/events`);
    await eventually(() => (messages.length > 0 ? true : undefined));
    expect(messages[0]).toEqual({ type: 'hello', from: 'am', host: new URL(am.url).host });
    expect(am.paths).toEqual(['/ws/events']);
    client.send('ping from the page');
    await eventually(() => (messages.length > 1 ? true : undefined));
    expect(messages[1]).toEqual({ type: 'echo', text: 'ping from the page' });

    // Plain HTTP through the proxy still works, and so does the RM's own hub.
    const res = await fetch(`${ui.url}/proxy/${appId}/jobs/overview`);
    expect(await res.json()).toEqual({ path: '/jobs/overview' });
    const hub = await open(`${ws}/ws/v1/events`);
    await eventually(() => (hub.messages.length > 0 ? true : undefined));
    expect((hub.messages[0] as HubMessage).type).toBe('hello');

    // An unknown path on the AM is the AM's 404, passed through.
    expect((await refusal(`${ws}/proxy/${appId}/ws/nope`)).message).toMatch(/404/);
  });

  it('refuses unknown and finished apps and unknown RM paths with a 404', async () => {
    ui = await UiRm.start();
    am = await fakeAm();
    await ui.addNode('node-a:45454');
    const ws = ui.url.replace(/^http/, 'ws');
    expect((await refusal(`${ws}/proxy/application_1_0042/ws/events`)).message).toMatch(/404/);
    expect((await refusal(`${ws}/ws/v1/nope`)).message).toMatch(/404/);

    const { appId, finish } = await runningApp(ui, `${am.url}/`);
    await finish();
    await eventually(async () => (['FINISHED', 'FAILED', 'KILLED'].includes(await ui!.appState(appId)) ? true : undefined));
    expect((await refusal(`${ws}/proxy/${appId}/ws/events`)).message).toMatch(/404/);
    expect(am.paths).toEqual([]);
  });

  it('answers 502 when the AM does not listen, and closes tunnels when the RM stops', async () => {
    ui = await UiRm.start();
    am = await fakeAm();
    await ui.addNode('node-a:45454');
    const { appId } = await runningApp(ui, `${am.url}/`);
    const ws = ui.url.replace(/^http/, 'ws');
    const { ws: client, messages } = await open(`${ws}/proxy/${appId}/ws/events`);
    await eventually(() => (messages.length > 0 ? true : undefined));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await ui.rm.stop();
    ui = undefined;
    await closed;

    const ui2 = await UiRm.start();
    ui = ui2;
    await ui2.addNode('node-a:45454');
    const dead = http.createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', () => resolve()));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const gone = await runningApp(ui2, `http://127.0.0.1:${port}/`);
    expect((await refusal(`${ui2.url.replace(/^http/, 'ws')}/proxy/${gone.appId}/ws/events`)).message).toMatch(/502/);
  });
});
