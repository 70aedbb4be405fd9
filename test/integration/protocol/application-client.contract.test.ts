import { afterEach, describe, expect, it } from 'vitest';
import { httpApplicationClientProtocol, type ApplicationClientProtocol, type ApplicationSubmissionContextInfo } from '../../../rm/protocol/client-rm.ts';
import { failure } from './call-failure.ts';
import { RmHarness, settle } from '../../doubles/rm-harness.ts';

/**
 * ApplicationClientProtocol's contract: the HTTP client against a listening RM and the RM's
 * in-process client submit, report and kill applications alike, and refuse alike.
 */
type Transport = (h: RmHarness, user: string | undefined) => ApplicationClientProtocol;
const transports: Record<string, Transport> = {
  // An empty user.name is no user at all, as the RM reads the query.
  http: (h, user) => httpApplicationClientProtocol({ rmUrl: h.rm.url, user: user ?? '' }),
  'in-process': (h, user) => h.rm.clientRm.inProcessClient(user),
};

let h: RmHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function cluster(): Promise<RmHarness> {
  const harness = await new RmHarness().start();
  h = harness;
  await harness.addNode('a:1');
  return harness;
}

const context = (appId: string, name = 'contract'): ApplicationSubmissionContextInfo => ({
  'application-id': appId,
  'application-name': name,
  'am-container-spec': { commands: { command: 'sleep 100' } },
  resource: { memory: 1024, vCores: 1 },
}) as ApplicationSubmissionContextInfo;

describe.each(Object.keys(transports))('ApplicationClientProtocol over %s', (name) => {
  const connect = transports[name]!;

  it('submits an application and reads it back in the app report, the app list and its state', async () => {
    const harness = await cluster();
    const rm = connect(harness, 'alice');
    const created = await rm.newApplication({});
    expect(created['application-id']).toMatch(/^application_\d+_0001$/);
    expect(created['maximum-resource-capability']).toMatchObject({ memory: 8192, vCores: 32 });
    const appId = created['application-id'];
    await rm.submitApplication({ body: context(appId, 'read-me-back') });
    await settle();

    const { app } = await rm.app({ params: { appid: appId } });
    expect(app).toMatchObject({ id: appId, name: 'read-me-back', user: 'alice', queue: 'default', state: 'ACCEPTED', finalStatus: 'UNDEFINED' });
    const listed = await rm.apps({ query: { states: 'ACCEPTED' } });
    expect(listed.apps?.app.map((a) => a.id)).toEqual([appId]);
    expect(await rm.apps({ query: { states: 'RUNNING' } })).toEqual({ apps: null });
    expect(await rm.appState({ params: { appid: appId } })).toEqual({ state: 'ACCEPTED' });
    const { appAttempts } = await rm.appAttempts({ params: { appid: appId } });
    expect(appAttempts.appAttempt).toHaveLength(1);
    const { nodes } = await rm.nodes({});
    expect(nodes?.node.map((n) => n.id)).toEqual(['a:1']);
  });

  it('kills an application: the current state while the kill is under way, then KILLED', async () => {
    const harness = await cluster();
    const rm = connect(harness, 'alice');
    const appId = (await rm.newApplication({}))['application-id'];
    await rm.submitApplication({ body: context(appId) });
    await settle();
    expect(await rm.updateAppState({ params: { appid: appId }, body: { state: 'KILLED' } })).toEqual({ state: 'ACCEPTED' });
    await settle();
    expect(await rm.updateAppState({ params: { appid: appId }, body: { state: 'KILLED' } })).toEqual({ state: 'KILLED' });
    const { app } = await rm.app({ params: { appid: appId } });
    expect(app).toMatchObject({ state: 'KILLED', finalStatus: 'KILLED' });
    expect(app.diagnostics).toContain('was killed by user alice');
  });

  it('refuses an anonymous writer, an unknown or malformed app id, an id it never gave out and a target state other than KILLED', async () => {
    const harness = await cluster();
    const anonymous = await failure(connect(harness, undefined).newApplication({}));
    expect(anonymous.kind).toBe('Authorization');
    expect(anonymous.message).toContain('Unable to obtain user name');

    const rm = connect(harness, 'alice');
    const unknown = await failure(rm.app({ params: { appid: 'application_1_0042' } }));
    expect(unknown.kind).toBe('NotFound');
    expect((await failure(rm.app({ params: { appid: 'not-an-app' } }))).kind).toBe('BadRequest');
    const never = await failure(rm.submitApplication({ body: context('application_1_0042') }));
    expect(never.kind).toBe('BadRequest');

    const appId = (await rm.newApplication({}))['application-id'];
    await rm.submitApplication({ body: context(appId) });
    const running = await failure(rm.updateAppState({ params: { appid: appId }, body: { state: 'RUNNING' } }));
    expect(running.kind).toBe('BadRequest');
    expect(running.message).toContain("Only 'KILLED' is allowed");
  });
});
