import { describe, expect, it } from 'vitest';
import { describeResourceWait, type ResourceWaitFacts } from '../../../../runtime/rest/job-resource-wait.ts';

const base: ResourceWaitFacts = {
  since: 10_000,
  waitingTasks: 3,
  requiredSlots: 2,
  acquiredSlots: 1,
  availableSlots: 0,
  pending: { requestedWorkers: 0, startingWorkers: 0, workerResource: { memoryMb: 1728, cpuCores: 1, numberOfSlots: 1 } },
};

describe('why a job waits for slots (waiting-for-resources)', () => {
  it('names a TaskManager that has its container but has not registered', () => {
    const info = describeResourceWait({ ...base, pending: { ...base.pending, startingWorkers: 1 } });
    expect(info.reason).toBe('Waiting for slots: 1 of 2 acquired, 0 free slots in the cluster. 1 TaskManager starting (container allocated, not registered yet).');
  });

  it('gives the latest failure since the wait began and a pause after too many', () => {
    const info = describeResourceWait({
      ...base,
      pending: { ...base.pending, lastFailure: { message: 'Container exited with a non-zero exit code 1', timestamp: 12_000 }, pausedUntil: 15_000 },
    });
    expect(info['last-failure']).toEqual({ message: 'Container exited with a non-zero exit code 1', timestamp: 12_000 });
    expect(info.reason).toBe(
      'Waiting for slots: 1 of 2 acquired, 0 free slots in the cluster. Starting TaskManagers is paused after too many failures (resourcemanager.start-worker.max-failure-rate). ' +
        'Last TaskManager failure: Container exited with a non-zero exit code 1',
    );
    const older = describeResourceWait({ ...base, pending: { ...base.pending, lastFailure: { message: 'old', timestamp: 9_000 } } });
    expect(older['last-failure']).toBeUndefined();
    expect(older.reason).toBe('Waiting for slots: 1 of 2 acquired, 0 free slots in the cluster. No TaskManager is being requested.');
  });

  it('leaves YARN out when nothing is asked of it, and says when free slots are on their way', () => {
    const info = describeResourceWait({ ...base, availableSlots: 1, pending: { ...base.pending, providerDiagnostics: 'stale text' } });
    expect(info['yarn-diagnostics']).toBeUndefined();
    expect(info.reason).toBe('Waiting for slots: 1 of 2 acquired, 1 free slot in the cluster. Free slots are being offered to the job.');
  });
});
