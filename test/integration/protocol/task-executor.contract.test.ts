import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../rm/common/logger.ts';
import { newFlinkId } from '../../../runtime/protocol/records.ts';
import { httpTaskExecutorGateways, type TaskExecutorGateway } from '../../../runtime/protocol/task-executor-gateway.ts';
import { TaskExecutorServer } from '../../../runtime/taskexecutor/task-executor-server.ts';
import { buildJob, createHarness, RESOURCE_ID, settle, tddFor, type TaskExecutorHarness } from '../../unit/runtime/taskexecutor/task-executor-fixture.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { failure } from './call-failure.ts';

/**
 * TaskExecutorGateway's contract: the HTTP client against a TaskManager's RPC port and the
 * TaskExecutor's in-process gateway allocate slots, run tasks and report alike, and refuse alike.
 */
type Transport = (tm: RunningTaskManager) => TaskExecutorGateway;
const transports: Record<string, Transport> = {
  http: (tm) => httpTaskExecutorGateways()(tm.url),
  'in-process': (tm) => tm.harness.executor.inProcessGateway(),
};

interface RunningTaskManager {
  readonly harness: TaskExecutorHarness;
  readonly server: TaskExecutorServer;
  readonly url: string;
}

let running: RunningTaskManager | undefined;
afterEach(async () => {
  if (!running) return;
  await running.harness.executor.stop();
  await running.server.stop();
  await running.harness.network.close();
  running = undefined;
});

async function taskManager(): Promise<RunningTaskManager> {
  const harness = createHarness();
  const server = new TaskExecutorServer(harness.executor, createSilentLogger());
  const url = await server.start('127.0.0.1');
  harness.executor.start(url, '127.0.0.1:1');
  await settle();
  running = { harness, server, url };
  return running;
}

const profile = { cpuCores: 1, taskHeapMemoryMb: 512, managedMemoryMb: 0 };
const resourceManagerId = newFlinkId();

/** Asks for slot `slotNumber` for a new job and waits until the TaskManager offered it to the job's JobMaster. */
async function offeredSlot(tm: RunningTaskManager, gateway: TaskExecutorGateway, slotNumber: number): Promise<{ jobId: string; allocationId: string }> {
  const jobId = newFlinkId();
  const allocationId = newFlinkId();
  await gateway.requestSlot({ body: { slotId: { resourceId: RESOURCE_ID, slotNumber }, jobId, allocationId, resourceProfile: profile, targetAddress: 'http://jm', resourceManagerId } });
  await waitFor(() => tm.harness.jms.log.includes(`offer:${slotNumber}`), { description: 'the slot offered to the JobMaster', intervalMs: 10 });
  return { jobId, allocationId };
}

describe.each(Object.keys(transports))('TaskExecutorGateway over %s', (name) => {
  const connect = transports[name]!;

  it('allocates a slot for a job, runs a task in it to FINISHED, and frees it, as the slot reports say', async () => {
    const tm = await taskManager();
    const gateway = connect(tm);
    const { jobId, allocationId } = await offeredSlot(tm, gateway, 0);
    const allocated = await gateway.heartbeatFromResourceManager({ body: { resourceManagerId } });
    expect(allocated.slotReport.find((s) => s.slotId.slotNumber === 0)).toMatchObject({ allocationId, jobId });
    expect(allocated.slotReport.find((s) => s.slotId.slotNumber === 1)).toMatchObject({ allocationId: null, jobId: null });

    const job = buildJob(jobId, (env) => void env.fromElements(1, 2, 3).collect('out'));
    tm.harness.jobs.set(jobId, job);
    const tdd = tddFor(job, allocationId);
    await gateway.submitTask({ body: { tdd, jobMasterId: newFlinkId() } });
    await waitFor(() => tm.harness.jms.statesOf(tdd.executionAttemptId).includes('FINISHED'), { description: 'FINISHED', intervalMs: 10 });
    expect(tm.harness.jms.statesOf(tdd.executionAttemptId)).toEqual(['DEPLOYING', 'INITIALIZING', 'RUNNING', 'FINISHED']);
    expect(tm.harness.jms.collected).toEqual([1, 2, 3]);
    expect(await gateway.heartbeatFromJobManager({ body: { jobId } })).toEqual({ executions: [] });

    await gateway.freeSlot({ body: { allocationId, cause: 'job finished' } });
    const freed = await gateway.heartbeatFromResourceManager({ body: { resourceManagerId } });
    expect(freed.slotReport.every((s) => s.allocationId === null)).toBe(true);
  });

  it('reports a running task to its JobMaster and cancels it', async () => {
    const tm = await taskManager();
    const gateway = connect(tm);
    const { jobId, allocationId } = await offeredSlot(tm, gateway, 1);
    const job = buildJob(jobId, (env) => void env.fromGenerator({ rate: 5, generate: (i) => i }).collect('out'));
    tm.harness.jobs.set(jobId, job);
    const tdd = tddFor(job, allocationId);
    await gateway.submitTask({ body: { tdd, jobMasterId: newFlinkId() } });
    await waitFor(() => tm.harness.jms.statesOf(tdd.executionAttemptId).includes('RUNNING'), { description: 'RUNNING', intervalMs: 10 });
    const { executions } = await gateway.heartbeatFromJobManager({ body: { jobId } });
    expect(executions).toMatchObject([{ executionAttemptId: tdd.executionAttemptId, state: 'RUNNING' }]);
    await gateway.cancelTask({ body: { executionAttemptId: tdd.executionAttemptId } });
    await waitFor(() => tm.harness.jms.statesOf(tdd.executionAttemptId).includes('CANCELED'), { description: 'CANCELED', intervalMs: 10 });
  });

  it('refuses a slot of another TaskManager, a task without its slot, and a malformed request with the same error kinds', async () => {
    const tm = await taskManager();
    const gateway = connect(tm);
    const foreign = await failure(gateway.requestSlot({ body: { slotId: { resourceId: 'tm-other', slotNumber: 0 }, jobId: newFlinkId(), allocationId: newFlinkId(), resourceProfile: profile, targetAddress: 'http://jm', resourceManagerId } }));
    expect(foreign.kind).toBe('BadRequest');
    expect(foreign.message).toContain('is not a slot of TaskManager tm-unit');

    const job = buildJob(newFlinkId(), (env) => void env.fromElements(1).collect('out'));
    const homeless = await failure(gateway.submitTask({ body: { tdd: tddFor(job, newFlinkId()), jobMasterId: newFlinkId() } }));
    expect(homeless.message).toMatch(/not connected to the JobMaster|no slot of TaskManager tm-unit is allocated/);

    const bad = await failure(gateway.freeSlot({ body: { allocationId: 'not-an-id' } as never }));
    expect(bad.kind).toBe('BadRequest');
  });
});
