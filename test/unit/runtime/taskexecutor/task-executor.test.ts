import { afterEach, describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../../../../runtime/api/stream-execution-environment.ts';
import { newFlinkId } from '../../../../runtime/protocol/records.ts';
import { createHarness, buildJob, HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT, RESOURCE_ID, settle, tddFor, type TaskExecutorHarness } from './task-executor-fixture.ts';

let h: TaskExecutorHarness | undefined;
afterEach(async () => {
  await h?.executor.stop();
  await h?.network.close();
  h = undefined;
});

async function started(): Promise<TaskExecutorHarness> {
  h = createHarness();
  h.executor.start('http://tm-host:1', 'tm-host:2');
  await settle();
  return h;
}

/** Allocates slot `index` for a new job and lets the JobMaster accept it. */
async function activeSlot(harness: TaskExecutorHarness, index = 0): Promise<{ jobId: string; allocationId: string }> {
  const jobId = newFlinkId();
  const allocationId = newFlinkId();
  harness.executor.requestSlot({ resourceId: RESOURCE_ID, slotNumber: index }, jobId, allocationId, 'http://jm');
  await settle();
  return { jobId, allocationId };
}

describe('TaskExecutor and the ResourceManager', () => {
  it('registers with its location and slots, sends the slot report, and heartbeats every interval', async () => {
    const { rm, clock } = await started();
    expect(rm.registrations).toEqual([
      {
        location: { resourceId: RESOURCE_ID, address: 'http://tm-host:1', dataAddress: 'tm-host:2', host: 'tm-host' },
        numberOfSlots: 2,
        defaultSlotResourceProfile: { cpuCores: 1, taskHeapMemoryMb: 512, managedMemoryMb: 0 },
        memoryMb: 1024,
      },
    ]);
    expect(rm.slotReports).toHaveLength(1);
    expect(rm.slotReports[0]).toHaveLength(2);
    clock.advance(HEARTBEAT_INTERVAL);
    await settle();
    clock.advance(HEARTBEAT_INTERVAL);
    await settle();
    expect(rm.heartbeats).toHaveLength(2);
  });

  it('registers again when the RM answers a heartbeat with known:false', async () => {
    const { rm, clock } = await started();
    rm.known = false;
    clock.advance(HEARTBEAT_INTERVAL);
    await settle();
    expect(rm.registrations).toHaveLength(2);
    expect(rm.slotReports).toHaveLength(2);
  });

  it('keeps retrying an unreachable RM, then gives up (fatal) after heartbeat.timeout', async () => {
    h = createHarness();
    h.rm.reachable = false;
    h.executor.start('http://tm-host:1', 'tm-host:2');
    for (let t = 0; t < HEARTBEAT_TIMEOUT - 1000; t += 100) {
      h.clock.advance(100);
      await settle(2);
    }
    expect(h.fatal).toEqual([]);
    h.rm.reachable = true;
    h.clock.advance(1000);
    await settle();
    expect(h.rm.registrations).toHaveLength(1);
    expect(h.fatal).toEqual([]);
    // Registered; now the RM goes away for good.
    h.rm.reachable = false;
    for (let t = 0; t <= HEARTBEAT_TIMEOUT + HEARTBEAT_INTERVAL; t += HEARTBEAT_INTERVAL) {
      h.clock.advance(HEARTBEAT_INTERVAL);
      await settle(3);
    }
    expect(h.fatal).toHaveLength(1);
    expect(h.fatal[0]?.message).toMatch(/ResourceManager was unreachable for \d+ ms \(heartbeat.timeout 5000 ms\)/);
  });

  it('treats a rejected registration as fatal', async () => {
    h = createHarness();
    h.rm.reject = 'no thanks';
    h.executor.start('http://tm-host:1', 'tm-host:2');
    await settle();
    expect(h.fatal.map((e) => e.message)).toEqual([`the ResourceManager rejected the registration of TaskManager ${RESOURCE_ID}: no thanks`]);
  });
});

describe('TaskExecutor slots', () => {
  it('offers a requested slot to the JobMaster: accepted -> ACTIVE, rejected -> FREE and reported', async () => {
    const harness = await started();
    const { jobId } = await activeSlot(harness, 0);
    expect(harness.jms.log).toEqual([`register:${jobId}:${RESOURCE_ID}`, 'offer:0']);
    expect(harness.table.slot(0)?.state).toBe('ACTIVE');

    const rejected = newFlinkId();
    harness.jms.rejected.add(rejected);
    harness.executor.requestSlot({ resourceId: RESOURCE_ID, slotNumber: 1 }, jobId, rejected, 'http://jm');
    await settle();
    expect(harness.table.slot(1)?.state).toBe('FREE');
    expect(harness.rm.slotsAvailable).toEqual([`1:${rejected}`]);
  });

  it('rejects submitTask for an allocation it does not have, of another job, or being released', async () => {
    const harness = await started();
    const job = buildJob(newFlinkId(), (env) => void env.fromElements(1).collect('out'));
    harness.jobs.set(job.jobGraph.jobId, job);
    expect(() => harness.executor.submitTask(tddFor(job, newFlinkId()))).toThrow(/no slot of TaskManager tm-unit is allocated to [0-9a-f]{32}; cannot deploy task/);
    const other = await activeSlot(harness, 1);
    expect(() => harness.executor.submitTask(tddFor(job, other.allocationId))).toThrow(/belongs to job [0-9a-f]{32}, not to job/);
    // Released while a task runs: no more tasks go in.
    const otherJob = buildJob(other.jobId, (env) => void env.fromGenerator({ rate: 1, generate: (i) => i }).collect('out'));
    harness.jobs.set(other.jobId, otherJob);
    harness.executor.submitTask(tddFor(otherJob, other.allocationId));
    await settle();
    harness.executor.freeSlot(other.allocationId, 'test');
    expect(() => harness.executor.submitTask(tddFor(otherJob, other.allocationId))).toThrow(/is RELEASING, not ACTIVE/);
  });

  it('takes a task into an ALLOCATED slot of its job: the accepted offer may still be on its way (tryMarkSlotActive)', async () => {
    const harness = await started();
    const job = buildJob(newFlinkId(), (env) => void env.fromElements(1).collect('out'));
    harness.jobs.set(job.jobGraph.jobId, job);
    harness.jms.reachable = false; // the offer never gets an answer
    const allocationId = newFlinkId();
    harness.executor.requestSlot({ resourceId: RESOURCE_ID, slotNumber: 0 }, job.jobGraph.jobId, allocationId, 'http://jm');
    await settle();
    expect(harness.table.slot(0)?.state).toBe('ALLOCATED');
    // submitTask needs the job's JobMaster connection, which exists (still registering).
    harness.executor.submitTask(tddFor(job, allocationId));
    expect(harness.table.slot(0)?.state).toBe('ACTIVE');
  });

  it('frees the slots of a job whose JobMaster stays silent for heartbeat.timeout, cancelling its tasks', async () => {
    const harness = await started();
    const { jobId, allocationId } = await activeSlot(harness);
    const job = buildJob(jobId, (env) => void env.fromGenerator({ rate: 1, generate: (i) => i }).collect('out'));
    harness.jobs.set(jobId, job);
    const tdd = tddFor(job, allocationId);
    harness.executor.submitTask(tdd);
    await settle();
    expect(harness.jms.statesOf(tdd.executionAttemptId)).toEqual(['DEPLOYING', 'INITIALIZING', 'RUNNING']);
    harness.jms.reachable = false;
    for (let t = 0; t <= HEARTBEAT_TIMEOUT + HEARTBEAT_INTERVAL; t += HEARTBEAT_INTERVAL) {
      harness.clock.advance(HEARTBEAT_INTERVAL);
      await settle(3);
    }
    await settle();
    expect(harness.table.slot(0)?.state).toBe('FREE');
    expect(harness.table.tasks()).toEqual([]);
  });
});

describe('TaskExecutor tasks', () => {
  it('reports DEPLOYING -> INITIALIZING -> RUNNING -> FINISHED, with the collect results shipped before FINISHED', async () => {
    const harness = await started();
    const { jobId, allocationId } = await activeSlot(harness);
    const job = buildJob(jobId, (env) => void env.fromElements(1, 2, 3).map((x) => x * 10).collect('out'));
    harness.jobs.set(jobId, job);
    const tdd = tddFor(job, allocationId);
    harness.executor.submitTask(tdd);
    await settle(20);
    expect(harness.jms.log.slice(2)).toEqual(['update:DEPLOYING', 'update:INITIALIZING', 'update:RUNNING', 'collect:out:3', 'update:FINISHED']);
    expect(harness.jms.collected).toEqual([10, 20, 30]);
    const finished = harness.jms.updates.at(-1)!;
    expect(finished.ioMetrics).toMatchObject({ readRecords: 0 });
    // The task is gone from the slot; the slot stays ACTIVE until the JobMaster frees it.
    expect(harness.table.tasks()).toEqual([]);
    expect(harness.table.slot(0)?.state).toBe('ACTIVE');
    harness.executor.freeSlot(allocationId, 'done');
    expect(harness.table.slot(0)?.state).toBe('FREE');
  });

  it('reports FAILED with the user exception message and stack', async () => {
    const harness = await started();
    const { jobId, allocationId } = await activeSlot(harness);
    const job = buildJob(jobId, (env) =>
      void env
        .fromElements(1, 2, 3)
        .map((x) => {
          if (x === 2) throw new TypeError('two is not allowed');
          return x;
        })
        .collect('out'),
    );
    harness.jobs.set(jobId, job);
    const tdd = tddFor(job, allocationId);
    harness.executor.submitTask(tdd);
    await settle(20);
    expect(harness.jms.statesOf(tdd.executionAttemptId)).toEqual(['DEPLOYING', 'INITIALIZING', 'RUNNING', 'FAILED']);
    const failed = harness.jms.updates.at(-1)!;
    expect(failed.error).toMatchObject({ className: 'TypeError', message: 'two is not allowed' });
    expect(failed.error?.stack).toContain('task-executor.test.ts');
    expect(harness.jms.collected).toEqual([]);
  });

  it('cancels a running task: CANCELED, and freeSlot on a RELEASING slot completes when it ends', async () => {
    const harness = await started();
    const { jobId, allocationId } = await activeSlot(harness);
    const job = buildJob(jobId, (env) => void env.fromGenerator({ rate: 5, generate: (i) => i }).collect('out'));
    harness.jobs.set(jobId, job);
    const tdd = tddFor(job, allocationId);
    harness.executor.submitTask(tdd);
    await settle();
    expect(harness.jms.statesOf(tdd.executionAttemptId)).toEqual(['DEPLOYING', 'INITIALIZING', 'RUNNING']);
    // A heartbeat from the JobMaster carries the running task with its metrics.
    const [execution] = harness.executor.heartbeatFromJobManager(jobId);
    expect(execution).toMatchObject({ executionAttemptId: tdd.executionAttemptId, state: 'RUNNING', ioMetrics: { writeRecords: expect.any(Number) as number } });
    harness.executor.freeSlot(allocationId, 'job cancelled');
    expect(harness.table.slot(0)?.state).toBe('RELEASING');
    await settle();
    expect(harness.jms.statesOf(tdd.executionAttemptId)).toEqual(['DEPLOYING', 'INITIALIZING', 'RUNNING', 'CANCELED']);
    expect(harness.table.slot(0)?.state).toBe('FREE');
    // Cancelling again is harmless.
    harness.executor.cancelTask(tdd.executionAttemptId);
  });

  it('cancelTask on a task still loading its job ends it CANCELED without running it', async () => {
    const harness = await started();
    const { jobId, allocationId } = await activeSlot(harness);
    const job = buildJob(jobId, (env) => void env.fromElements(1).collect('out'));
    const tdd = tddFor(job, allocationId);
    // The job file is still "downloading": loading waits.
    let release!: () => void;
    harness.beforeLoad = () => new Promise<void>((resolve) => (release = resolve));
    harness.jobs.set(jobId, job);
    harness.executor.submitTask(tdd);
    await settle();
    expect(harness.jms.statesOf(tdd.executionAttemptId)).toEqual(['DEPLOYING']);
    harness.executor.cancelTask(tdd.executionAttemptId);
    await settle();
    expect(harness.jms.statesOf(tdd.executionAttemptId)).toEqual(['DEPLOYING', 'CANCELED']);
    release();
    await settle();
    expect(harness.jms.statesOf(tdd.executionAttemptId)).toEqual(['DEPLOYING', 'CANCELED']);
    expect(harness.jms.collected).toEqual([]);
  });
});

describe('TaskExecutor task metrics', () => {
  it('books a source blocked on output buffers as back-pressured (nobody consumes its partition)', async () => {
    const harness = await started();
    const { jobId, allocationId } = await activeSlot(harness);
    const env = new StreamExecutionEnvironment({ parallelism: 1 });
    env
      .fromGenerator({ generate: (i) => ({ i, pad: 'x'.repeat(64) }) })
      .rebalance()
      .map((r) => r)
      .collect('out');
    const job = { ...env.buildJob({ jobId, jobName: 'bp' }), path: '/jobs/bp.mjs', sourceName: 'bp.ts', args: [] };
    harness.jobs.set(jobId, job);
    const [, consumer] = job.jobGraph.vertices;
    const tdd = {
      ...tddFor(job, allocationId, 0),
      resultPartitions: [{ partitionId: newFlinkId(), targetVertexId: consumer!.id, partitioner: 'REBALANCE' as const, numberOfSubpartitions: 1 }],
    };
    harness.executor.submitTask(tdd);
    await settle(200);
    expect(harness.jms.statesOf(tdd.executionAttemptId)).toEqual(['DEPLOYING', 'INITIALIZING', 'RUNNING']);
    harness.clock.advance(5000);
    const [execution] = harness.executor.heartbeatFromJobManager(jobId);
    expect(execution?.ioMetrics?.backPressuredTimeMsPerSecond).toBeGreaterThan(900);
    expect(execution?.ioMetrics?.accumulatedBackPressuredTimeMs).toBeGreaterThanOrEqual(5000);
    expect(execution?.ioMetrics?.writeRecords).toBeGreaterThan(1000);
    const written = execution!.ioMetrics!.writeRecords;
    await settle(20);
    expect(harness.executor.heartbeatFromJobManager(jobId)[0]?.ioMetrics?.writeRecords).toBe(written); // bounded: it really stopped
    harness.executor.cancelTask(tdd.executionAttemptId);
    await settle();
    expect(harness.jms.statesOf(tdd.executionAttemptId).at(-1)).toBe('CANCELED');
  });
});
