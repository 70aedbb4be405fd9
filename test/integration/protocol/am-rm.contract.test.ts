import { afterEach, describe, expect, it } from 'vitest';
import { httpApplicationMasterProtocol, type AllocateRequest, type ApplicationMasterProtocol } from '../../../rm/protocol/am-rm.ts';
import { AMRM_TOKEN_ALIAS, decodeCredentials } from '../../../rm/protocol/tokens.ts';
import { failure } from './call-failure.ts';
import { RmHarness } from '../../doubles/rm-harness.ts';

/**
 * ApplicationMasterProtocol's contract: the HTTP client against a listening RM and the RM's
 * in-process client answer every call alike, errors included.
 */
type Transport = (h: RmHarness, token: () => string) => ApplicationMasterProtocol;
const transports: Record<string, Transport> = {
  http: (h, token) => httpApplicationMasterProtocol({ rmUrl: h.rm.url, token }),
  'in-process': (h, token) => h.rm.appMaster.inProcessClient(token),
};

let h: RmHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const ask = (n: number) => ({ priority: 1, resourceName: '*', capability: { memory: 1024, vCores: 1 }, numContainers: n, relaxLocality: true, allocationRequestId: 0, executionType: 'GUARANTEED' as const });
const allocate = (responseId: number, more: Partial<AllocateRequest> = {}): { body: AllocateRequest } => ({
  body: { ask: [], release: [], responseId, progress: 0.5, ...more },
});

async function launchedAm(): Promise<{ harness: RmHarness; appId: string; token: string }> {
  const harness = await new RmHarness().start();
  h = harness;
  const nm = await harness.addNode('a:1');
  const appId = await harness.submit();
  const tokens = decodeCredentials(nm.started.at(-1)!.containerLaunchContext.tokens ?? '')?.tokens;
  const token = tokens?.[AMRM_TOKEN_ALIAS];
  if (!token) throw new Error('the AM container carries no AMRM token');
  return { harness, appId, token };
}

describe.each(Object.keys(transports))('ApplicationMasterProtocol over %s', (name) => {
  const connect = transports[name]!;

  it('registers, allocates with the responseId rules, and unregisters', async () => {
    const { harness, appId, token } = await launchedAm();
    const amRm = connect(harness, () => token);
    const reg = await amRm.registerApplicationMaster({ body: { host: 'localhost', rpcPort: 0, trackingUrl: '' } });
    expect(reg).toMatchObject({ maximumCapability: { memory: 8192, vCores: 32 }, queue: 'default', containersFromPreviousAttempts: [] });

    const first = await amRm.allocate(allocate(0, { ask: [ask(2)] }));
    expect(first.responseId).toBe(1);
    expect(first.allocatedContainers).toHaveLength(2);
    expect(first.nmTokens.map((t) => t.nodeId)).toEqual(['a:1']);
    // A retry of the same request gets the same answer, not new containers.
    const retry = await amRm.allocate(allocate(0, { ask: [ask(2)] }));
    expect(retry.allocatedContainers.map((c) => c.id)).toEqual(first.allocatedContainers.map((c) => c.id));
    const stale = await failure(amRm.allocate(allocate(5)));
    expect(stale.kind).toBe('InvalidApplicationMasterRequest');

    const finished = await amRm.finishApplicationMaster({ body: { finalApplicationStatus: 'SUCCEEDED', diagnostics: '', trackingUrl: '' } });
    expect(typeof finished.isUnregistered).toBe('boolean');
    expect(harness.rm.ctx.apps.get(appId)?.currentAttempt?.state).not.toBe('RUNNING');
  });

  it('applies the request defaults the schema names', async () => {
    const { harness, token } = await launchedAm();
    const amRm = connect(harness, () => token);
    await amRm.registerApplicationMaster({ body: {} as { host: string; rpcPort: number; trackingUrl: string } });
    const attempt = [...harness.rm.ctx.apps.values()][0]!.currentAttempt!;
    expect(attempt.state).toBe('RUNNING');
  });

  it('refuses allocate before register, a second register, a bad body and a bad token with the same error kinds', async () => {
    const { harness, token } = await launchedAm();
    const amRm = connect(harness, () => token);
    expect((await failure(amRm.allocate(allocate(0)))).kind).toBe('ApplicationMasterNotRegistered');
    await amRm.registerApplicationMaster({ body: { host: 'h', rpcPort: 1, trackingUrl: '' } });
    const again = await failure(amRm.registerApplicationMaster({ body: { host: 'h', rpcPort: 1, trackingUrl: '' } }));
    expect(again.kind).toBe('InvalidApplicationMasterRequest');
    expect(again.message).toContain('Application Master is already registered');
    const bad = await failure(amRm.allocate({ body: { responseId: 'one' } as unknown as AllocateRequest }));
    expect(bad.kind).toBe('BadRequest');
    expect(bad.message).toContain('Invalid request body');
    const stranger = connect(harness, () => 'not-a-token');
    expect((await failure(stranger.allocate(allocate(0)))).kind).toBe('InvalidToken');
  });
});
