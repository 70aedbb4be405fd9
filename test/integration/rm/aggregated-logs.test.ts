import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RmHarness } from '../../doubles/rm-harness.ts';

const APP = 'application_1700000000000_0007';
const CID = 'container_1700000000000_0007_01_000002';
let remote: string;
let h: RmHarness;

beforeEach(() => {
  remote = mkdtempSync(join(tmpdir(), 'weft-remote-logs-'));
  const dir = join(remote, 'bob', 'logs', APP, 'host1_45454', CID);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stdout'), 'hello from the container\n');
  writeFileSync(join(dir, 'taskmanager.log'), '{"msg":"started"}\n');
  // Half-written by a node still uploading: never listed.
  mkdirSync(join(remote, 'bob', 'logs', APP, 'host2_45454.tmp', CID), { recursive: true });
});

afterEach(async () => {
  await h?.stop();
  rmSync(remote, { recursive: true, force: true });
});

describe('the RM as log server for aggregated logs (/ws/v1/applicationhistory)', () => {
  it('lists and serves a container of an app the RM does not know, found under any user', async () => {
    h = await new RmHarness({ 'yarn.log-aggregation-enable': true, 'yarn.nodemanager.remote-app-log-dir': remote }).start();
    const list = await request(h.app).get(`/ws/v1/applicationhistory/containers/${CID}/logs`).expect(200);
    expect(list.body).toMatchObject({
      containerLogsInfo: { containerId: CID, nodeId: 'host1:45454', logAggregationType: 'AGGREGATED', containerLogInfo: [{ fileName: 'stdout', fileSize: '25' }, { fileName: 'taskmanager.log', fileSize: '18' }] },
    });
    const text = await request(h.app).get(`/ws/v1/applicationhistory/containerlogs/${CID}/stdout`).expect(200);
    expect(text.type).toBe('text/plain');
    expect(text.text).toBe('hello from the container\n');
    expect((await request(h.app).get(`/ws/v1/applicationhistory/containers/${CID}/logs/stdout?size=-10`).expect(200)).text).toBe('container\n');
    await request(h.app).get(`/ws/v1/applicationhistory/containerlogs/${CID}/..%2F..%2Fsecret`).expect(404);
    await request(h.app).get(`/ws/v1/applicationhistory/containerlogs/${CID}/nope`).expect(404);
    await request(h.app).get('/ws/v1/applicationhistory/containers/not_a_container/logs').expect(400);
  });

  it('says aggregation is off when it is', async () => {
    h = await new RmHarness({ 'yarn.nodemanager.remote-app-log-dir': remote }).start();
    const res = await request(h.app).get(`/ws/v1/applicationhistory/containers/${CID}/logs`).expect(404);
    expect(JSON.stringify(res.body)).toContain('yarn.log-aggregation-enable=false');
  });

  it('deletes app log dirs older than yarn.log-aggregation.retain-seconds on each check', async () => {
    h = await new RmHarness({ 'yarn.log-aggregation-enable': true, 'yarn.nodemanager.remote-app-log-dir': remote, 'yarn.log-aggregation.retain-seconds': 3600 }).start();
    const fresh = 'application_1700000000000_0008';
    mkdirSync(join(remote, 'bob', 'logs', fresh, 'host1_45454'), { recursive: true });
    const old = (h.clock.now() - 7200_000) / 1000;
    for (const p of [join(remote, 'bob', 'logs', APP), join(remote, 'bob', 'logs', APP, 'host1_45454'), join(remote, 'bob', 'logs', APP, 'host2_45454.tmp')]) utimesSync(p, old, old);
    for (const p of [join(remote, 'bob', 'logs', fresh), join(remote, 'bob', 'logs', fresh, 'host1_45454')]) utimesSync(p, h.clock.now() / 1000, h.clock.now() / 1000);
    // Checked every retain-seconds / 10 = 360 s.
    h.clock.advance(360_000);
    await request(h.app).get(`/ws/v1/applicationhistory/containers/${CID}/logs`).expect(404);
    expect(h.rm.logDeletion.deleteExpired()).toEqual([]);
    await request(h.app).get('/ws/v1/applicationhistory/containers/container_1700000000000_0008_01_000001/logs').expect(404);
  });
});
