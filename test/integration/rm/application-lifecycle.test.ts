import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ContainerTokenIdentifier, verifyToken } from '../../../rm/protocol/tokens.ts';
import { MockAm } from '../../doubles/mock-am.ts';
import { RmHarness, settle } from '../../doubles/rm-harness.ts';

let h: RmHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const ask = (n: number, memory = 1024) => ({ priority: 1, resourceName: '*', capability: { memory, vCores: 1 }, numContainers: n });

async function runningApp(harness: RmHarness, body: Record<string, unknown> = {}) {
  const nm = harness.nms.get('a:1') ?? (await harness.addNode('a:1'));
  const appId = await harness.submit(body);
  const launch = nm.started.at(-1)!;
  const am = new MockAm(harness.app, launch);
  return { nm, appId, launch, am };
}

describe('application lifecycle through the AM protocol', () => {
  it('allocates the AM container, launches it with YARN environment and a verifiable container token', async () => {
    h = await new RmHarness().start();
    const { nm, appId, launch } = await runningApp(h);
    expect(nm.started).toHaveLength(1);
    const env = launch.containerLaunchContext.environment;
    expect(env['MAX_APP_ATTEMPTS']).toBe('2');
    expect(env['APPLICATION_WEB_PROXY_BASE']).toBe(`/proxy/${appId}`);
    expect(env['APP_SUBMIT_TIME_ENV']).toMatch(/^\d+$/);
    expect(env['WEFT_RM_ADDRESS']).toBe(h.rm.url);
    const key = Buffer.from(h.rm.ctx.secrets.containerTokenMasterKey().bytes, 'base64');
    const check = verifyToken(launch.containerToken, key, ContainerTokenIdentifier);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.identifier).toMatchObject({ nodeId: 'a:1', appSubmitter: 'alice', resource: { memory: 1024, vCores: 1 } });
    const attempts = await request(h.app).get(`/ws/v1/cluster/apps/${appId}/appattempts`).expect(200);
    const attempt = (attempts.body as { appAttempts: { appAttempt: Record<string, unknown>[] } }).appAttempts.appAttempt[0]!;
    expect(attempt).toMatchObject({ id: 1, nodeId: 'a:1', appAttemptState: 'LAUNCHED' });
    expect(String(attempt['containerId'])).toMatch(/^container_\d+_0001_01_000001$/);
  });

  it('runs register -> allocate -> containers -> finish, and the app ends FINISHED/SUCCEEDED', async () => {
    h = await new RmHarness().start();
    const { nm, appId, am } = await runningApp(h);
    const reg = await am.register('http://localhost:1234/ui');
    expect(reg).toMatchObject({ maximumCapability: { memory: 8192, vCores: 32 }, queue: 'default' });
    expect((await h.app_(appId))['state']).toBe('RUNNING');
    const amContainer = nm.started[0]!;
    void amContainer;

    // 1500 MB asks are normalised up to 2048 (minimum allocation 1024).
    const first = await am.allocate([ask(2, 1500)]);
    expect(first.responseId).toBe(1);
    expect(first.allocatedContainers).toHaveLength(2);
    expect(first.allocatedContainers.every((c) => c.resource.memory === 2048 && c.nodeId === 'a:1')).toBe(true);
    expect(first.nmTokens.map((t) => t.nodeId)).toEqual(['a:1']);
    expect(first.numClusterNodes).toBe(1);
    expect(first.limit.memory).toBe(8192 - 1024 - 4096);
    const app = await h.app_(appId);
    expect(app).toMatchObject({ runningContainers: 3, allocatedMB: 5120, trackingUI: 'ApplicationMaster' });
    expect(app['trackingUrl']).toBe(`${h.rm.url}/proxy/${appId}/`);

    // The NM reports one running, then both done; the AM learns of completions.
    const [c1, c2] = first.allocatedContainers;
    await nm.heartbeat([{ containerId: c1!.id, state: 'RUNNING', exitStatus: -1000, diagnostics: '' }]);
    await nm.heartbeat([
      { containerId: c1!.id, state: 'COMPLETE', exitStatus: 0, diagnostics: '' },
      { containerId: c2!.id, state: 'COMPLETE', exitStatus: 3, diagnostics: 'Exception from container-launch.' },
    ]);
    const second = await am.allocate();
    expect(second.completedContainerStatuses.map((s) => [s.containerId, s.exitStatus])).toEqual([
      [c1!.id, 0],
      [c2!.id, 3],
    ]);
    expect(second.allocatedContainers).toHaveLength(0);

    await am.finish('SUCCEEDED', 'all done');
    // Until the AM container exits the app is FINISHING, which clients see as FINISHED.
    expect((await h.app_(appId))['state']).toBe('FINISHED');
    await nm.heartbeat([{ containerId: h.rm.ctx.apps.get(appId)!.currentAttempt!.masterContainer!.id, state: 'COMPLETE', exitStatus: 0, diagnostics: '' }]);
    await settle();
    const done = await h.app_(appId);
    expect(done).toMatchObject({ state: 'FINISHED', finalStatus: 'SUCCEEDED', progress: 100, trackingUI: 'History', diagnostics: 'all done' });
    expect(h.rm.ctx.apps.get(appId)!.state).toBe('FINISHED');
    await nm.heartbeat();
    expect(nm.cleanedApps).toContain(appId);
  });

  it('treats a repeated allocate as a retry and refuses a wrong responseId', async () => {
    h = await new RmHarness().start();
    const { am } = await runningApp(h);
    await am.register();
    const first = await am.allocate([ask(1)]);
    const retry = await am.post('allocate', { ask: [ask(1)], responseId: 0 }).expect(200);
    expect(retry.body).toEqual(first);
    const wrong = await am.post('allocate', { ask: [], responseId: 7 }).expect(400);
    expect((wrong.body as { RemoteException: { message: string } }).RemoteException.message).toMatch(/expect responseId to be 1, but get 7/);
  });

  it('refuses AM calls without a token, with a forged one, and before registering', async () => {
    h = await new RmHarness().start();
    const { am } = await runningApp(h);
    await request(h.app).post('/rpc/applicationmaster/allocate').send({ responseId: 0 }).expect(401);
    const [id] = am.token.split('.');
    const forged = await request(h.app).post('/rpc/applicationmaster/allocate').set('authorization', `Bearer ${id}.AAAA`).send({ responseId: 0 }).expect(401);
    expect((forged.body as { RemoteException: { exception: string } }).RemoteException.exception).toBe('InvalidToken');
    const early = await am.post('allocate', { responseId: 0 });
    expect((early.body as { RemoteException: { exception: string } }).RemoteException.exception).toBe('ApplicationMasterNotRegisteredException');
    await am.register();
    const twice = await am.post('registerApplicationMaster', {}).expect(400);
    expect((twice.body as { RemoteException: { message: string } }).RemoteException.message).toMatch(/already registered/);
  });

  it('refuses an ask above the maximum allocation', async () => {
    h = await new RmHarness().start();
    const { am } = await runningApp(h);
    await am.register();
    const res = await am.post('allocate', { ask: [ask(1, 9000)], responseId: 0 }).expect(400);
    expect((res.body as { RemoteException: { exception: string } }).RemoteException.exception).toBe('InvalidResourceRequestException');
  });

  it('replaces the outstanding count on each ask instead of adding to it', async () => {
    h = await new RmHarness().start();
    const nm = await h.addNode('a:1', 2048, 8);
    const appId = await h.submit();
    const am = new MockAm(h.app, nm.started[0]!);
    await am.register();
    // Only 1024 MB left on the node: one container now, and the rest stays outstanding.
    const r1 = await am.allocate([ask(5)]);
    expect(r1.allocatedContainers).toHaveLength(1);
    await am.allocate([ask(2)]);
    const pending = (await h.app_(appId))['resourceRequests'] as { numContainers: number }[];
    expect(pending.map((r) => r.numContainers)).toEqual([2]);
  });

  it('fails the attempt when the AM container exits without unregistering, retries once, then fails the app', async () => {
    h = await new RmHarness().start();
    const { nm, appId } = await runningApp(h);
    const app = h.rm.ctx.apps.get(appId)!;
    const amId1 = app.currentAttempt!.masterContainer!.id;
    await nm.heartbeat([{ containerId: amId1, state: 'COMPLETE', exitStatus: 1, diagnostics: 'boom' }]);
    await settle();
    expect(app.attempts).toHaveLength(2);
    expect((await h.app_(appId))['state']).toBe('ACCEPTED');
    expect(nm.started).toHaveLength(2);
    const amId2 = app.currentAttempt!.masterContainer!.id;
    expect(amId2).toMatch(/_02_000001$/);
    await nm.heartbeat([{ containerId: amId2, state: 'COMPLETE', exitStatus: 7, diagnostics: '' }]);
    await settle();
    const failed = await h.app_(appId);
    expect(failed).toMatchObject({ state: 'FAILED', finalStatus: 'FAILED' });
    expect(failed['diagnostics']).toMatch(/failed 2 times/);
    expect(failed['diagnostics']).toMatch(/exited with exitCode: 7/);
  });

  it('makes a silent NodeManager LOST and completes its containers with -100', async () => {
    h = await new RmHarness({ 'yarn.nm.liveness-monitor.expiry-interval-ms': 3000 }).start();
    const { nm, appId, am } = await runningApp(h);
    const other = await h.addNode('b:2', 1024, 1);
    await am.register();
    const alloc = await am.allocate([ask(1)]);
    const onA = alloc.allocatedContainers.find((c) => c.nodeId === 'a:1')!;
    // b:2 keeps heartbeating; a:1 goes silent.
    for (let i = 0; i < 4; i++) {
      h.clock.advance(1000);
      await other.heartbeat();
    }
    await settle();
    void nm;
    const nodes = await request(h.app).get('/ws/v1/cluster/nodes?states=LOST').expect(200);
    expect((nodes.body as { nodes: { node: { id: string }[] } }).nodes.node.map((n) => n.id)).toEqual(['a:1']);
    expect(((await request(h.app).get('/ws/v1/cluster/metrics').expect(200)).body as { clusterMetrics: { lostNodes: number } }).clusterMetrics.lostNodes).toBe(1);
    // The AM container was on a:1 too, so the attempt fails; its other container shows -100.
    const app = h.rm.ctx.apps.get(appId)!;
    const first = app.attempts[0]!;
    expect(first.containers.get(onA.id)!.exitStatus).toBe(-100);
    expect(first.containers.get(onA.id)!.diagnostics).toBe('Container released on a *lost* node');
    expect(first.state).toBe('FAILED');
  });
});

describe('node updates to the AM', () => {
  it('tells a running AM in its next allocate that a node was lost', async () => {
    h = await new RmHarness({ 'yarn.nm.liveness-monitor.expiry-interval-ms': 3000 }).start();
    const { am } = await runningApp(h);
    const other = await h.addNode('b:2', 1024, 1);
    await am.register();
    const before = await am.allocate();
    expect(before.updatedNodes).toEqual([]);
    // a:1 (the AM's node) keeps heartbeating; b:2 goes silent and is LOST.
    const a = h.nms.get('a:1')!;
    for (let i = 0; i < 4; i++) {
      h.clock.advance(1000);
      await a.heartbeat();
    }
    await settle();
    void other;
    const after = await am.allocate();
    expect(after.updatedNodes.map((n) => [n.nodeId, n.nodeState])).toEqual([['b:2', 'LOST']]);
    expect(after.numClusterNodes).toBe(1);
    // Reported once.
    expect((await am.allocate()).updatedNodes).toEqual([]);
  });
});

describe('state store recovery', () => {
  it('lists every app again after a restart, finished ones with their final state', async () => {
    h = await new RmHarness().start();
    const { nm, appId: done, am } = await runningApp(h);
    await am.register();
    await am.finish('SUCCEEDED');
    await nm.heartbeat([{ containerId: h.rm.ctx.apps.get(done)!.currentAttempt!.masterContainer!.id, state: 'COMPLETE', exitStatus: 0, diagnostics: '' }]);
    const rejected = await h.submit({ queue: 'missing' });
    const running = await h.submit();
    const runningAm = h.rm.ctx.apps.get(running)!.currentAttempt!.masterContainer!;
    const launch = nm.started.at(-1)!;

    await h.restart();
    const apps = ((await request(h.app).get('/ws/v1/cluster/apps').expect(200)).body as { apps: { app: { id: string; state: string; finalStatus: string }[] } }).apps.app;
    const byId = new Map(apps.map((a) => [a.id, a]));
    expect(byId.get(done)).toMatchObject({ state: 'FINISHED', finalStatus: 'SUCCEEDED' });
    expect(byId.get(rejected)).toMatchObject({ state: 'FAILED' });
    expect(byId.get(running)).toMatchObject({ state: 'ACCEPTED' });

    // The NM resyncs and reports the AM container; the AM re-registers with its old token.
    const hb = await nm.heartbeat();
    expect(hb.nodeAction).toBe('RESYNC');
    await nm.register([{ containerId: runningAm.id, containerState: 'RUNNING', resource: runningAm.resource, containerExitStatus: -1000, creationTime: 1 }], [running]);
    const am2 = new MockAm(h.app, launch);
    await am2.register();
    expect((await h.app_(running))['state']).toBe('RUNNING');
    const alloc = await am2.allocate([ask(1)]);
    // New containers after a restart carry the epoch prefix, so ids never collide.
    expect(alloc.allocatedContainers[0]!.id).toMatch(/^container_e01_/);
  });
});
