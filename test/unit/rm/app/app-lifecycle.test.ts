import { afterEach, describe, expect, it } from 'vitest';
import { CALLER, RmTestContext, complete } from '../../../doubles/rm-test-context.ts';
import type { RmApp } from '../../../../rm/app/rm-app.ts';

const N1 = 'host1:45454';

let t: RmTestContext;
afterEach(() => t.stop());

async function kill(app: RmApp): Promise<void> {
  await t.rm.clientRm.handlers().updateAppState({ params: { appid: app.appId }, query: {}, body: { state: 'KILLED' }, caller: CALLER, origin: 'http://rm' });
  await t.advance(0);
}

async function finishApp(): Promise<RmApp> {
  const { app, attempt } = await t.runningApp(N1);
  t.rm.appMaster.finish(attempt, { finalApplicationStatus: 'SUCCEEDED', diagnostics: '', trackingUrl: '' });
  await t.heartbeat(N1, [complete(attempt.masterContainer?.id ?? '', 0)]);
  return app;
}

describe('RMApp lifecycle through the services', () => {
  it('walks NEW -> NEW_SAVING -> SUBMITTED -> ACCEPTED -> RUNNING, logging each change', async () => {
    t = new RmTestContext();
    await t.registerNode(N1);
    const { app } = await t.runningApp(N1);
    const changes = t.lines().filter((l) => l['msg'] === 'RMApp State change').map((l) => `${String(l['from'])}-${String(l['event'])}->${String(l['to'])}`);
    expect(changes).toEqual(['NEW-START->NEW_SAVING', 'NEW_SAVING-APP_NEW_SAVED->SUBMITTED', 'SUBMITTED-APP_ACCEPTED->ACCEPTED', 'ACCEPTED-ATTEMPT_REGISTERED->RUNNING']);
    expect(app.state).toBe('RUNNING');
    expect(t.store.loadState().apps.map((a) => a.appId)).toEqual([app.appId]);
  });

  it('waits in ACCEPTED while no node can take the AM', async () => {
    t = new RmTestContext();
    const app = await t.submitApp();
    expect(app.state).toBe('ACCEPTED');
    expect(app.currentAttempt?.state).toBe('SCHEDULED');
    await t.registerNode(N1);
    expect(app.currentAttempt?.state).toBe('LAUNCHED');
  });

  it('kills a RUNNING app: KILLING, then KILLED; the AM is told to shut down', async () => {
    t = new RmTestContext();
    await t.registerNode(N1);
    const { app, attempt } = await t.runningApp(N1);
    await kill(app);
    expect(attempt.state).toBe('KILLED');
    expect(app.state).toBe('KILLED');
    expect(app.finalStatus).toBe('KILLED');
    expect(app.diagnostics).toContain('was killed by user alice');
    expect(t.lines()).toContainEqual(expect.objectContaining({ msg: 'RMApp State change', from: 'RUNNING', to: 'KILLING', event: 'KILL' }));
    expect(t.allocate(attempt).aMCommand).toBe('AM_SHUTDOWN');
    expect(attempt.masterContainer?.state).toBe('KILLED');
    const hb = await t.heartbeat(N1);
    expect(hb.containersToCleanup).toContain(attempt.masterContainer?.id);
    expect(hb.applicationsToCleanup).toContain(app.appId);
  });

  it('a second kill of a KILLED app changes nothing', async () => {
    t = new RmTestContext();
    await t.registerNode(N1);
    const { app } = await t.runningApp(N1);
    await kill(app);
    const finishTime = app.finishTime;
    await kill(app);
    expect(app.state).toBe('KILLED');
    expect(app.finishTime).toBe(finishTime);
  });

  it('kills an app still waiting for its AM container', async () => {
    t = new RmTestContext();
    const app = await t.submitApp();
    await kill(app);
    expect(app.currentAttempt?.state).toBe('KILLED');
    expect(app.state).toBe('KILLED');
  });

  // BUG: RmApp.finished() calls ctx.appFinished() from inside the transition action, before the
  // state machine has entered KILLED/FAILED, so ResourceManager.appFinished() sees FINAL_SAVING.
  it('counts killed apps in the cluster metrics', async () => {
    t = new RmTestContext();
    await t.registerNode(N1);
    const { app } = await t.runningApp(N1);
    await kill(app);
    expect(app.state).toBe('KILLED');
    expect(t.rm.clientRm.counters).toMatchObject({ appsCompleted: 1, appsKilled: 1 });
  });

  // Same cause: the app being finished is not yet final when retention counts the finished apps,
  // so one more than yarn.resourcemanager.max-completed-applications is kept.
  it('keeps at most max-completed-applications finished apps', async () => {
    t = new RmTestContext({ properties: { 'yarn.resourcemanager.max-completed-applications': 1 } });
    await t.registerNode(N1);
    const first = await finishApp();
    const second = await finishApp();
    expect(first.state).toBe('FINISHED');
    expect(second.state).toBe('FINISHED');
    expect([...t.ctx.apps.keys()]).toEqual([second.appId]);
  });
});
