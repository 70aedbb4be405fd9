import { afterEach, describe, expect, it } from 'vitest';
import { RmTestContext, anyAsk, running } from '../../../doubles/rm-test-context.ts';

const N1 = 'host1:45454';
const N2 = 'host2:45454';
const SECOND = 1000;

let t: RmTestContext;
afterEach(() => t.stop());

describe('NM liveness', () => {
  const EXPIRY = 10 * SECOND;

  it('marks a silent NM LOST after the expiry interval; its containers complete -100 "released on a *lost* node"', async () => {
    t = new RmTestContext({
      properties: { 'yarn.nm.liveness-monitor.expiry-interval-ms': EXPIRY, 'yarn.resourcemanager.nm.liveness-monitor.interval-ms': SECOND },
    });
    t.startMonitors();
    // N1 only fits the AM, so the worker container lands on N2.
    await t.registerNode(N1, { memory: 1024, vCores: 1 });
    const { app, attempt } = await t.runningApp(N1);
    await t.registerNode(N2);
    const [c] = t.allocate(attempt, { ask: [anyAsk(1)] }).allocatedContainers;
    if (!c) throw new Error('no container');
    expect(c.nodeId).toBe(N2);
    await t.heartbeat(N2, [running(c.id)]);
    expect(attempt.containers.get(c.id)?.state).toBe('RUNNING');

    // N1 and the AM keep talking; N2 goes silent.
    for (let elapsed = 0; elapsed < EXPIRY; elapsed += SECOND) {
      await t.advance(SECOND);
      await t.heartbeat(N1);
      t.allocate(attempt);
    }
    expect(t.ctx.nodes.get(N2)?.state).toBe('RUNNING');
    await t.advance(SECOND);

    const lost = t.ctx.inactiveNodes.get(N2);
    expect(lost?.state).toBe('LOST');
    expect(t.ctx.nodes.has(N2)).toBe(false);
    expect(t.ctx.nodes.get(N1)?.state).toBe('RUNNING');
    expect(lost?.containers.size).toBe(0);
    expect(attempt.containers.get(c.id)?.state).toBe('KILLED');
    const res = t.allocate(attempt);
    expect(res.completedContainerStatuses).toEqual([
      expect.objectContaining({ containerId: c.id, exitStatus: -100, diagnostics: 'Container released on a *lost* node' }),
    ]);
    expect(res.numClusterNodes).toBe(1);
    // The app itself is unaffected.
    expect(attempt.state).toBe('RUNNING');
    expect(app.state).toBe('RUNNING');
    expect(t.lines()).toContainEqual(expect.objectContaining({ from: 'RUNNING', to: 'LOST', event: 'EXPIRE' }));
  });

  it('asks a LOST node that heartbeats again to RESYNC', async () => {
    t = new RmTestContext({ properties: { 'yarn.nm.liveness-monitor.expiry-interval-ms': EXPIRY, 'yarn.resourcemanager.nm.liveness-monitor.interval-ms': SECOND } });
    t.startMonitors();
    await t.registerNode(N1);
    await t.advance(EXPIRY + SECOND);
    expect(t.ctx.inactiveNodes.get(N1)?.state).toBe('LOST');
    expect(t.heartbeatRaw(N1, 0).nodeAction).toBe('RESYNC');
    await t.registerNode(N1);
    expect(t.ctx.nodes.get(N1)?.state).toBe('RUNNING');
    expect(t.ctx.inactiveNodes.has(N1)).toBe(false);
  });
});

describe('AM liveness', () => {
  const EXPIRY = 10 * SECOND;
  const props = {
    'yarn.am.liveness-monitor.expiry-interval-ms': EXPIRY,
    'yarn.resourcemanager.amliveliness-monitor.interval-ms': SECOND,
    'yarn.resourcemanager.am.max-attempts': 2,
  };

  it('keeps an AM that calls allocate', async () => {
    t = new RmTestContext({ properties: props });
    t.startMonitors();
    await t.registerNode(N1);
    const { app, attempt } = await t.runningApp(N1);
    for (let i = 0; i < 10; i++) {
      await t.advance(EXPIRY / 2);
      t.allocate(attempt);
    }
    expect(attempt.state).toBe('RUNNING');
    expect(app.attempts).toHaveLength(1);
  });

  it('fails an attempt whose AM stops calling allocate, and starts a new attempt', async () => {
    t = new RmTestContext({ properties: props });
    t.startMonitors();
    await t.registerNode(N1);
    const { app, attempt } = await t.runningApp(N1);
    t.allocate(attempt);
    await t.advance(EXPIRY);
    expect(attempt.state).toBe('RUNNING');
    await t.advance(SECOND);

    expect(attempt.state).toBe('FAILED');
    expect(attempt.diagnostics).toContain('timed out');
    expect(attempt.masterContainer?.state).toBe('KILLED');
    expect(app.attempts).toHaveLength(2);
    expect(app.state).toBe('ACCEPTED');
    const second = app.currentAttempt;
    // The freed node takes the new AM container at once; the fake NM starts it.
    expect(second?.attemptNumber).toBe(2);
    expect(second?.state).toBe('LAUNCHED');
    expect(t.gateway.calls).toHaveLength(2);
    expect(t.gateway.calls[1]?.containerIds).toEqual([second?.masterContainer?.id]);
    // The old AM's container is to be stopped on its node.
    const hb = await t.heartbeat(N1);
    expect(hb.containersToCleanup).toContain(attempt.masterContainer?.id);
  });

  it('fails the app once its last allowed attempt expires', async () => {
    t = new RmTestContext({ properties: { ...props, 'yarn.resourcemanager.am.max-attempts': 1 } });
    t.startMonitors();
    await t.registerNode(N1);
    const { app, attempt } = await t.runningApp(N1);
    await t.advance(EXPIRY + SECOND);
    expect(attempt.state).toBe('FAILED');
    expect(app.attempts).toHaveLength(1);
    expect(app.state).toBe('FAILED');
    expect(app.diagnostics).toContain('failed 1 times');
  });

  it('expires an AM container that was launched but never registered', async () => {
    t = new RmTestContext({ properties: { ...props, 'yarn.resourcemanager.am.max-attempts': 1 } });
    t.startMonitors();
    await t.registerNode(N1);
    const app = await t.submitApp();
    await t.advance(0);
    expect(app.currentAttempt?.state).toBe('LAUNCHED');
    await t.advance(EXPIRY + SECOND);
    expect(app.currentAttempt?.state).toBe('FAILED');
    expect(app.state).toBe('FAILED');
  });
});

describe('container allocation expiry', () => {
  const EXPIRY = 3 * SECOND;

  it('expires an allocated container that was never launched: -100 "Container expired since it was unused"', async () => {
    t = new RmTestContext({ properties: { 'yarn.resourcemanager.rm.container-allocation.expiry-interval-ms': EXPIRY } });
    t.startMonitors();
    await t.registerNode(N1);
    const { attempt } = await t.runningApp(N1);
    const [unused, launched] = t.allocate(attempt, { ask: [anyAsk(2)] }).allocatedContainers;
    if (!unused || !launched) throw new Error('expected two containers');
    const nodeUsed = t.ctx.nodes.get(N1)?.used.memory ?? 0;
    await t.heartbeat(N1, [running(launched.id)]);

    await t.advance(EXPIRY);
    expect(attempt.containers.get(unused.id)?.state).toBe('ACQUIRED');
    // The expirer checks every expiry/3.
    await t.advance(EXPIRY / 3);

    expect(attempt.containers.get(unused.id)?.state).toBe('EXPIRED');
    expect(attempt.containers.get(launched.id)?.state).toBe('RUNNING');
    expect(t.ctx.nodes.get(N1)?.used.memory).toBe(nodeUsed - unused.resource.memory);
    const res = t.allocate(attempt);
    expect(res.completedContainerStatuses).toEqual([
      expect.objectContaining({ containerId: unused.id, exitStatus: -100, diagnostics: 'Container expired since it was unused' }),
    ]);
    // The NM is told to forget it, should it ever start it.
    const hb = await t.heartbeat(N1, [running(launched.id)]);
    expect(hb.containersToCleanup).toEqual([unused.id]);

    // Only once.
    await t.advance(10 * EXPIRY);
    expect(t.allocate(attempt).completedContainerStatuses).toEqual([]);
    expect(attempt.containers.get(launched.id)?.state).toBe('RUNNING');
  });

  it('does not expire containers that were released in time', async () => {
    t = new RmTestContext({ properties: { 'yarn.resourcemanager.rm.container-allocation.expiry-interval-ms': EXPIRY } });
    t.startMonitors();
    await t.registerNode(N1);
    const { attempt } = await t.runningApp(N1);
    const [c] = t.allocate(attempt, { ask: [anyAsk(1)] }).allocatedContainers;
    if (!c) throw new Error('no container');
    t.allocate(attempt, { release: [c.id] });
    await t.advance(3 * EXPIRY);
    expect(attempt.containers.get(c.id)?.state).toBe('RELEASED');
    expect(t.ctx.allocationExpirer.has(c.id)).toBe(false);
  });
});

describe('monitors stop cleanly', () => {
  it('leaves no timers behind', () => {
    t = new RmTestContext();
    t.startMonitors();
    expect(t.clock.pendingTimers()).toBe(3);
    t.stop();
    expect(t.clock.pendingTimers()).toBe(0);
    t = new RmTestContext();
  });
});
