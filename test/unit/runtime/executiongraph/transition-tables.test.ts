import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import { StateMachine, InvalidStateTransitionError } from '../../../../rm/common/state-machine.ts';
import { Execution } from '../../../../runtime/executiongraph/execution.ts';
import { executionStateTransitions, type ExecutionEvent, type ExecutionRecord } from '../../../../runtime/executiongraph/execution-state-transitions.ts';
import { jobStatusTransitions, type JobStatusEvent, type JobStatusRecord } from '../../../../runtime/executiongraph/job-status-transitions.ts';
import type { ExecutionState, JobStatus } from '../../../../runtime/protocol/records.ts';

const logger = createSilentLogger();
const error = { className: 'java.lang.RuntimeException', message: 'boom', stack: 'java.lang.RuntimeException: boom' };

function execution(from: ExecutionState): StateMachine<ExecutionState, ExecutionEvent, ExecutionRecord> {
  const record: ExecutionRecord = { failure: undefined };
  return new StateMachine(executionStateTransitions, from, record, 'Execution', logger);
}

function job(from: JobStatus): StateMachine<JobStatus, JobStatusEvent, JobStatusRecord> {
  const record: JobStatusRecord = { failureCause: undefined };
  return new StateMachine(jobStatusTransitions, from, record, 'Job', logger);
}

describe('ExecutionState transitions (flink.md §1.6)', () => {
  it('walks CREATED -> SCHEDULED -> DEPLOYING -> INITIALIZING -> RUNNING -> FINISHED', () => {
    const sm = execution('CREATED');
    const seen = (['SCHEDULE', 'DEPLOY', 'INITIALIZE', 'RUN', 'FINISH'] as const).map((type) => sm.handle({ type }));
    expect(seen).toEqual(['SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING', 'FINISHED']);
  });

  it.each([
    ['CREATED', 'CANCEL', 'CANCELED'],
    ['SCHEDULED', 'CANCEL', 'CANCELED'],
    ['DEPLOYING', 'CANCEL', 'CANCELING'],
    ['INITIALIZING', 'CANCEL', 'CANCELING'],
    ['RUNNING', 'CANCEL', 'CANCELING'],
    ['CANCELING', 'CANCELED', 'CANCELED'],
    ['CANCELING', 'FINISH', 'CANCELED'],
    ['DEPLOYING', 'RUN', 'RUNNING'],
  ] as const)('%s --%s--> %s', (from, type, to) => {
    expect(execution(from).handle({ type })).toBe(to);
  });

  it.each(['CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING'] as const)('%s --FAIL--> FAILED with the cause recorded', (from) => {
    const record: ExecutionRecord = { failure: undefined };
    const sm = new StateMachine(executionStateTransitions, from, record, 'Execution', logger);
    expect(sm.handle({ type: 'FAIL', error })).toBe('FAILED');
    expect(record.failure).toEqual(error);
  });

  it('completes a cancel when a task fails while CANCELING, as Flink does', () => {
    const record: ExecutionRecord = { failure: undefined };
    const sm = new StateMachine(executionStateTransitions, 'CANCELING', record, 'Execution', logger);
    expect(sm.handle({ type: 'FAIL', error })).toBe('CANCELED');
  });

  it.each([
    ['CREATED', 'RUN'],
    ['CREATED', 'DEPLOY'],
    ['CREATED', 'FINISH'],
    ['SCHEDULED', 'RUN'],
    ['RUNNING', 'DEPLOY'],
    ['FINISHED', 'DEPLOY'],
    ['FAILED', 'SCHEDULE'],
    ['CANCELED', 'DEPLOY'],
  ] as const)('refuses %s --%s-->', (from, type) => {
    expect(() => execution(from).handle({ type })).toThrow(InvalidStateTransitionError);
  });

  it.each([
    ['FINISHED', 'FAIL'],
    ['CANCELED', 'RUN'],
    ['FAILED', 'CANCEL'],
    ['RUNNING', 'RUN'],
  ] as const)('ignores late reports: %s --%s--> stays', (from, type) => {
    const sm = execution(from);
    expect(type === 'FAIL' ? sm.handle({ type, error }) : sm.handle({ type })).toBe(from);
  });

  it('an Execution records when it entered each state', () => {
    const clock = new ManualClock(1000);
    const e = new Execution({ attemptNumber: 0, outputEdges: [0, 2], clock, logger });
    e.handle({ type: 'SCHEDULE' });
    clock.advance(5);
    e.handle({ type: 'DEPLOY' });
    clock.advance(7);
    e.handle({ type: 'RUN' });
    clock.advance(11);
    e.handle({ type: 'FINISH' });
    expect(e.stateTimestamps).toEqual({ CREATED: 1000, SCHEDULED: 1000, DEPLOYING: 1005, RUNNING: 1012, FINISHED: 1023 });
    expect([e.startTime, e.endTime]).toEqual([1005, 1023]);
    expect([...e.producedPartitions.keys()]).toEqual([0, 2]);
    expect(e.attemptId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('JobStatus transitions (flink.md §1.6)', () => {
  it.each([
    ['INITIALIZING', { type: 'INITIALIZED' }, 'CREATED'],
    ['CREATED', { type: 'START' }, 'RUNNING'],
    ['RUNNING', { type: 'FINISH' }, 'FINISHED'],
    ['RUNNING', { type: 'FAIL', error }, 'FAILING'],
    ['FAILING', { type: 'TERMINATED' }, 'FAILED'],
    ['RUNNING', { type: 'RESTART' }, 'RESTARTING'],
    ['RESTARTING', { type: 'START' }, 'RUNNING'],
    ['RUNNING', { type: 'CANCEL' }, 'CANCELLING'],
    ['RESTARTING', { type: 'CANCEL' }, 'CANCELLING'],
    ['CANCELLING', { type: 'TERMINATED' }, 'CANCELED'],
    ['INITIALIZING', { type: 'CANCEL' }, 'CANCELED'],
  ] as const)('%s --%o--> %s', (from, event, to) => {
    expect(job(from).handle(event)).toBe(to);
  });

  it.each([
    ['CREATED', 'FINISH'],
    ['INITIALIZING', 'START'],
    ['FINISHED', 'START'],
    ['CANCELED', 'RESTART'],
    ['FAILING', 'FINISH'],
    ['CANCELLING', 'RESTART'],
    ['RUNNING', 'TERMINATED'],
  ] as const)('refuses %s --%s-->', (from, type) => {
    expect(() => job(from).handle({ type })).toThrow(InvalidStateTransitionError);
  });

  it('globally terminal statuses ignore a late cancel or failure', () => {
    for (const s of ['FINISHED', 'FAILED', 'CANCELED'] as const) {
      expect(job(s).handle({ type: 'CANCEL' })).toBe(s);
      expect(job(s).handle({ type: 'FAIL', error })).toBe(s);
    }
  });

  it('FAIL records the failure cause', () => {
    const record: JobStatusRecord = { failureCause: undefined };
    new StateMachine(jobStatusTransitions, 'RUNNING', record, 'Job', logger).handle({ type: 'FAIL', error });
    expect(record.failureCause).toEqual(error);
  });
});
