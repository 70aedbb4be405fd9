import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import type { JobGraph } from '../../../../runtime/jobgraph/job-graph.ts';
import { SlotPool } from '../../../../runtime/jobmaster/slot-pool.ts';
import { ANY_RESOURCE_PROFILE, newFlinkId, type JobStatus } from '../../../../runtime/protocol/records.ts';
import { DefaultScheduler } from '../../../../runtime/scheduler/default-scheduler.ts';
import { TestingTaskExecutor } from '../../../doubles/testing-task-executor.ts';
import { flush } from '../jobmaster/job-master-harness.ts';
import { JOB_FILE, pipeline } from '../jobmaster/test-job-graphs.ts';

/** A DefaultScheduler on a ManualClock, its slot pool filled by the test, one in-process TaskExecutor. */
function schedulerHarness(graph: JobGraph, config: Record<string, string>) {
  const clock = new ManualClock();
  const slotPool = new SlotPool();
  const tm = new TestingTaskExecutor('tm');
  const gateway = tm.gateway();
  const declared: number[] = [];
  const terminated: JobStatus[] = [];
  const scheduler = new DefaultScheduler({
    jobGraph: graph,
    jobFile: JOB_FILE,
    config: createFlinkConfiguration(config),
    clock,
    logger: createSilentLogger(),
    jobMasterAddress: 'http://jobmanager:8081',
    jobMasterId: newFlinkId(),
    slotPool,
    taskExecutorGateway: (resourceId) => (resourceId === tm.resourceId ? gateway : undefined),
    declareRequiredSlots: (slots) => declared.push(slots),
    onGloballyTerminal: (status) => terminated.push(status),
  });
  const offerSlots = (count: number): void => {
    const offers = Array.from({ length: count }, (_, slotIndex) => ({ allocationId: newFlinkId(), slotIndex, resourceProfile: ANY_RESOURCE_PROFILE }));
    slotPool.offer(tm.location, offers, scheduler.numberOfRequiredSlots);
    scheduler.tryDeploy();
  };
  /** Reports `state` for every task of one attempt number, as the TaskExecutor would. */
  const reportAll = (attemptNumber: number, state: 'RUNNING' | 'CANCELED'): void => {
    for (const tdd of tm.submitted.filter((t) => t.attemptNumber === attemptNumber)) scheduler.updateTaskExecutionState({ executionAttemptId: tdd.executionAttemptId, state });
  };
  const fail = (attemptNumber: number, message: string): void => {
    const tdd = tm.submitted.find((t) => t.attemptNumber === attemptNumber)!;
    scheduler.updateTaskExecutionState({ executionAttemptId: tdd.executionAttemptId, state: 'FAILED', error: { className: 'java.lang.RuntimeException', message, stack: `java.lang.RuntimeException: ${message}` } });
  };
  const deployedAttempts = (attemptNumber: number): number => tm.submitted.filter((t) => t.attemptNumber === attemptNumber).length;
  return { clock, slotPool, tm, declared, terminated, scheduler, offerSlots, reportAll, fail, deployedAttempts };
}

const exponentialDelay = {
  'restart-strategy.type': 'exponential-delay',
  'restart-strategy.exponential-delay.initial-backoff': '1 s',
  'restart-strategy.exponential-delay.backoff-multiplier': '2.0',
  'restart-strategy.exponential-delay.jitter-factor': '0',
  'restart-strategy.exponential-delay.attempts-before-reset-backoff': '2',
};

describe('DefaultScheduler: restart backoff (exponential-delay, manual clock)', () => {
  it('restarts after the growing backoff, redeploys new attempts, and fails the job once the attempts are used up', async () => {
    const h = schedulerHarness(pipeline(1), exponentialDelay);
    h.scheduler.startScheduling();
    expect(h.scheduler.graph.status).toBe('RUNNING');
    expect(h.declared).toEqual([1]);
    h.offerSlots(1);
    await flush();
    expect(h.deployedAttempts(0)).toBe(3);
    h.reportAll(0, 'RUNNING');

    // First failure: 1 s backoff.
    h.fail(0, 'first');
    expect(h.scheduler.graph.status).toBe('RESTARTING');
    await flush();
    h.reportAll(0, 'CANCELED');
    h.clock.advance(999);
    expect(h.scheduler.graph.status).toBe('RESTARTING');
    h.clock.advance(1);
    expect(h.scheduler.graph.status).toBe('RUNNING');
    await flush();
    expect(h.deployedAttempts(1)).toBe(3);
    h.reportAll(1, 'RUNNING');

    // Second failure (1 ms on: one at the restart's own instant would merge into it): 2 s backoff.
    h.clock.advance(1);
    h.fail(1, 'second');
    await flush();
    h.reportAll(1, 'CANCELED');
    h.clock.advance(1999);
    expect(h.scheduler.graph.status).toBe('RESTARTING');
    h.clock.advance(1);
    await flush();
    expect(h.scheduler.graph.status).toBe('RUNNING');
    expect(h.deployedAttempts(2)).toBe(3);
    h.reportAll(2, 'RUNNING');

    // Third failure: more than attempts-before-reset-backoff restarts, the job fails.
    h.clock.advance(1);
    h.fail(2, 'third');
    expect(h.scheduler.graph.status).toBe('FAILING');
    await flush();
    h.reportAll(2, 'CANCELED');
    expect(h.scheduler.graph.status).toBe('FAILED');
    expect(h.scheduler.graph.failureCause?.message).toBe('third');
    expect(h.terminated).toEqual(['FAILED']);
    expect(h.scheduler.exceptionHistory.list().map((e) => e.stacktrace)).toEqual([
      'java.lang.RuntimeException: third',
      'java.lang.RuntimeException: second',
      'java.lang.RuntimeException: first',
    ]);
    h.clock.advance(60_000);
    expect(h.deployedAttempts(3)).toBe(0);
  });

  it('cancelling during the backoff stops the restart timer', async () => {
    const h = schedulerHarness(pipeline(1), exponentialDelay);
    h.scheduler.startScheduling();
    h.offerSlots(1);
    await flush();
    h.fail(0, 'boom');
    expect(h.scheduler.graph.status).toBe('RESTARTING');
    h.scheduler.cancel();
    await flush();
    h.reportAll(0, 'CANCELED');
    expect(h.scheduler.graph.status).toBe('CANCELED');
    h.clock.advance(10_000);
    expect(h.scheduler.graph.status).toBe('CANCELED');
    expect(h.deployedAttempts(1)).toBe(0);
    expect(h.terminated).toEqual(['CANCELED']);
  });
});

describe('DefaultScheduler: slot request timeout', () => {
  it('without enough slots after slot.request.timeout the job fails with NoResourceAvailableException', () => {
    const h = schedulerHarness(pipeline(2), { 'restart-strategy.type': 'none', 'slot.request.timeout': '10 s' });
    h.scheduler.startScheduling();
    h.offerSlots(1);
    expect(h.deployedAttempts(0)).toBe(0);
    h.clock.advance(9999);
    expect(h.scheduler.graph.status).toBe('RUNNING');
    h.clock.advance(1);
    expect(h.scheduler.graph.status).toBe('FAILED');
    expect(h.scheduler.exceptionHistory.latest?.exceptionName).toBe('org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException');
    expect(h.scheduler.graph.failureCause?.message).toBe('Could not acquire the minimum required resources: 1 of 2 slots after 10000 ms.');
    expect(h.terminated).toEqual(['FAILED']);
  });
});
