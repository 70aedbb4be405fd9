import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { AppInfo, ClusterMetrics, NodeInfo } from '../../../rm/protocol/client-rm.ts';
import { RmHarness, settle } from '../../doubles/rm-harness.ts';

let h: RmHarness;
beforeEach(async () => {
  h = await new RmHarness().start();
});
afterEach(async () => {
  await h.stop();
});

const remote = (body: unknown) => (body as { RemoteException: { exception: string; message: string; javaClassName: string } }).RemoteException;

describe('YARN REST API: cluster', () => {
  it('serves clusterInfo under both /ws/v1/cluster and /info with the RM start time as id', async () => {
    for (const path of ['/ws/v1/cluster', '/ws/v1/cluster/info']) {
      const res = await request(h.app).get(path).expect(200).expect('content-type', /json/);
      const info = (res.body as { clusterInfo: Record<string, unknown> }).clusterInfo;
      expect(info).toMatchObject({ state: 'STARTED', haState: 'ACTIVE' });
      expect(info['id']).toBe(h.rm.ctx.clusterTimestamp);
    }
  });

  it('reports node capacity in clusterMetrics once NodeManagers register', async () => {
    await h.addNode('a:1', 8192, 8);
    await h.addNode('b:2', 4096, 4);
    const res = await request(h.app).get('/ws/v1/cluster/metrics').expect(200);
    const m = ClusterMetrics.parse((res.body as { clusterMetrics: unknown }).clusterMetrics);
    expect(m).toMatchObject({ totalMB: 12288, availableMB: 12288, totalVirtualCores: 12, activeNodes: 2, totalNodes: 2, lostNodes: 0 });
  });

  it('serves the capacity scheduler shape with root.default at 100%', async () => {
    const res = await request(h.app).get('/ws/v1/cluster/scheduler').expect(200);
    const info = (res.body as { scheduler: { schedulerInfo: Record<string, unknown> } }).scheduler.schedulerInfo;
    expect(info['type']).toBe('capacityScheduler');
    expect(info['queueName']).toBe('root');
    const queues = (info['queues'] as { queue: Record<string, unknown>[] }).queue;
    expect(queues.map((q) => q['queueName'])).toEqual(['default']);
    expect(queues[0]).toMatchObject({ capacity: 100, absoluteCapacity: 100, type: 'capacitySchedulerLeafQueueInfo' });
  });

  it('lists nodes with NodeInfo field names and answers {"nodes":null} when there are none', async () => {
    expect((await request(h.app).get('/ws/v1/cluster/nodes').expect(200)).body).toEqual({ nodes: null });
    await h.addNode('a:1');
    const res = await request(h.app).get('/ws/v1/cluster/nodes').expect(200);
    const node = NodeInfo.parse((res.body as { nodes: { node: unknown[] } }).nodes.node[0]);
    expect(node).toMatchObject({ id: 'a:1', state: 'RUNNING', nodeHTTPAddress: 'a:1', rack: '/default-rack', availMemoryMB: 8192 });
    await request(h.app).get('/ws/v1/cluster/nodes/a:1').expect(200);
    const missing = await request(h.app).get('/ws/v1/cluster/nodes/zz:9').expect(404);
    expect(remote(missing.body).exception).toBe('NotFoundException');
    const bad = await request(h.app).get('/ws/v1/cluster/nodes?states=SLEEPING').expect(400);
    expect(remote(bad.body).message).toMatch(/Invalid node state: SLEEPING/);
  });
});

describe('YARN REST API: applications', () => {
  it('refuses writes without user.name, as Hadoop simple auth does', async () => {
    const res = await request(h.app).post('/ws/v1/cluster/apps/new-application').expect(401);
    expect(remote(res.body)).toMatchObject({ exception: 'AuthorizationException', javaClassName: 'org.apache.hadoop.security.authorize.AuthorizationException' });
    expect(remote(res.body).message).toMatch(/user\.name/);
  });

  it('hands out application ids in YARN format with the maximum capability', async () => {
    const res = await request(h.app).post('/ws/v1/cluster/apps/new-application?user.name=alice').expect(200);
    const body = res.body as { 'application-id': string; 'maximum-resource-capability': unknown };
    expect(body['application-id']).toMatch(new RegExp(`^application_${h.rm.ctx.clusterTimestamp}_0001$`));
    expect(body['maximum-resource-capability']).toEqual({ memory: 8192, vCores: 32 });
  });

  it('accepts a submission with 202 and a Location header, then shows the app with AppInfo fields', async () => {
    const created = await request(h.app).post('/ws/v1/cluster/apps/new-application?user.name=alice').expect(200);
    const appId = (created.body as { 'application-id': string })['application-id'];
    const res = await request(h.app)
      .post('/ws/v1/cluster/apps?user.name=alice')
      .send({
        'application-id': appId,
        'application-name': 'wordcount',
        queue: 'default',
        'am-container-spec': { commands: { command: 'sleep 1' }, environment: { entry: [{ key: 'A', value: 'b' }] } },
        resource: { memory: 1500, vCores: 1 },
        'application-type': 'Apache Flink',
        'application-tags': { tag: ['Nightly', 'etl'] },
      })
      .expect(202);
    expect(res.headers['location']).toMatch(new RegExp(`/ws/v1/cluster/apps/${appId}$`));
    expect(res.text).toBe('');
    await settle();
    const app = AppInfo.parse(await h.app_(appId));
    expect(app).toMatchObject({
      id: appId,
      user: 'alice',
      name: 'wordcount',
      queue: 'default',
      state: 'ACCEPTED',
      finalStatus: 'UNDEFINED',
      trackingUI: 'UNASSIGNED',
      applicationType: 'Apache Flink',
      applicationTags: 'nightly,etl',
    });
    expect(app.trackingUrl).toBeUndefined();
    // No NodeManager yet: the app says why it waits, YARN users' most common question.
    expect(app.diagnostics).toMatch(/cluster resource is empty/);
  });

  it('answers malformed JSON and schema errors with a BadRequestException naming the problem', async () => {
    const bad = await request(h.app).post('/ws/v1/cluster/apps?user.name=alice').set('content-type', 'application/json').send('{"application-id": ').expect(400);
    expect(remote(bad.body)).toMatchObject({ exception: 'BadRequestException' });
    expect(remote(bad.body).message).toMatch(/JSON/);
    const missing = await request(h.app).post('/ws/v1/cluster/apps?user.name=alice').send({ 'application-name': 'x' }).expect(400);
    expect(remote(missing.body).message).toMatch(/application-id/);
    // The RM keeps serving afterwards.
    await request(h.app).get('/ws/v1/cluster/info').expect(200);
  });

  it('refuses an AM container above the maximum allocation with InvalidResourceRequestException', async () => {
    const created = await request(h.app).post('/ws/v1/cluster/apps/new-application?user.name=alice').expect(200);
    const appId = (created.body as { 'application-id': string })['application-id'];
    const res = await request(h.app)
      .post('/ws/v1/cluster/apps?user.name=alice')
      .send({ 'application-id': appId, 'am-container-spec': { commands: { command: 'x' } }, resource: { memory: 100_000, vCores: 1 } })
      .expect(400);
    expect(remote(res.body).exception).toBe('InvalidResourceRequestException');
    expect(remote(res.body).message).toMatch(/requestedMemory=100000, maxMemory=8192/);
    await request(h.app).get(`/ws/v1/cluster/apps/${appId}`).expect(404);
  });

  it('refuses an unmanaged AM and an id that new-application did not hand out', async () => {
    const created = await request(h.app).post('/ws/v1/cluster/apps/new-application?user.name=alice').expect(200);
    const appId = (created.body as { 'application-id': string })['application-id'];
    const unmanaged = await request(h.app).post('/ws/v1/cluster/apps?user.name=alice').send({ 'application-id': appId, 'unmanaged-AM': true }).expect(400);
    expect(remote(unmanaged.body).message).toMatch(/unmanaged-AM is not supported/);
    const forged = await request(h.app)
      .post('/ws/v1/cluster/apps?user.name=alice')
      .send({ 'application-id': 'application_1_0099', 'am-container-spec': { commands: { command: 'x' } } })
      .expect(400);
    expect(remote(forged.body).message).toMatch(/new-application/);
  });

  it('rejects an app for an unknown queue with a diagnostic naming the queue', async () => {
    const appId = await h.submit({ queue: 'nosuchqueue' });
    const app = await h.app_(appId);
    expect(app).toMatchObject({ state: 'FAILED', finalStatus: 'FAILED' });
    expect(app['diagnostics']).toMatch(/nosuchqueue/);
  });

  it('answers unknown and malformed app ids with 404 and 400', async () => {
    const res = await request(h.app).get(`/ws/v1/cluster/apps/application_${h.rm.ctx.clusterTimestamp}_9999`).expect(404);
    expect(remote(res.body)).toEqual({
      exception: 'NotFoundException',
      message: `java.lang.Exception: app with id: application_${h.rm.ctx.clusterTimestamp}_9999 not found`,
      javaClassName: 'org.apache.hadoop.yarn.webapp.NotFoundException',
    });
    await request(h.app).get('/ws/v1/cluster/apps/not-an-id').expect(400);
  });

  it('filters /apps by states, queue, user, applicationTypes, tags and limit, and rejects a bad state', async () => {
    expect((await request(h.app).get('/ws/v1/cluster/apps').expect(200)).body).toEqual({ apps: null });
    const a = await h.submit({ 'application-type': 'SPARK', 'application-tags': { tag: 'x' } }, 'alice');
    const b = await h.submit({ queue: 'nope' }, 'bob');
    const ids = async (q: string) =>
      (((await request(h.app).get(`/ws/v1/cluster/apps${q}`).expect(200)).body as { apps: { app: { id: string }[] } | null }).apps?.app ?? []).map((x) => x.id);
    expect(await ids('?states=ACCEPTED')).toEqual([a]);
    expect(await ids('?states=failed')).toEqual([b]);
    expect(await ids('?user=bob')).toEqual([b]);
    expect(await ids('?applicationTypes=spark')).toEqual([a]);
    expect(await ids('?applicationTags=x')).toEqual([a]);
    expect(await ids('?finalStatus=FAILED')).toEqual([b]);
    expect(await ids('?limit=1')).toHaveLength(1);
    expect(await ids(`?startedTimeBegin=${h.clock.now() + 1}`)).toEqual([]);
    const bad = await request(h.app).get('/ws/v1/cluster/apps?states=DONE').expect(400);
    expect(remote(bad.body).message).toMatch(/Invalid application-state DONE/);
  });

  it('kills an app: 202 with the state it had, then 200 KILLED; other targets are refused', async () => {
    await h.addNode('a:1');
    const appId = await h.submit();
    const other = await request(h.app).put(`/ws/v1/cluster/apps/${appId}/state?user.name=alice`).send({ state: 'RUNNING' }).expect(400);
    expect(remote(other.body).message).toBe("java.lang.Exception: Only 'KILLED' is allowed as a target state.");
    const first = await request(h.app).put(`/ws/v1/cluster/apps/${appId}/state?user.name=alice`).send({ state: 'KILLED' }).expect(202);
    expect(first.body).toEqual({ state: 'ACCEPTED' });
    expect(first.headers['location']).toMatch(/\/state$/);
    const second = await request(h.app).put(`/ws/v1/cluster/apps/${appId}/state?user.name=alice`).send({ state: 'KILLED' }).expect(200);
    expect(second.body).toEqual({ state: 'KILLED' });
    expect((await request(h.app).get(`/ws/v1/cluster/apps/${appId}/state`).expect(200)).body).toEqual({ state: 'KILLED' });
    const app = await h.app_(appId);
    expect(app).toMatchObject({ state: 'KILLED', finalStatus: 'KILLED', trackingUI: 'History' });
    expect(app['diagnostics']).toMatch(/killed by user alice/);
    // The node is told to clean the app up, and its AM container's resources are free again.
    const nm = h.nms.get('a:1')!;
    await nm.heartbeat();
    expect(nm.cleanedApps).toContain(appId);
    expect(h.rm.ctx.nodes.get('a:1')!.used.memory).toBe(0);
  });

  it('answers unknown paths with a RemoteException, not HTML', async () => {
    const res = await request(h.app).get('/ws/v1/cluster/nosuch').expect(404);
    expect(remote(res.body).exception).toBe('NotFoundException');
  });
});
