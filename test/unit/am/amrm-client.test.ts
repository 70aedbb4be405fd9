import { describe, expect, it } from 'vitest';
import { AMRMClient, type AMRMClientHandler } from '../../../am/amrm-client.ts';
import { containerRequest } from '../../../am/container-request.ts';
import { NmTokenCache } from '../../../am/nm-token-cache.ts';
import { ManualClock } from '../../../rm/common/clock.ts';
import { WeftError } from '../../../rm/common/errors.ts';
import { createMemoryLogger } from '../../../rm/common/logger.ts';
import type { Container, ContainerStatus } from '../../../rm/protocol/records.ts';
import { FakeAmRmGateway, askKey, container } from '../../doubles/fake-amrm-gateway.ts';

const SMALL = { memory: 128, vCores: 1 } as const;
const BIG = { memory: 1024, vCores: 2 } as const;

interface Recorder extends AMRMClientHandler {
  allocated: Container[];
  completed: ContainerStatus[];
  errors: Error[];
  shutdowns: number;
}

function recorder(): Recorder {
  const r: Recorder = {
    allocated: [],
    completed: [],
    errors: [],
    shutdowns: 0,
    onContainersAllocated: (cs) => r.allocated.push(...cs),
    onContainersCompleted: (ss) => r.completed.push(...ss),
    onShutdownRequest: () => {
      r.shutdowns++;
    },
    onError: (e) => r.errors.push(e),
  };
  return r;
}

async function setup(options: { heartbeatIntervalMs?: number; maxConsecutiveFailures?: number } = {}) {
  const gateway = new FakeAmRmGateway();
  const clock = new ManualClock();
  const handler = recorder();
  const nmTokens = new NmTokenCache();
  const client = new AMRMClient({ gateway, clock, logger: createMemoryLogger().logger, handler, nmTokens, ...options });
  await client.register('am-host', -1, '');
  return { gateway, clock, handler, client, nmTokens };
}

/** Lets promise chains started by a fired timer run to completion, without real time passing. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('AMRMClient ask bookkeeping', () => {
  it('sends absolute outstanding counts and only the entries that changed', async () => {
    const { gateway, client } = await setup();
    client.addContainerRequest(containerRequest(SMALL, 1));
    client.addContainerRequest(containerRequest(SMALL, 1));
    client.addContainerRequest(containerRequest(BIG, 2));
    await client.heartbeat();
    expect(gateway.lastProcessed().ask.map((a) => [a.priority, a.resourceName, a.numContainers]).sort()).toEqual([
      [1, '*', 2],
      [2, '*', 1],
    ]);

    await client.heartbeat();
    expect(gateway.lastProcessed().ask).toEqual([]);

    // One more of the same kind: the ask carries the new total (3), never the delta (+1).
    client.addContainerRequest(containerRequest(SMALL, 1));
    await client.heartbeat();
    expect(gateway.lastProcessed().ask).toEqual([expect.objectContaining({ priority: 1, capability: SMALL, numContainers: 3 })]);
    expect(gateway.rmAsks.get(askKey(1, '*', SMALL))).toBe(3);
  });

  it('lowers the count on removeContainerRequest and sends a zero once', async () => {
    const { gateway, client } = await setup();
    const a = containerRequest(SMALL, 0);
    const b = containerRequest(SMALL, 0);
    client.addContainerRequest(a);
    client.addContainerRequest(b);
    await client.heartbeat();
    expect(client.removeContainerRequest(a)).toBe(true);
    await client.heartbeat();
    expect(gateway.lastProcessed().ask).toEqual([expect.objectContaining({ numContainers: 1 })]);
    client.removeContainerRequest(b);
    await client.heartbeat();
    expect(gateway.lastProcessed().ask).toEqual([expect.objectContaining({ numContainers: 0 })]);
    await client.heartbeat();
    expect(gateway.lastProcessed().ask).toEqual([]);
    expect(client.removeContainerRequest(b)).toBe(false);
  });

  it('lowers outstanding counts as containers arrive, so the RM does not over-allocate', async () => {
    const { gateway, client, handler } = await setup();
    for (let i = 0; i < 3; i++) client.addContainerRequest(containerRequest(SMALL, 0));
    await client.heartbeat();
    gateway.allocateNext([container(SMALL), container(SMALL)]);
    await client.heartbeat();
    expect(handler.allocated).toHaveLength(2);
    expect(client.outstanding(0, SMALL)).toBe(1);
    await client.heartbeat();
    // The next ask replaces the RM's count with what is really still outstanding.
    expect(gateway.lastProcessed().ask).toEqual([expect.objectContaining({ numContainers: 1 })]);
    expect(gateway.rmAsks.get(askKey(0, '*', SMALL))).toBe(1);
  });

  it('matches a container whose capability the RM rounded up', async () => {
    const { gateway, client } = await setup();
    client.addContainerRequest(containerRequest({ memory: 100, vCores: 1 }, 0));
    await client.heartbeat();
    gateway.allocateNext([container({ memory: 1024, vCores: 1 })]);
    await client.heartbeat();
    expect(client.outstanding(0, { memory: 100, vCores: 1 })).toBe(0);
    await client.heartbeat();
    expect(gateway.lastProcessed().ask).toEqual([expect.objectContaining({ numContainers: 0 })]);
  });

  it('keeps asks of different priorities and allocation ids apart', async () => {
    const { gateway, client } = await setup();
    client.addContainerRequest(containerRequest(SMALL, 0));
    client.addContainerRequest(containerRequest(SMALL, 1));
    client.addContainerRequest(containerRequest(SMALL, 1, { allocationRequestId: 7 }));
    await client.heartbeat();
    gateway.allocateNext([container(SMALL, 1)]);
    await client.heartbeat();
    expect(client.outstanding(0, SMALL)).toBe(1);
    expect(client.outstanding(1, SMALL)).toBe(0);
    expect(client.outstanding(1, SMALL, 7)).toBe(1);
  });

  it('sends host-level and ANY entries for a request with preferred nodes', async () => {
    const { gateway, client } = await setup();
    client.addContainerRequest(containerRequest(SMALL, 0, { nodes: ['host-a'] }));
    await client.heartbeat();
    expect(gateway.lastProcessed().ask.map((a) => [a.resourceName, a.numContainers]).sort()).toEqual([
      ['*', 1],
      ['host-a', 1],
    ]);
  });

  it('sends releases once and stores NM tokens', async () => {
    const { gateway, client, nmTokens } = await setup();
    client.addContainerRequest(containerRequest(SMALL, 0));
    await client.heartbeat();
    const c = container(SMALL, 0, 'host-b:1234');
    gateway.allocateNext([c]);
    await client.heartbeat();
    expect(nmTokens.get('host-b:1234')).toBe('nm-token-host-b:1234');
    client.releaseAssignedContainer(c.id);
    await client.heartbeat();
    expect(gateway.lastProcessed().release).toEqual([c.id]);
    await client.heartbeat();
    expect(gateway.lastProcessed().release).toEqual([]);
  });
});

describe('AMRMClient responseId handling', () => {
  it('echoes the responseId of the last response', async () => {
    const { gateway, client } = await setup();
    await client.heartbeat();
    await client.heartbeat();
    await client.heartbeat();
    expect(gateway.processed.map((r) => r.responseId)).toEqual([0, 1, 2]);
    expect(client.responseId).toBe(3);
  });

  it('retries the same request after a lost response and gets the cached answer once', async () => {
    const { gateway, client, handler } = await setup();
    client.addContainerRequest(containerRequest(SMALL, 0));
    client.addContainerRequest(containerRequest(SMALL, 0));
    await client.heartbeat();
    const c = container(SMALL);
    gateway.allocateNext([c]);
    client.addContainerRequest(containerRequest(SMALL, 0));
    gateway.failNext('drop-response');
    await client.heartbeat();
    expect(handler.allocated).toEqual([]);
    expect(handler.errors).toEqual([]);

    await client.heartbeat();
    const [first, retry] = gateway.attempted.slice(-2);
    expect(retry).toEqual(first);
    expect(handler.allocated.map((x) => x.id)).toEqual([c.id]);
    expect(gateway.processed).toHaveLength(2);
    expect(client.responseId).toBe(2);
  });

  it('retries the same request when it never reached the RM', async () => {
    const { gateway, client } = await setup();
    client.addContainerRequest(containerRequest(SMALL, 0));
    gateway.failNext('drop-request');
    await client.heartbeat();
    expect(gateway.processed).toHaveLength(0);
    await client.heartbeat();
    expect(gateway.processed).toHaveLength(1);
    expect(gateway.lastProcessed()).toEqual(gateway.attempted[0]);
    expect(gateway.rmAsks.get(askKey(0, '*', SMALL))).toBe(1);
  });

  it('gives up after too many network failures in a row and reports the error', async () => {
    const { gateway, client, handler } = await setup({ maxConsecutiveFailures: 2 });
    for (let i = 0; i < 3; i++) gateway.failNext('drop-request');
    await client.heartbeat();
    await client.heartbeat();
    expect(handler.errors).toEqual([]);
    await client.heartbeat();
    expect(handler.errors).toHaveLength(1);
    expect(client.isRegistered).toBe(false);
  });

  it('reports a non-retryable error to onError', async () => {
    const { client, handler } = await setup();
    const gateway = (client as unknown as { gateway: FakeAmRmGateway }).gateway;
    gateway.allocate = () => Promise.reject(new WeftError('InvalidToken', 'bad AMRM token'));
    await client.heartbeat();
    expect(handler.errors.map((e) => e.message)).toEqual(['bad AMRM token']);
  });
});

describe('AMRMClient resync', () => {
  it('re-registers on AM_RESYNC and re-sends every outstanding ask and unconfirmed release', async () => {
    const { gateway, client } = await setup();
    client.addContainerRequest(containerRequest(SMALL, 0));
    client.addContainerRequest(containerRequest(SMALL, 0));
    client.addContainerRequest(containerRequest(BIG, 1));
    await client.heartbeat();
    client.releaseAssignedContainer('container_1700000000000_0001_01_000099');
    gateway.commandNext('AM_RESYNC');
    await client.heartbeat();
    expect(gateway.registrations).toHaveLength(2);
    expect(gateway.rmAsks.size).toBe(0);

    await client.heartbeat();
    const request = gateway.lastProcessed();
    expect(request.responseId).toBe(0);
    expect(request.ask.map((a) => [a.priority, a.numContainers]).sort()).toEqual([
      [0, 2],
      [1, 1],
    ]);
    expect(request.release).toEqual(['container_1700000000000_0001_01_000099']);
    expect(gateway.rmAsks.get(askKey(0, '*', SMALL))).toBe(2);
  });

  it('re-registers when the RM answers ApplicationMasterNotRegistered', async () => {
    const { gateway, client, handler } = await setup();
    client.addContainerRequest(containerRequest(SMALL, 0));
    await client.heartbeat();
    await client.heartbeat();
    gateway.forget();
    await client.heartbeat();
    expect(gateway.registrations).toHaveLength(2);
    await client.heartbeat();
    expect(gateway.lastProcessed()).toMatchObject({ responseId: 0, ask: [expect.objectContaining({ numContainers: 1 })] });
    expect(handler.errors).toEqual([]);
  });

  it('stops and tells the handler on AM_SHUTDOWN', async () => {
    const { gateway, client, handler, clock } = await setup();
    client.start();
    gateway.commandNext('AM_SHUTDOWN');
    clock.advance(1000);
    await flush();
    expect(handler.shutdowns).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('AMRMClient heartbeat loop and finish', () => {
  it('heartbeats on the injected clock at the configured interval', async () => {
    const { gateway, client, clock } = await setup({ heartbeatIntervalMs: 500 });
    client.start();
    clock.advance(499);
    await flush();
    expect(gateway.attempted).toHaveLength(0);
    clock.advance(1);
    await flush();
    expect(gateway.attempted).toHaveLength(1);
    clock.advance(500);
    await flush();
    clock.advance(500);
    await flush();
    expect(gateway.processed.map((r) => r.responseId)).toEqual([0, 1, 2]);
    client.stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('retries finishApplicationMaster until the RM says unregistered', async () => {
    const { gateway, client, clock } = await setup();
    client.start();
    gateway.unregisterAfter = 3;
    const done = client.finish('SUCCEEDED', 'all good');
    await flush();
    expect(gateway.finishes).toHaveLength(1);
    clock.advance(100);
    await flush();
    clock.advance(100);
    await done;
    expect(gateway.finishes).toHaveLength(3);
    expect(gateway.finishes[0]).toMatchObject({ finalApplicationStatus: 'SUCCEEDED', diagnostics: 'all good' });
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('AMRMClient metrics endpoints', () => {
  it("announces the handler's endpoints on every allocate, and sends none when the handler has none", async () => {
    const { gateway, client, handler } = await setup();
    await client.heartbeat();
    expect(gateway.lastProcessed().metricsEndpoints).toBeUndefined();

    let endpoints = [{ containerId: 'container_1_0001_01_000001', address: 'a:8081', metricsPath: '/prom', component: 'jobmanager' }];
    handler.getMetricsEndpoints = () => endpoints;
    await client.heartbeat();
    expect(gateway.lastProcessed().metricsEndpoints).toEqual(endpoints);
    // Absolute each time: the RM replaces its list, so a TaskManager that left is gone with the next call.
    endpoints = [...endpoints, { containerId: 'container_1_0001_01_000002', address: 'a:4000', metricsPath: '/prom', component: 'taskmanager' }];
    await client.heartbeat();
    expect(gateway.lastProcessed().metricsEndpoints).toHaveLength(2);
    endpoints = endpoints.slice(0, 1);
    await client.heartbeat();
    expect(gateway.lastProcessed().metricsEndpoints?.map((e) => e.component)).toEqual(['jobmanager']);
  });
});
