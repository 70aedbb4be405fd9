import { IGNORE, type TransitionTable } from '../../rm/common/state-machine.ts';
import type { JobStatus, SerializedThrowable } from '../protocol/records.ts';

/**
 * Flink's JobStatus machine as a transition table (reference/flink.md §1.6). Jobs spell CANCELLING
 * with two Ls. FAILING and CANCELLING wait for every execution to be terminal (TERMINATED) before
 * the globally terminal FAILED / CANCELED.
 */
export type JobStatusEvent =
  // source: JobMaster (ExecutionGraph built)
  | { type: 'INITIALIZED' }
  // source: JobMaster (scheduling starts, or restarts after the delay)
  | { type: 'START' }
  // source: JobMaster (every execution FINISHED)
  | { type: 'FINISH' }
  // source: JobMaster (a failure the restart strategy does not recover)
  | { type: 'FAIL'; error: SerializedThrowable }
  // source: JobMaster (a failure the restart strategy recovers)
  | { type: 'RESTART' }
  // source: Dispatcher (REST cancel)
  | { type: 'CANCEL' }
  // source: JobMaster (every execution terminal while FAILING / CANCELLING)
  | { type: 'TERMINATED' };
export type JobStatusEventType = JobStatusEvent['type'];

export interface JobStatusRecord {
  failureCause: SerializedThrowable | undefined;
}

const failing = {
  to: 'FAILING' as const,
  action: (r: JobStatusRecord, e: { error: SerializedThrowable }): void => {
    r.failureCause = e.error;
  },
};

const done = { CANCEL: IGNORE, FAIL: IGNORE } as const;

export const jobStatusTransitions: TransitionTable<JobStatus, JobStatusEvent, JobStatusRecord> = {
  INITIALIZING: {
    INITIALIZED: { to: 'CREATED' },
    CANCEL: { to: 'CANCELED' },
    FAIL: {
      to: 'FAILED',
      action: (r, e) => {
        r.failureCause = e.error;
      },
    },
  },
  CREATED: { START: { to: 'RUNNING' }, CANCEL: { to: 'CANCELLING' }, FAIL: failing },
  RUNNING: { FINISH: { to: 'FINISHED' }, FAIL: failing, RESTART: { to: 'RESTARTING' }, CANCEL: { to: 'CANCELLING' } },
  RESTARTING: { START: { to: 'RUNNING' }, CANCEL: { to: 'CANCELLING' }, FAIL: failing },
  FAILING: { TERMINATED: { to: 'FAILED' }, CANCEL: { to: 'CANCELLING' }, FAIL: IGNORE },
  CANCELLING: { TERMINATED: { to: 'CANCELED' }, CANCEL: IGNORE, FAIL: IGNORE },
  FINISHED: done,
  FAILED: done,
  CANCELED: done,
  SUSPENDED: done,
  RECONCILING: { START: { to: 'RUNNING' }, CANCEL: { to: 'CANCELLING' }, FAIL: failing },
};
