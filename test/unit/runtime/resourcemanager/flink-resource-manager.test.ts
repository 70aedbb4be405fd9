import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { createMemoryLogger } from '../../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import { FlinkResourceManager } from '../../../../runtime/resourcemanager/flink-resource-manager.ts';
import { FakeDriver, FakeTaskExecutors, JOB_A, JOB_B, registration } from './fakes.ts';

const tick = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** Advances in heartbeat-sized steps, letting the (async) heartbeat answers arrive in between. */
async function advance(clock: ManualClock, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 500) {
    clock.advance(Math.min(500, left));
    await tick();
  }
}

async function setup(conf: Record<string, string> = {}) {
  const clock = new ManualClock();
  const driver = new FakeDriver();
  const tes = new FakeTaskExecutors();
  const config = createFlinkConfiguration({
    'taskmanager.numberOfTaskSlots': '2',
    'heartbeat.interval': '1000',
    'heartbeat.timeout': '5000',
    'resourcemanager.taskmanager-timeout': '30000',
    'resourcemanager.start-worker.max-failure-rate': '3',
    'resourcemanager.start-worker.retry-interval': '3000',
    ...conf,
  });
  const rm = new FlinkResourceManager({ config, clock, logger: createMemoryLogger().logger, driver, taskExecutors: tes.factory });
  await rm.start();
  const lost: [string, string][] = [];
  rm.onTaskManagerLost((id, cause) => lost.push([id, cause]));
  const handlers = rm.handlers();
  const register = async (resourceId: string, slots = 2) => {
    const res = await handlers.registerTaskExecutor({ body: registration(resourceId, slots), params: {}, query: {}, caller: undefined, origin: '' });
    if ('status' in res && res.status === 'success') return res;
    throw new Error(`registration rejected: ${JSON.stringify(res)}`);
  };
  const declare = (jobId: string, slots: number) =>
    rm.declareRequiredResources({ jobId, jobMasterAddress: `http://jm/${jobId}`, requirements: [{ resourceProfile: { cpuCores: 0, taskHeapMemoryMb: 0, managedMemoryMb: 0 }, numberOfRequiredSlots: slots }] });
  return { clock, driver, tes, rm, lost, handlers, register, declare };
}

describe('FlinkResourceManager', () => {
  it('registers a TaskManager with ids and the configured heartbeat settings; unknown heartbeats are told so', async () => {
    const { register, handlers, rm } = await setup();
    const res = await register('tm1');
    expect(res).toMatchObject({ status: 'success', resourceManagerId: rm.resourceManagerId, heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 5000 });
    expect(res.instanceId).toMatch(/^[0-9a-f]{32}$/);
    const hb = (instanceId: string) => handlers.heartbeatFromTaskManager({ body: { resourceId: 'tm1', instanceId, slotReport: [] }, params: {}, query: {}, caller: undefined, origin: '' });
    expect(await hb(res.instanceId)).toEqual({ known: true });
    expect(await hb('0'.repeat(32))).toEqual({ known: false });
    expect(rm.taskManagers()).toHaveLength(1);
    expect(rm.taskManagers()[0]).toMatchObject({ resourceId: 'tm1', numberOfSlots: 2, freeSlots: 2 });
  });

  it('requests ceil(missing / slots) workers, then has the TaskManagers offer slots to the JobMaster', async () => {
    const { driver, tes, register, declare, rm } = await setup();
    declare(JOB_A, 3);
    expect(driver.requested).toBe(2);
    expect(rm.numPendingTaskManagers).toBe(2);
    const w1 = driver.allocate();
    const w2 = driver.allocate();
    await tick();
    await register(w1);
    await register(w2);
    await tick();
    expect(tes.slotRequests).toHaveLength(3);
    expect(tes.slotRequests.every((r) => r.jobId === JOB_A && r.targetAddress === `http://jm/${JOB_A}`)).toBe(true);
    expect(driver.requested).toBe(2);
    expect(rm.taskManagers().reduce((n, tm) => n + tm.freeSlots, 0)).toBe(1);
  });

  it('treats declarations as absolute: a re-declaration replaces the previous one', async () => {
    const { driver, declare } = await setup();
    declare(JOB_A, 4);
    expect(driver.requested).toBe(2);
    declare(JOB_A, 4);
    expect(driver.requested).toBe(2);
    declare(JOB_A, 6);
    expect(driver.requested).toBe(3);
    declare(JOB_A, 1);
    expect(driver.requested).toBe(3);
    // Two of the three requests are no longer needed and have no container: withdrawn.
    expect(driver.withdrawn).toBe(2);
    expect(driver.pending).toHaveLength(1);
  });

  it('withdraws every request of a job that goes away before its TaskManagers arrive, without counting failures', async () => {
    const { driver, declare, rm } = await setup();
    declare(JOB_A, 4);
    expect(driver.requested).toBe(2);
    rm.disconnectJobManager(JOB_A, 'job cancelled');
    await tick();
    expect(driver.withdrawn).toBe(2);
    expect(rm.numPendingTaskManagers).toBe(0);
    declare(JOB_B, 2);
    expect(driver.requested).toBe(3);
  });

  it('re-asks a TaskManager whose "free" report may be stale instead of waiting for the next heartbeat', async () => {
    const { tes, register, declare, rm, handlers, clock } = await setup({ 'heartbeat.interval': '10000', 'heartbeat.timeout': '50000' });
    const reg = await register('tm1');
    declare(JOB_A, 1);
    await tick();
    expect(rm.taskManagers()[0]!.freeSlots).toBe(1);
    const allFree = [0, 1].map((slotNumber) => ({ slotId: { resourceId: 'tm1', slotNumber }, resourceProfile: { cpuCores: 1, taskHeapMemoryMb: 256, managedMemoryMb: 0 }, allocationId: null, jobId: null }));
    // The job is cancelled at once: it needs nothing more and its TaskManager frees the slot.
    declare(JOB_A, 0);
    // Right after the allocation a "free" may predate the requestSlot: set aside for now...
    await handlers.sendSlotReport({ body: { resourceId: 'tm1', instanceId: reg.instanceId, slotReport: allFree }, params: {}, query: {}, caller: undefined, origin: '' });
    expect(rm.taskManagers()[0]!.freeSlots).toBe(1);
    // ...and checked again with the TaskManager a second later, not at the next 10 s heartbeat.
    tes.reports.set(registration('tm1').location.address, allFree);
    await advance(clock, 1000);
    expect(tes.heartbeats).toHaveLength(1);
    expect(rm.taskManagers()[0]!.freeSlots).toBe(2);
  });

  it('frees a slot the moment its TaskManager says so (notifySlotAvailable), for the allocation it holds only', async () => {
    const { tes, register, declare, rm, handlers } = await setup({ 'heartbeat.interval': '10000', 'heartbeat.timeout': '50000' });
    const reg = await register('tm1');
    declare(JOB_A, 1);
    await tick();
    const request = tes.slotRequests[0]!;
    expect(rm.taskManagers()[0]!.freeSlots).toBe(1);
    declare(JOB_A, 0);
    const notify = (allocationId: string) =>
      handlers.notifySlotAvailable({ body: { resourceId: 'tm1', instanceId: reg.instanceId, slotId: { resourceId: 'tm1', slotNumber: request.slotNumber }, allocationId }, params: {}, query: {}, caller: undefined, origin: '' });
    // An allocation the slot no longer holds does not free it...
    await notify('0'.repeat(32));
    expect(rm.taskManagers()[0]!.freeSlots).toBe(1);
    // ...its own does, with no heartbeat and no grace period: the next job can have it now.
    await notify(request.allocationId);
    expect(rm.taskManagers()[0]!.freeSlots).toBe(2);
    expect(tes.heartbeats).toHaveLength(0);
  });

  it('shares one TaskManager between two jobs', async () => {
    const { driver, tes, register, declare } = await setup();
    await register('tm1');
    declare(JOB_A, 1);
    declare(JOB_B, 1);
    await tick();
    expect(tes.slotRequests.map((r) => [r.jobId, r.slotNumber])).toEqual([
      [JOB_A, 0],
      [JOB_B, 1],
    ]);
    expect(driver.requested).toBe(0);
  });

  it('releases a TaskManager idle for resourcemanager.taskmanager-timeout, not before', async () => {
    const { clock, driver, tes, register, declare, rm } = await setup();
    await register('tm1');
    declare(JOB_A, 2);
    await tick();
    tes.reports.set(registration('tm1').location.address, [0, 1].map((n) => ({ slotId: { resourceId: 'tm1', slotNumber: n }, resourceProfile: registration('tm1').defaultSlotResourceProfile, allocationId: null, jobId: null })));
    declare(JOB_A, 0);
    await advance(clock, 1000); // a heartbeat brings the report: both slots free again since t=1000
    expect(driver.released).toEqual([]);
    await advance(clock, 29_500);
    expect(driver.released).toEqual([]);
    await advance(clock, 500);
    expect(driver.released).toEqual(['tm1']);
    expect(rm.taskManagers()).toHaveLength(0);
  });

  it('replaces a TaskManager whose container completed while its slots are still needed', async () => {
    const { driver, register, declare, lost, rm } = await setup();
    declare(JOB_A, 2);
    const w1 = driver.allocate();
    await tick();
    await register(w1);
    await tick();
    rm.onWorkerTerminated(w1, 'Container exited with 137');
    expect(lost).toEqual([[w1, 'Container exited with 137']]);
    expect(driver.requested).toBe(2);
  });

  it('requests no replacement when the lost TaskManager is no longer needed', async () => {
    const { driver, register, declare, lost, rm } = await setup();
    declare(JOB_A, 2);
    const w1 = driver.allocate();
    await tick();
    await register(w1);
    declare(JOB_A, 0);
    rm.onWorkerTerminated(w1, 'gone');
    expect(lost).toHaveLength(1);
    expect(driver.requested).toBe(1);
  });

  it('removes a TaskManager silent for heartbeat.timeout and notifies listeners', async () => {
    const { clock, tes, register, lost, driver } = await setup({ 'heartbeat.rpc-failure-threshold': '-1' });
    await register('tm1');
    tes.unreachable.add(registration('tm1').location.address);
    for (let i = 0; i < 7; i++) {
      clock.advance(1000);
      await tick();
    }
    expect(lost.map(([id]) => id)).toEqual(['tm1']);
    expect(lost[0]![1]).toMatch(/heartbeat of TaskManager with id tm1 timed out/);
    expect(driver.released).toEqual(['tm1']);
  });

  it('removes a TaskManager after heartbeat.rpc-failure-threshold failed heartbeat requests in a row', async () => {
    const { clock, tes, register, lost } = await setup();
    await register('tm1');
    tes.unreachable.add(registration('tm1').location.address);
    await advance(clock, 1000);
    expect(lost).toEqual([]);
    await advance(clock, 1000);
    expect(lost).toEqual([['tm1', 'TaskManager with id tm1 is no longer reachable.']]);
  });

  it('rate-limits worker start failures: after the maximum per minute it pauses for the retry interval', async () => {
    const { clock, driver, declare } = await setup();
    declare(JOB_A, 2);
    expect(driver.requested).toBe(1);
    driver.fail();
    await tick();
    expect(driver.requested).toBe(2);
    driver.fail();
    await tick();
    expect(driver.requested).toBe(3);
    driver.fail(); // third failure within a minute: the maximum rate (3) is reached
    await tick();
    expect(driver.requested).toBe(3);
    clock.advance(2999);
    await tick();
    expect(driver.requested).toBe(3);
    clock.advance(1);
    await tick();
    expect(driver.requested).toBe(4);
  });

  it('counts a container that completes before its TaskManager registered as a start failure and replaces it', async () => {
    const { driver, declare, rm } = await setup();
    declare(JOB_A, 1);
    const w1 = driver.allocate();
    await tick();
    rm.onWorkerTerminated(w1, 'Container exited with 1');
    expect(driver.requested).toBe(2);
    expect(rm.numPendingTaskManagers).toBe(1);
  });

  it('frees a slot again when the TaskManager refuses the request', async () => {
    const { clock, tes, register, declare, rm } = await setup();
    tes.refuseSlots.add(registration('tm1').location.address);
    await register('tm1');
    declare(JOB_A, 1);
    await tick();
    expect(rm.taskManagers()[0]!.freeSlots).toBe(2);
    tes.refuseSlots.clear();
    clock.advance(200);
    await tick();
    expect(tes.slotRequests).toHaveLength(1);
  });

  it('stop releases every worker and terminates the driver', async () => {
    const { driver, register, declare, rm } = await setup();
    await register('tm1');
    declare(JOB_A, 3);
    const w = driver.allocate();
    await tick();
    await rm.stop();
    expect(driver.released.sort()).toEqual([w, 'tm1'].sort());
    expect(driver.terminated).toBe(true);
  });
});

describe('FlinkResourceManager pending resources (why a job waits for slots)', () => {
  it('counts requested and starting workers, with the oldest request time and the worker size', async () => {
    const { clock, driver, declare, rm } = await setup({ 'taskmanager.memory.process.size': '1728m' });
    expect(rm.pendingResources()).toEqual({ requestedWorkers: 0, startingWorkers: 0, workerResource: { memoryMb: 1728, cpuCores: 2, numberOfSlots: 2 } });
    clock.advance(1000);
    const asked = clock.now();
    declare(JOB_A, 4);
    clock.advance(500);
    driver.allocate();
    await tick();
    expect(rm.pendingResources()).toMatchObject({ requestedWorkers: 1, requestedSince: asked, startingWorkers: 1 });
  });

  it('keeps the latest failure and says when starting workers is paused', async () => {
    const { clock, driver, declare, rm } = await setup();
    const t0 = clock.now();
    declare(JOB_A, 2);
    for (let i = 0; i < 3; i++) {
      driver.fail(`no capacity ${i}`);
      await tick();
    }
    expect(rm.pendingResources()).toMatchObject({ requestedWorkers: 0, lastFailure: { message: 'no capacity 2', timestamp: t0 }, pausedUntil: t0 + 3000 });
    clock.advance(3000);
    await tick();
    expect(rm.pendingResources().pausedUntil).toBeUndefined();
    expect(rm.pendingResources().requestedWorkers).toBe(1);
  });

  it("passes on the driver's diagnostics only while requests are pending", async () => {
    const { driver, declare, rm } = await setup();
    const withDiagnostics = Object.assign(driver, { pendingRequestsDiagnostics: () => 'Queue root is at its maximum capacity' });
    declare(JOB_A, 2);
    expect(rm.pendingResources().providerDiagnostics).toBe('Queue root is at its maximum capacity');
    withDiagnostics.allocate();
    await tick();
    expect(rm.pendingResources().providerDiagnostics).toBeUndefined();
  });
});
