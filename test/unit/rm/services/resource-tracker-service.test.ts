import { afterEach, describe, expect, it } from 'vitest';
import { RmTestContext, anyAsk, complete, running } from '../../../doubles/rm-test-context.ts';
import { appInfo } from '../../../../rm/web/app-info.ts';

const N1 = 'host1:45454';

let t: RmTestContext;
afterEach(() => t.stop());

describe('NM heartbeat responseId rules', () => {
  it('answers each in-order heartbeat with the next responseId', async () => {
    t = new RmTestContext();
    const reg = await t.registerNode(N1);
    expect(reg.nodeAction).toBe('NORMAL');
    expect(t.ctx.nodes.get(N1)?.state).toBe('RUNNING');
    const first = t.heartbeatRaw(N1, 0);
    expect(first).toMatchObject({ responseId: 1, nodeAction: 'NORMAL' });
    expect(t.heartbeatRaw(N1, 1)).toMatchObject({ responseId: 2, nodeAction: 'NORMAL' });
  });

  it('returns the identical cached response for a duplicate (responseId + 1 == last)', async () => {
    t = new RmTestContext();
    await t.registerNode(N1);
    t.heartbeatRaw(N1, 0);
    // Something for the NM to clean up, so the answer is not empty.
    t.ctx.nodes.get(N1)?.cleanupContainer('container_1_0001_01_000009');
    const answer = t.heartbeatRaw(N1, 1);
    expect(answer.containersToCleanup).toEqual(['container_1_0001_01_000009']);
    const retry = t.heartbeatRaw(N1, 1);
    expect(retry).toBe(answer);
    expect(retry).toEqual({ ...answer });
    // The duplicate did not advance the sequence.
    expect(t.heartbeatRaw(N1, 2)).toMatchObject({ responseId: 3, nodeAction: 'NORMAL', containersToCleanup: [] });
  });

  it('does not apply the container statuses of a duplicate twice', async () => {
    t = new RmTestContext();
    await t.registerNode(N1);
    const { attempt } = await t.runningApp(N1);
    const [c] = t.allocate(attempt, { ask: [anyAsk(1)] }).allocatedContainers;
    if (!c) throw new Error('no container allocated');
    const hb = await t.heartbeat(N1, [running(c.id)]);
    const statusesBefore = attempt.completedStatuses.length;
    // A retry of an older heartbeat that claims the container completed is answered from the cache.
    const dup = t.heartbeatRaw(N1, hb.responseId - 1, [complete(c.id, 0)]);
    expect(dup).toBe(hb);
    expect(attempt.containers.get(c.id)?.state).toBe('RUNNING');
    expect(attempt.completedStatuses.length).toBe(statusesBefore);
  });

  it('asks a node that fell too far behind to RESYNC and treats it as rebooted until it registers again', async () => {
    t = new RmTestContext();
    await t.registerNode(N1);
    t.heartbeatRaw(N1, 0);
    t.heartbeatRaw(N1, 1);
    t.heartbeatRaw(N1, 2);
    const behind = t.heartbeatRaw(N1, 0);
    expect(behind).toMatchObject({ nodeAction: 'RESYNC', responseId: 0 });
    expect(behind.diagnosticsMessage).toContain('Too far behind rm response id:3 nm response id:0');
    expect(t.rm.ctx.inactiveNodes.get(N1)?.state).toBe('REBOOTED');
    expect(t.heartbeatRaw(N1, 3)).toMatchObject({ nodeAction: 'RESYNC' });
    await t.registerNode(N1);
    expect(t.rm.ctx.nodes.get(N1)?.state).toBe('RUNNING');
    expect(t.heartbeatRaw(N1, 0)).toMatchObject({ nodeAction: 'NORMAL', responseId: 1 });
  });

  it('asks a node that runs ahead of the RM to RESYNC', async () => {
    t = new RmTestContext();
    await t.registerNode(N1);
    expect(t.heartbeatRaw(N1, 9)).toMatchObject({ nodeAction: 'RESYNC' });
  });

  it('asks an unknown node to RESYNC', () => {
    t = new RmTestContext();
    const res = t.heartbeatRaw('stranger:1', 0);
    expect(res).toMatchObject({ nodeAction: 'RESYNC', responseId: 0 });
    expect(res.diagnosticsMessage).toContain('Node not found');
  });

  it('resets the responseId when a known node registers again', async () => {
    t = new RmTestContext();
    await t.registerNode(N1);
    t.heartbeatRaw(N1, 0);
    t.heartbeatRaw(N1, 1);
    await t.registerNode(N1);
    expect(t.heartbeatRaw(N1, 0)).toMatchObject({ nodeAction: 'NORMAL', responseId: 1 });
    expect(t.ctx.nodes.get(N1)?.state).toBe('RUNNING');
  });

  it('sends SHUTDOWN to a node below the minimum allocation', () => {
    t = new RmTestContext();
    const res = t.rm.resourceTracker.register({ nodeId: N1, httpPort: 1, resource: { memory: 512, vCores: 1 }, nmVersion: '', containerStatuses: [], runningApplications: [] });
    expect(res.nodeAction).toBe('SHUTDOWN');
    expect(t.ctx.nodes.has(N1)).toBe(false);
  });
});

describe('log aggregation reports in NM heartbeats', () => {
  it("turn the app report's logAggregationStatus from NOT_START to SUCCEEDED once the app's node uploaded", async () => {
    t = new RmTestContext({ properties: { 'yarn.log-aggregation-enable': 'true' } });
    await t.registerNode(N1);
    const { app, attempt } = await t.runningApp(N1);
    const info = () => appInfo(t.ctx, app).logAggregationStatus;
    expect(info()).toBe('NOT_START');
    t.rm.appMaster.finish(attempt, { finalApplicationStatus: 'SUCCEEDED', diagnostics: '', trackingUrl: '' });
    await t.advance(0);
    await t.heartbeat(N1, [complete(attempt.masterContainer!.id, 0)]);
    expect(app.state).toBe('FINISHED');
    expect(info()).toBe('NOT_START');
    await t.heartbeat(N1, [], [{ applicationId: app.appId, logAggregationStatus: 'SUCCEEDED', diagnosticMessage: '' }]);
    expect(info()).toBe('SUCCEEDED');
  });

  it('say DISABLED when the RM has aggregation off (YARN default)', async () => {
    t = new RmTestContext();
    await t.registerNode(N1);
    const { app } = await t.runningApp(N1);
    await t.heartbeat(N1, [], [{ applicationId: app.appId, logAggregationStatus: 'SUCCEEDED', diagnosticMessage: '' }]);
    expect(appInfo(t.ctx, app).logAggregationStatus).toBe('DISABLED');
  });
});
