import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ManualClock } from '../../../rm/common/clock.ts';
import { createMemoryLogger } from '../../../rm/common/logger.ts';
import { diffSnapshots, type FlinkChange, type FlinkSnapshot } from '../../../webui/flink/flink-changes.ts';
import { mountFlinkDashboard } from '../../../webui/flink/dashboard.ts';
import { FlinkEventHub, type FlinkHubMessage } from '../../../webui/flink/flink-event-hub.ts';

/** A mutable world the hub snapshots. */
class World {
  readonly state = new Map<string, FlinkChange>();
  set(kind: FlinkChange['kind'], id: string, state: string): void {
    this.state.set(`${kind}\u0000${id}`, { kind, id, state });
  }
  delete(kind: FlinkChange['kind'], id: string): void {
    this.state.delete(`${kind}\u0000${id}`);
  }
  snapshot = (): FlinkSnapshot => new Map(this.state);
}

let server: http.Server | undefined;
let hub: FlinkEventHub | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await hub?.close();
  hub = undefined;
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  server = undefined;
});

async function start(world: World, clock: ManualClock): Promise<string> {
  const app = express();
  mountFlinkDashboard(app, { appId: 'application_1_0001', rmUrl: 'http://rm.example:8088' });
  server = http.createServer(app);
  hub = new FlinkEventHub({ snapshot: world.snapshot, clock, logger: createMemoryLogger('warn').logger, jobManager: 'application_1_0001', flushIntervalMs: 100 });
  hub.attach(server);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function connect(url: string): Promise<{ ws: WebSocket; messages: FlinkHubMessage[] }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/events`);
  sockets.push(ws);
  const messages: FlinkHubMessage[] = [];
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as FlinkHubMessage));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  await waitFor(() => messages.length > 0);
  return { ws, messages };
}

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const changesOf = (messages: FlinkHubMessage[]): FlinkChange[][] => messages.flatMap((m) => (m.type === 'changes' ? [[...m.changes]] : []));

describe('the JobManager dashboard hub', () => {
  it('sends coalesced changes: one notice per entity with its latest state, per interval', async () => {
    const clock = new ManualClock(1_000);
    const world = new World();
    world.set('taskmanager', 'tm-1', 'REGISTERED');
    world.set('slot', 'tm-1/0', 'FREE');
    const url = await start(world, clock);
    const { messages } = await connect(url);
    expect(messages[0]).toMatchObject({ type: 'hello', jobManager: 'application_1_0001', flushIntervalMs: 100 });

    // Many transitions inside one interval: only the latest state of each entity goes out.
    world.set('job', 'j1', 'CREATED');
    world.set('job', 'j1', 'RUNNING');
    world.set('task', 'j1/v1/0', 'SCHEDULED');
    world.set('task', 'j1/v1/0', 'DEPLOYING');
    world.set('task', 'j1/v1/0', 'RUNNING');
    world.set('slot', 'tm-1/0', 'j1');
    clock.advance(100);
    await waitFor(() => changesOf(messages).length === 1);
    expect(changesOf(messages)[0]).toEqual([
      { kind: 'slot', id: 'tm-1/0', state: 'j1' },
      { kind: 'job', id: 'j1', state: 'RUNNING' },
      { kind: 'task', id: 'j1/v1/0', state: 'RUNNING' },
    ]);

    // Nothing changed: nothing is sent.
    clock.advance(100);
    clock.advance(100);
    await new Promise((r) => setTimeout(r, 30));
    expect(changesOf(messages)).toHaveLength(1);

    // A TaskManager lost: it and its slots are reported gone.
    world.delete('taskmanager', 'tm-1');
    world.delete('slot', 'tm-1/0');
    world.set('job', 'j1', 'CANCELED');
    clock.advance(100);
    await waitFor(() => changesOf(messages).length === 2);
    expect(changesOf(messages)[1]).toEqual([
      { kind: 'job', id: 'j1', state: 'CANCELED' },
      { kind: 'taskmanager', id: 'tm-1', state: 'LOST' },
      { kind: 'slot', id: 'tm-1/0', state: 'FREE' },
    ]);
  });

  it('does no work without pages and refuses other paths', async () => {
    const clock = new ManualClock(1_000);
    const world = new World();
    let snapshots = 0;
    const plain = world.snapshot;
    world.snapshot = (): FlinkSnapshot => {
      snapshots++;
      return plain();
    };
    const url = await start(world, clock);
    clock.advance(1000);
    expect(snapshots).toBe(0);
    const bad = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/nope`);
    sockets.push(bad);
    const err = await new Promise<Error>((resolve) => bad.once('error', resolve));
    expect(err.message).toMatch(/404/);

    const { ws } = await connect(url);
    clock.advance(100);
    expect(snapshots).toBeGreaterThan(0);
    ws.close();
    await waitFor(() => hub!.clientCount === 0);
    const before = snapshots;
    clock.advance(1000);
    expect(snapshots).toBe(before);
  });

  it('serves the dashboard entry page at / with relative URLs and the app id, and the shared static files', async () => {
    const url = await start(new World(), new ManualClock(0));
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<meta name="weft-app-id" content="application_1_0001" />');
    expect(html).toContain('<meta name="weft-rm-url" content="http://rm.example:8088" />');
    expect(html).toContain('src="flink/main.js"');
    expect(html).not.toMatch(/(src|href)="\//);
    for (const path of ['/flink/main.js', '/flink/pages/job.js', '/js/dom.js', '/style.css', '/flink/flink.css']) expect((await fetch(`${url}${path}`)).status, path).toBe(200);
  });

  it('diffs snapshots by entity', () => {
    const a: FlinkSnapshot = new Map([['job\u0000x', { kind: 'job', id: 'x', state: 'RUNNING' }]]);
    const b: FlinkSnapshot = new Map([['job\u0000x', { kind: 'job', id: 'x', state: 'RUNNING' }]]);
    expect(diffSnapshots(a, b)).toEqual([]);
    expect(diffSnapshots(a, new Map())).toEqual([{ kind: 'job', id: 'x', state: 'GONE' }]);
  });
});
