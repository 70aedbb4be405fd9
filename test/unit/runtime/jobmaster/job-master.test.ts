import { describe, expect, it } from 'vitest';
import { flush, jobMasterHarness } from './job-master-harness.ts';
import { jobGraph, pipeline } from './test-job-graphs.ts';

describe('JobMaster: slots and deployment', () => {
  it('registers at the RM and declares as many slots as the highest parallelism', () => {
    const h = jobMasterHarness(pipeline(3));
    h.jm.start();
    expect(h.rm.registrations).toEqual([{ jobId: h.jm.jobId, jobMasterAddress: 'http://jobmanager:8081' }]);
    expect(h.rm.declaredSlots(h.jm.jobId)).toBe(3);
    expect(h.jm.graph.status).toBe('RUNNING');
    expect(h.jm.graph.currentExecutions().every((e) => e.state === 'SCHEDULED')).toBe(true);
  });

  it('accepts offers up to the need, refuses the rest, and deploys once all slots are there', async () => {
    const h = jobMasterHarness(pipeline(2));
    h.jm.start();
    const tm1 = h.addTaskManager('tm-1');
    const tm2 = h.addTaskManager('tm-2');
    expect(h.offer(tm1, 1)).toHaveLength(1);
    await flush();
    expect(tm1.submitted).toHaveLength(0);
    expect(h.offer(tm2, 3)).toHaveLength(1);
    await flush();
    // Slot sharing: source 0, map 0 and the sink share tm-1's slot; source 1 and map 1 tm-2's.
    expect(tm1.submitted.map((t) => t.taskName).sort()).toEqual(['Keyed Map (1/2)', 'Sink: Collect (1/1)', 'Source: Sequence (1/2)']);
    expect(tm2.submitted.map((t) => t.taskName).sort()).toEqual(['Keyed Map (2/2)', 'Source: Sequence (2/2)']);
    expect(new Set(tm1.submitted.map((t) => t.allocationId)).size).toBe(1);
    expect(h.jm.graph.currentExecutions().every((e) => e.state === 'DEPLOYING')).toBe(true);
  });

  it('builds descriptors whose input channels point to the producers TaskManagers', async () => {
    const h = jobMasterHarness(pipeline(2));
    h.jm.start();
    const tm1 = h.addTaskManager('tm-1');
    const tm2 = h.addTaskManager('tm-2');
    h.offer(tm1, 1);
    h.offer(tm2, 1);
    await flush();
    const all = [...tm1.submitted, ...tm2.submitted];
    const source = (i: number) => all.find((t) => t.taskName === `Source: Sequence (${i + 1}/2)`)!;
    const map1 = tm2.submitted.find((t) => t.taskName === 'Keyed Map (2/2)')!;
    expect(map1.inputGates).toHaveLength(1);
    const gate = map1.inputGates[0]!;
    expect(gate.partitioner).toBe('HASH');
    expect(gate.channels.map((c) => [c.producerSubtaskIndex, c.location.resourceId, c.subpartitionIndex, c.partitionId])).toEqual([
      [0, 'tm-1', 1, source(0).resultPartitions[0]!.partitionId],
      [1, 'tm-2', 1, source(1).resultPartitions[0]!.partitionId],
    ]);
    expect(source(0).resultPartitions[0]).toMatchObject({ numberOfSubpartitions: 2, partitioner: 'HASH', targetVertexId: map1.jobVertexId });
    expect(map1.keyGroupRange).toEqual({ start: 64, end: 127 });
    expect(map1).toMatchObject({ jobMasterAddress: 'http://jobmanager:8081', bufferTimeoutMs: 100, attemptNumber: 0, subtaskIndex: 1, parallelism: 2 });
    const sink = tm1.submitted.find((t) => t.taskName.startsWith('Sink'))!;
    expect(sink.inputGates[0]!.channels.map((c) => [c.location.resourceId, c.subpartitionIndex])).toEqual([
      ['tm-1', 0],
      ['tm-2', 0],
    ]);
  });

  it('FORWARD edges read subpartition 0 of their one producer', async () => {
    const h = jobMasterHarness(jobGraph('fwd', [{ name: 'a', parallelism: 2 }, { name: 'b', parallelism: 2 }], [['a', 'b', 'FORWARD']]));
    h.jm.start();
    const tm = h.addTaskManager('tm');
    h.offer(tm, 2);
    await flush();
    const b1 = tm.submitted.find((t) => t.taskName === 'b (2/2)')!;
    expect(b1.inputGates[0]!.channels).toHaveLength(1);
    expect(b1.inputGates[0]!.channels[0]).toMatchObject({ producerSubtaskIndex: 1, subpartitionIndex: 0 });
    expect(tm.submitted.find((t) => t.taskName === 'a (1/2)')!.resultPartitions[0]!.numberOfSubpartitions).toBe(1);
  });
});

describe('JobMaster: finishing, fencing, cancel', () => {
  it('finishes when every task finished, then frees slots, declares nothing and disconnects', async () => {
    const h = jobMasterHarness(pipeline(1));
    h.jm.start();
    const tm = h.addTaskManager('tm');
    h.offer(tm, 1);
    await flush();
    h.reportAll(tm, 'INITIALIZING');
    h.reportAll(tm, 'RUNNING');
    expect(h.jm.graph.status).toBe('RUNNING');
    h.reportAll(tm, 'FINISHED');
    expect(h.jm.graph.status).toBe('FINISHED');
    await flush();
    expect(tm.freed).toHaveLength(1);
    expect(h.rm.declaredSlots(h.jm.jobId)).toBe(0);
    expect(h.rm.disconnects.map((d) => d.jobId)).toEqual([h.jm.jobId]);
    expect(h.rm.lostListenerCount).toBe(0);
    expect(h.terminated).toEqual([expect.objectContaining({ jobId: h.jm.jobId, status: 'FINISHED' })]);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it('ignores reports about unknown attempts (acknowledged false)', () => {
    const h = jobMasterHarness(pipeline(1));
    h.jm.start();
    expect(h.jm.updateTaskExecutionState({ executionAttemptId: 'f'.repeat(32), state: 'RUNNING' })).toBe(false);
  });

  it('cancels: CANCELLING, cancelTask to every deployed task, CANCELED once they report it', async () => {
    const h = jobMasterHarness(pipeline(1));
    h.jm.start();
    const tm = h.addTaskManager('tm');
    h.offer(tm, 1);
    await flush();
    h.reportAll(tm, 'RUNNING');
    h.jm.cancel();
    expect(h.jm.graph.status).toBe('CANCELLING');
    await flush();
    expect(tm.cancelled.sort()).toEqual(tm.submitted.map((t) => t.executionAttemptId).sort());
    h.reportAll(tm, 'CANCELED');
    expect(h.jm.graph.status).toBe('CANCELED');
    expect(h.terminated[0]?.status).toBe('CANCELED');
  });

  it('cancelling a job still waiting for slots ends CANCELED at once', () => {
    const h = jobMasterHarness(pipeline(2));
    h.jm.start();
    h.jm.cancel();
    expect(h.jm.graph.status).toBe('CANCELED');
    expect(h.rm.declaredSlots(h.jm.jobId)).toBe(0);
  });
});

describe('JobMaster: failover (fixed-delay)', () => {
  it('a lost TaskManager fails its tasks; after the delay attempt 1 is redeployed on new slots', async () => {
    const h = jobMasterHarness(pipeline(2));
    h.jm.start();
    const tm1 = h.addTaskManager('tm-1');
    const tm2 = h.addTaskManager('tm-2');
    h.offer(tm1, 1);
    h.offer(tm2, 1);
    await flush();
    h.reportAll(tm1, 'RUNNING');
    h.reportAll(tm2, 'RUNNING');
    const oldAttempt = tm1.submitted[0]!;

    h.rm.loseTaskManager('tm-2', 'Container released on a *lost* node');
    expect(h.jm.graph.status).toBe('RESTARTING');
    await flush();
    expect(tm1.cancelled).toHaveLength(3);
    h.reportAll(tm1, 'CANCELED');

    h.clock.advance(1999);
    expect(h.jm.graph.status).toBe('RESTARTING');
    h.clock.advance(1);
    expect(h.jm.graph.status).toBe('RUNNING');
    expect(h.jm.graph.currentExecutions().map((e) => [e.attemptNumber, e.state])).toEqual(Array(5).fill([1, 'SCHEDULED']));
    expect(h.rm.declaredSlots(h.jm.jobId)).toBe(2);
    expect(h.report(oldAttempt, 'FAILED', 'late')).toBe(false);

    const tm3 = h.addTaskManager('tm-3');
    expect(h.offer(tm3, 1)).toHaveLength(1);
    await flush();
    expect(tm1.submitted.filter((t) => t.attemptNumber === 1)).toHaveLength(3);
    expect(tm3.submitted.filter((t) => t.attemptNumber === 1)).toHaveLength(2);
    h.reportAll(tm1, 'FINISHED', 1);
    h.reportAll(tm3, 'FINISHED', 1);
    expect(h.jm.graph.status).toBe('FINISHED');
  });

  it('records the failure and its concurrent failures in the exception history', async () => {
    const h = jobMasterHarness(pipeline(2));
    h.jm.start();
    const tm1 = h.addTaskManager('tm-1');
    const tm2 = h.addTaskManager('tm-2');
    h.offer(tm1, 1);
    h.offer(tm2, 1);
    await flush();
    h.clock.advance(10);
    h.rm.loseTaskManager('tm-2', 'gone');
    const [entry] = h.jm.exceptionHistory.list();
    expect(entry).toMatchObject({ exceptionName: 'org.apache.flink.runtime.jobmaster.JobMasterException', taskManagerId: 'tm-2', timestamp: h.clock.now() });
    expect(entry!.taskName).toMatch(/\(2\/2\)$/);
    expect(entry!.stacktrace).toContain('TaskManager with id tm-2 is no longer reachable: gone');
    expect(entry!.concurrentExceptions).toHaveLength(1);
  });

  it('fails the job when the restart attempts are exhausted', async () => {
    const h = jobMasterHarness(pipeline(1));
    h.jm.start();
    const tm = h.addTaskManager('tm');
    h.offer(tm, 1);
    await flush();
    h.reportAll(tm, 'RUNNING');
    h.report(tm.submitted[1]!, 'FAILED', 'first');
    expect(h.jm.graph.status).toBe('RESTARTING');
    h.reportAll(tm, 'CANCELED');
    h.clock.advance(2000);
    await flush();
    expect(tm.submitted.filter((t) => t.attemptNumber === 1)).toHaveLength(3);
    h.reportAll(tm, 'RUNNING', 1);
    h.report(tm.submitted.find((t) => t.attemptNumber === 1)!, 'FAILED', 'second');
    expect(h.jm.graph.status).toBe('FAILING');
    h.reportAll(tm, 'CANCELED', 1);
    expect(h.jm.graph.status).toBe('FAILED');
    expect(h.terminated[0]).toMatchObject({ status: 'FAILED', failureCause: { message: 'second' } });
    expect(h.jm.exceptionHistory.list().map((e) => e.stacktrace.split('\n')[0])).toEqual(['java.lang.RuntimeException: second', 'java.lang.RuntimeException: first']);
  });

  it.each([
    ["restart-strategy.type 'none' fails the job on the first failure", () => jobMasterHarness(pipeline(1), { 'restart-strategy.type': 'none' })],
    ["the job graph's own restart-strategy.type wins over the cluster's", () => jobMasterHarness({ ...pipeline(1), jobConfiguration: { 'restart-strategy.type': 'none' } })],
  ])('%s', async (_name, harness) => {
    const h = harness();
    h.jm.start();
    const tm = h.addTaskManager('tm');
    h.offer(tm, 1);
    await flush();
    h.report(tm.submitted[0]!, 'FAILED', 'boom');
    expect(h.jm.graph.status).toBe('FAILING');
    h.reportAll(tm, 'CANCELED');
    expect(h.jm.graph.status).toBe('FAILED');
  });

  it('a failed submitTask fails the task and restarts the job', async () => {
    const h = jobMasterHarness(pipeline(1));
    h.jm.start();
    const tm = h.addTaskManager('tm');
    tm.submitTaskFunction = (tdd) => {
      if (tdd.taskName.startsWith('Sink') && tdd.attemptNumber === 0) throw new Error('no room');
    };
    h.offer(tm, 1);
    await flush();
    expect(h.jm.graph.status).toBe('RESTARTING');
    expect(h.jm.exceptionHistory.latest?.stacktrace).toContain('no room');
  });
});

describe('JobMaster: heartbeats', () => {
  it('a TaskManager whose heartbeat requests keep failing is lost', async () => {
    const h = jobMasterHarness(pipeline(1), { 'heartbeat.interval': '1000', 'heartbeat.timeout': '5000' });
    h.jm.start();
    const tm = h.addTaskManager('tm');
    h.offer(tm, 1);
    await flush();
    tm.unreachable = true;
    h.clock.advance(1000);
    await flush();
    expect(h.jm.graph.status).toBe('RUNNING');
    h.clock.advance(1000);
    await flush();
    expect(h.jm.graph.status).toBe('RESTARTING');
    expect(h.jm.numberOfSlots).toBe(0);
  });

  it('a TaskManager not heard from for heartbeat.timeout is lost; heartbeats keep it alive', async () => {
    const h = jobMasterHarness(pipeline(1), { 'heartbeat.interval': '100000', 'heartbeat.timeout': '5000', 'heartbeat.rpc-failure-threshold': '-1' });
    h.jm.start();
    const tm = h.addTaskManager('tm');
    h.offer(tm, 1);
    await flush();
    h.clock.advance(4000);
    expect(h.jm.heartbeatFromTaskManager('tm', [])).toBe(true);
    h.clock.advance(4000);
    expect(h.jm.graph.status).toBe('RUNNING');
    h.clock.advance(1000);
    expect(h.jm.graph.status).toBe('RESTARTING');
    expect(h.jm.heartbeatFromTaskManager('tm', [])).toBe(false);
  });

  it('heartbeat answers carry task states the JobMaster missed', async () => {
    const h = jobMasterHarness(pipeline(1), { 'heartbeat.interval': '1000' });
    h.jm.start();
    const tm = h.addTaskManager('tm');
    h.offer(tm, 1);
    await flush();
    for (const t of tm.submitted) tm.states.set(t.executionAttemptId, 'RUNNING');
    h.clock.advance(1000);
    await flush();
    expect(h.jm.graph.currentExecutions().every((e) => e.state === 'RUNNING')).toBe(true);
  });
});
