import { IGNORE, type TransitionTable } from '../../rm/common/state-machine.ts';
import type { ExecutionState, SerializedThrowable } from '../protocol/records.ts';

/**
 * Flink's ExecutionState machine as a transition table (reference/flink.md §1.6):
 * CREATED -> SCHEDULED -> DEPLOYING -> INITIALIZING -> RUNNING -> FINISHED, CANCELING -> CANCELED,
 * FAILED from any non-terminal state. Late or repeated reports from a TaskManager (a RUNNING that
 * arrives after CANCELED, a second FINISHED) are listed as ignored; the JobMaster's own steps
 * (SCHEDULE, DEPLOY) in the wrong state are bugs and throw.
 */
export type ExecutionEvent =
  // source: JobMaster (slots requested for the attempt)
  | { type: 'SCHEDULE' }
  // source: JobMaster (slot assigned, submitTask about to be sent)
  | { type: 'DEPLOY' }
  // source: TaskManager reports INITIALIZING (operators opening)
  | { type: 'INITIALIZE' }
  // source: TaskManager reports RUNNING
  | { type: 'RUN' }
  // source: TaskManager reports FINISHED
  | { type: 'FINISH' }
  // source: JobMaster (job cancelled, failing or restarting)
  | { type: 'CANCEL' }
  // source: TaskManager reports CANCELED, or the JobMaster completes a cancel it cannot send
  | { type: 'CANCELED' }
  // source: TaskManager reports FAILED, submitTask failed, or the TaskManager was lost
  | { type: 'FAIL'; error: SerializedThrowable };
export type ExecutionEventType = ExecutionEvent['type'];

/** What transitions write to; Execution implements it. */
export interface ExecutionRecord {
  failure: SerializedThrowable | undefined;
}

const fail = {
  to: 'FAILED' as const,
  action: (e: ExecutionRecord, event: { error: SerializedThrowable }): void => {
    e.failure = event.error;
  },
};

/** A terminal execution ignores whatever a TaskManager still says about it. */
const terminal = { INITIALIZE: IGNORE, RUN: IGNORE, FINISH: IGNORE, CANCEL: IGNORE, CANCELED: IGNORE, FAIL: IGNORE } as const;

export const executionStateTransitions: TransitionTable<ExecutionState, ExecutionEvent, ExecutionRecord> = {
  CREATED: { SCHEDULE: { to: 'SCHEDULED' }, CANCEL: { to: 'CANCELED' }, FAIL: fail },
  SCHEDULED: { DEPLOY: { to: 'DEPLOYING' }, CANCEL: { to: 'CANCELED' }, FAIL: fail },
  DEPLOYING: {
    INITIALIZE: { to: 'INITIALIZING' },
    RUN: { to: 'RUNNING' },
    FINISH: { to: 'FINISHED' },
    CANCEL: { to: 'CANCELING' },
    CANCELED: { to: 'CANCELED' },
    FAIL: fail,
  },
  INITIALIZING: {
    INITIALIZE: IGNORE,
    RUN: { to: 'RUNNING' },
    FINISH: { to: 'FINISHED' },
    CANCEL: { to: 'CANCELING' },
    CANCELED: { to: 'CANCELED' },
    FAIL: fail,
  },
  RUNNING: {
    INITIALIZE: IGNORE,
    RUN: IGNORE,
    FINISH: { to: 'FINISHED' },
    CANCEL: { to: 'CANCELING' },
    CANCELED: { to: 'CANCELED' },
    FAIL: fail,
  },
  CANCELING: {
    INITIALIZE: IGNORE,
    RUN: IGNORE,
    CANCEL: IGNORE,
    CANCELED: { to: 'CANCELED' },
    // A task that finishes or fails while being cancelled completes the cancel, as in Flink's
    // Execution (processFail in CANCELING -> completeCancelling): e.g. a consumer whose producer
    // was cancelled first and released its partition.
    FINISH: { to: 'CANCELED' },
    FAIL: { to: 'CANCELED' },
  },
  RECONCILING: { RUN: { to: 'RUNNING' }, FINISH: { to: 'FINISHED' }, CANCELED: { to: 'CANCELED' }, CANCEL: { to: 'CANCELING' }, FAIL: fail },
  FINISHED: terminal,
  CANCELED: terminal,
  FAILED: terminal,
};

/** The event a TaskManager's reported state stands for; DEPLOYING/CREATED/... are not reports. */
export function eventForReportedState(state: ExecutionState, error: SerializedThrowable | undefined): ExecutionEvent | undefined {
  switch (state) {
    case 'INITIALIZING':
      return { type: 'INITIALIZE' };
    case 'RUNNING':
      return { type: 'RUN' };
    case 'FINISHED':
      return { type: 'FINISH' };
    case 'CANCELED':
      return { type: 'CANCELED' };
    case 'FAILED':
      return { type: 'FAIL', error: error ?? { className: 'Exception', message: 'Task failed without a cause', stack: 'Task failed without a cause' } };
    default:
      return undefined;
  }
}
