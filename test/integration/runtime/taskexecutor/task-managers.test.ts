import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import { newFlinkId, type TaskManagerLocation } from '../../../../runtime/protocol/records.ts';
import { httpTaskExecutorGateways, type TaskExecutorGateway } from '../../../../runtime/protocol/task-executor-gateway.ts';
import { MemoryTextOutput } from '../../../../runtime/streaming/text-output.ts';
import { TaskManagerRunner } from '../../../../runtime/taskexecutor/task-manager-runner.ts';
import { FakeJobManager } from './fake-job-manager.ts';
import { compiledJobFile, deployJob, type PlacedTask } from './job-deployment.ts';

const JOB_FILE = fileURLToPath(new URL('./fixtures/keyed-sum-job.ts', import.meta.url));
const BLOB_KEY = 'keyed-sum-job';

let jm: FakeJobManager | undefined;
const runners: TaskManagerRunner[] = [];
const fatal: Error[] = [];

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  await jm?.stop();
  jm = undefined;
  fatal.length = 0;
});

interface StartedTm {
  readonly runner: TaskManagerRunner;
  readonly location: TaskManagerLocation;
  readonly rpc: TaskExecutorGateway;
}

async function startTm(fakeJm: FakeJobManager, resourceId: string): Promise<StartedTm> {
  const runner = new TaskManagerRunner({
    config: {
      jobManagerUrl: fakeJm.url,
      resourceId,
      host: '127.0.0.1',
      numberOfSlots: 1,
      memoryMb: 512,
      workDir: null,
      logLevel: 'silent',
      flink: createFlinkConfiguration({ 'heartbeat.interval': '200', 'heartbeat.timeout': '5000' }),
    },
    logger: createSilentLogger(),
    stdout: new MemoryTextOutput(),
    onFatalError: (err) => fatal.push(err),
  });
  runners.push(runner);
  const endpoints = await runner.start();
  return { runner, location: { resourceId, address: endpoints.address, dataAddress: endpoints.dataAddress, host: '127.0.0.1' }, rpc: httpTaskExecutorGateways()(endpoints.address) };
}

/** Two TMs with one slot each, both slots allocated to one job and accepted by its JobMaster; the job deployed. */
async function runJob(args: string[]): Promise<{ fakeJm: FakeJobManager; tms: StartedTm[]; tasks: PlacedTask[] }> {
  const fakeJm = (jm = new FakeJobManager());
  await fakeJm.start();
  fakeJm.blobs.set(BLOB_KEY, await compiledJobFile(JOB_FILE));
  const tms = [await startTm(fakeJm, 'tm-1'), await startTm(fakeJm, 'tm-2')];
  await fakeJm.waitFor('both TMs registered', () => fakeJm.registrations.length >= 2);
  const jobId = newFlinkId();
  const allocations = tms.map(() => newFlinkId());
  for (const [i, tm] of tms.entries()) {
    await tm.rpc.requestSlot({
      body: {
        slotId: { resourceId: tm.location.resourceId, slotNumber: 0 },
        jobId,
        allocationId: allocations[i]!,
        resourceProfile: { cpuCores: 1, taskHeapMemoryMb: 512, managedMemoryMb: 0 },
        targetAddress: fakeJm.url,
        resourceManagerId: newFlinkId(),
      },
    });
  }
  await fakeJm.waitFor('both slots offered', () => fakeJm.offers.length >= 2);
  // The offer was accepted: let the TM mark the slot ACTIVE before deploying into it.
  await fakeJm.waitFor('slots active', () => tms.every((tm) => tm.runner.slotTable.slot(0)?.state === 'ACTIVE'));
  const { tasks } = await deployJob({
    jobId,
    file: JOB_FILE,
    blobKey: BLOB_KEY,
    args,
    jobMasterAddress: fakeJm.url,
    slots: tms.map((tm, i) => ({ location: tm.location, allocationId: allocations[i]! })),
  });
  const byResource = new Map(tms.map((tm) => [tm.location.resourceId, tm]));
  // Consumers first, as a scheduler may: their partition requests wait for the producers.
  for (const task of [...tasks].reverse()) await byResource.get(task.location.resourceId)!.rpc.submitTask({ body: { tdd: task.tdd, jobMasterId: fakeJm.jobMasterId } });
  return { fakeJm, tms, tasks };
}

const ids = (tasks: readonly PlacedTask[]): string[] => tasks.map((t) => t.tdd.executionAttemptId);

describe('two TaskManagers in one process, real HTTP and TCP', () => {
  it('runs generator -> keyBy -> sum -> collect across TMs: exact results, every task FINISHED in order', async () => {
    const RECORDS = 200_000;
    const KEYS = 7;
    const { fakeJm, tms, tasks } = await runJob(['--records', String(RECORDS), '--keys', String(KEYS)]);
    expect(tasks).toHaveLength(4);
    await fakeJm.waitFor(
      'all tasks FINISHED',
      () => {
        const failed = ids(tasks).map((id) => fakeJm.lastUpdateOf(id)).find((u) => u?.state === 'FAILED');
        if (failed) throw new Error(`task failed: ${failed.error?.stack ?? '?'}`);
        return ids(tasks).every((id) => fakeJm.statesOf(id).at(-1) === 'FINISHED');
      },
      25_000,
    );
    for (const id of ids(tasks)) expect(fakeJm.statesOf(id)).toEqual(['DEPLOYING', 'INITIALIZING', 'RUNNING', 'FINISHED']);

    // Running sums per key: key k has RECORDS/KEYS (+1) records, so its sums are exactly 1..n_k.
    const sums = fakeJm.collected.get('sums') as { key: string; value: number; seq: number }[];
    expect(sums).toHaveLength(RECORDS);
    const byKey = new Map<string, number[]>();
    for (const r of sums) {
      let values = byKey.get(r.key);
      if (!values) byKey.set(r.key, (values = []));
      values.push(r.value);
    }
    expect(byKey.size).toBe(KEYS);
    for (let k = 0; k < KEYS; k++) {
      const n = Math.floor(RECORDS / KEYS) + (k < RECORDS % KEYS ? 1 : 0);
      expect(byKey.get(`k${k}`)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    }

    // Records crossed TMs over TCP: each TM's network served a remote consumer.
    for (const tm of tms) {
      expect(tm.runner.network.connections.numClientConnections + tm.runner.network.connections.numServerConnections).toBeGreaterThan(0);
    }
    // Final states carry I/O metrics: sources wrote every record, sums read every record.
    const sources = tasks.filter((t) => t.vertexName.startsWith('Source'));
    const written = sources.reduce((n, t) => n + (fakeJm.lastUpdateOf(t.tdd.executionAttemptId)?.ioMetrics?.writeRecords ?? 0), 0);
    const read = tasks.filter((t) => !t.vertexName.startsWith('Source')).reduce((n, t) => n + (fakeJm.lastUpdateOf(t.tdd.executionAttemptId)?.ioMetrics?.readRecords ?? 0), 0);
    expect(written).toBe(RECORDS);
    expect(read).toBe(RECORDS);
    // Slots stay allocated to the job until the JobMaster frees them.
    for (const [i, tm] of tms.entries()) {
      await tm.rpc.freeSlot({ body: { allocationId: tasks[i]!.tdd.allocationId, cause: 'job finished' } });
      expect(tm.runner.slotTable.slot(0)?.state).toBe('FREE');
      expect(tm.runner.network.partitions.size).toBe(0);
    }
    expect(fatal).toEqual([]);
    // Stopped, the TaskManagers leave no socket and no buffer behind.
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await fakeJm.stop();
    for (const tm of tms) expect(tm.runner.network.bufferPool.usedSegments).toBe(0);
    // Closed handles leave the list on a later turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP'))).toEqual([]);
  });

  it('cancels a running unbounded job: every task ends CANCELED', async () => {
    const { fakeJm, tms, tasks } = await runJob(['--rate', '20000']);
    await fakeJm.waitFor('all RUNNING', () => ids(tasks).every((id) => fakeJm.statesOf(id).includes('RUNNING')));
    await fakeJm.waitFor('some results', () => (fakeJm.collected.get('sums')?.length ?? 0) > 100);
    const byResource = new Map(tms.map((tm) => [tm.location.resourceId, tm]));
    // Consumers first, as a JobMaster cancels: a producer's released partition would otherwise fail them.
    for (const task of [...tasks].reverse()) await byResource.get(task.location.resourceId)!.rpc.cancelTask({ body: { executionAttemptId: task.tdd.executionAttemptId } });
    await fakeJm.waitFor('all CANCELED', () => ids(tasks).every((id) => fakeJm.statesOf(id).at(-1) === 'CANCELED'));
    for (const id of ids(tasks)) expect(fakeJm.statesOf(id)).toEqual(['DEPLOYING', 'INITIALIZING', 'RUNNING', 'CANCELED']);
    await fakeJm.waitFor('tasks removed from slots', () => tms.every((tm) => tm.runner.slotTable.tasks().length === 0));
  });

  it('fails the task whose map throws, with the exception message and stack', async () => {
    const { fakeJm, tms, tasks } = await runJob(['--records', '100000', '--fail-at', '5001']);
    // Record 5001 is produced by source subtask 1 (indices i, i+2, ...).
    const failing = tasks.find((t) => t.vertexName.startsWith('Source') && t.tdd.subtaskIndex === 1)!;
    const failed = await fakeJm.waitFor('the failing source FAILED', () => {
      const last = fakeJm.lastUpdateOf(failing.tdd.executionAttemptId);
      return last?.state === 'FAILED' ? last : undefined;
    });
    expect(failed.error?.message).toBe('boom at record 5001');
    expect(failed.error?.stack).toContain('boom at record 5001');
    expect(failed.error?.stack).toContain('keyed-sum-job.ts');
    // The JobMaster would now cancel the rest; do it, and every task ends.
    const byResource = new Map(tms.map((tm) => [tm.location.resourceId, tm]));
    for (const task of tasks) {
      await byResource.get(task.location.resourceId)!.rpc.cancelTask({ body: { executionAttemptId: task.tdd.executionAttemptId } }).catch(() => {});
    }
    await fakeJm.waitFor('every task terminal', () => ids(tasks).every((id) => ['FAILED', 'CANCELED', 'FINISHED'].includes(fakeJm.statesOf(id).at(-1) ?? '')));
  });
});
