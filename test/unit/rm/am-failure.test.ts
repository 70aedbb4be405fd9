import { afterEach, describe, expect, it } from 'vitest';
import { RmTestContext, anyAsk, complete, running } from '../../doubles/rm-test-context.ts';

const N1 = 'host1:45454';

let t: RmTestContext;
afterEach(() => t.stop());

async function amExits(nodeId: string, containerId: string | undefined, exitStatus: number, diagnostics = ''): Promise<void> {
  if (!containerId) throw new Error('no AM container');
  await t.heartbeat(nodeId, [complete(containerId, exitStatus, diagnostics)]);
}

describe('AM container exit without unregister', () => {
  it('fails the attempt, retries once, then fails the app "failed 2 times"', async () => {
    t = new RmTestContext({ properties: { 'yarn.resourcemanager.am.max-attempts': 2 } });
    await t.registerNode(N1);
    const { app, attempt: first } = await t.runningApp(N1);

    await amExits(N1, first.masterContainer?.id, 1, 'Exception in thread "main"');
    expect(first.state).toBe('FAILED');
    expect(first.diagnostics).toContain(`AM Container for ${first.attemptId} exited with exitCode: 1`);
    expect(first.diagnostics).toContain('Exception in thread "main"');
    // The page it points to is the web UI's application page (its hash route), not YARN's /cluster/app.
    expect(first.diagnostics).toMatch(new RegExp(`check the application tracking page: http://\\S+/#/apps/${app.appId} `));
    expect(first.amExitStatus).toBe(1);
    expect(app.attempts).toHaveLength(2);
    expect(app.state).toBe('ACCEPTED');
    expect(app.publicState).toBe('ACCEPTED');

    const second = await t.launchCurrentAttempt(app, N1);
    expect(second.attemptNumber).toBe(2);
    expect(second.state).toBe('RUNNING');
    expect(app.state).toBe('RUNNING');
    expect(second.masterContainer?.id).not.toBe(first.masterContainer?.id);

    await amExits(N1, second.masterContainer?.id, 143);
    expect(second.state).toBe('FAILED');
    expect(second.diagnostics).toContain('exited with exitCode: 143');
    expect(app.attempts).toHaveLength(2);
    expect(app.state).toBe('FAILED');
    expect(app.finalStatus).toBe('FAILED');
    expect(app.diagnostics).toContain(`Application ${app.appId} failed 2 times`);
    expect(app.diagnostics).toContain('exited with exitCode: 143');
    expect(t.store.loadState().apps.find((a) => a.appId === app.appId)).toMatchObject({ finalState: 'FAILED', finalStatus: 'FAILED' });
    expect(t.store.loadState().attempts.map((a) => a.finalState)).toEqual(['FAILED', 'FAILED']);
  });

  it('fails the app after the first failure with max-attempts 1', async () => {
    t = new RmTestContext({ properties: { 'yarn.resourcemanager.am.max-attempts': 1 } });
    await t.registerNode(N1);
    const { app, attempt } = await t.runningApp(N1);
    await amExits(N1, attempt.masterContainer?.id, 1);
    expect(app.attempts).toHaveLength(1);
    expect(app.state).toBe('FAILED');
    expect(app.diagnostics).toContain('failed 1 times');
  });

  it('caps a per-app max-app-attempts at the global limit, and honours a smaller one', async () => {
    t = new RmTestContext({ properties: { 'yarn.resourcemanager.am.max-attempts': 2 } });
    await t.registerNode(N1);
    expect((await t.submitApp({ 'max-app-attempts': 5 })).maxAppAttempts).toBe(2);
    expect((await t.submitApp({ 'max-app-attempts': 1 })).maxAppAttempts).toBe(1);
  });

  it('kills the failed attempt\'s other containers and lets the NM clean them up', async () => {
    t = new RmTestContext({ properties: { 'yarn.resourcemanager.am.max-attempts': 2 } });
    await t.registerNode(N1);
    const { attempt } = await t.runningApp(N1);
    const [worker] = t.allocate(attempt, { ask: [anyAsk(1)] }).allocatedContainers;
    if (!worker) throw new Error('no container');
    await t.heartbeat(N1, [running(worker.id)]);
    const am = attempt.masterContainer?.id ?? '';
    // The whole cascade runs inside the heartbeat that reports the exit, so its answer orders the cleanup.
    const hb = await t.heartbeat(N1, [complete(am, 1)]);
    expect(attempt.containers.get(worker.id)?.state).toBe('KILLED');
    expect(attempt.containers.get(worker.id)?.diagnostics).toBe('Container of a completed application');
    expect(hb.containersToCleanup).toContain(worker.id);
    expect(hb.containersToBeRemovedFromNm).toEqual([am]);
  });

  it('fails the attempt when the NM cannot start the AM container', async () => {
    t = new RmTestContext({ properties: { 'yarn.resourcemanager.am.max-attempts': 1 } });
    t.gateway.failWith = 'no such user';
    await t.registerNode(N1);
    const app = await t.submitApp();
    await t.advance(0);
    expect(app.currentAttempt?.state).toBe('FAILED');
    expect(app.currentAttempt?.diagnostics).toContain('no such user');
    expect(app.state).toBe('FAILED');
  });
});

// BUG (rm/app/rm-app.ts finished() -> rm/resource-manager.ts appFinished()): appFinished runs inside
// the transition action, while the app is still FINAL_SAVING, so `app.state === 'FAILED'` is false
// and appsFailed (REST /ws/v1/cluster/metrics) never counts anything.
it('counts the failed app in the cluster metrics', async () => {
  t = new RmTestContext({ properties: { 'yarn.resourcemanager.am.max-attempts': 1 } });
  await t.registerNode(N1);
  const { app, attempt } = await t.runningApp(N1);
  await amExits(N1, attempt.masterContainer?.id, 1);
  expect(app.state).toBe('FAILED');
  expect(t.rm.clientRm.counters).toMatchObject({ appsCompleted: 1, appsFailed: 1 });
});
