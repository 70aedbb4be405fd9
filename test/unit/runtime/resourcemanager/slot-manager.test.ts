import { describe, expect, it } from 'vitest';
import { decideSlots, type SlotManagerInput, type WorkerView } from '../../../../runtime/resourcemanager/slot-manager.ts';

const worker = (resourceId: string, jobs: (string | null)[], idleSince?: number): WorkerView => ({
  resourceId,
  idleSince,
  slots: jobs.map((jobId, slotNumber) => ({ slotId: { resourceId, slotNumber }, jobId })),
});

const input = (over: Partial<SlotManagerInput>): SlotManagerInput => ({
  jobs: [],
  workers: [],
  requestedWorkers: 0,
  startingWorkers: 0,
  slotsPerWorker: 2,
  now: 1_000_000,
  idleTimeoutMs: 30_000,
  canStartWorkers: true,
  ...over,
});

describe('SlotManager decision', () => {
  it('assigns free slots to a job and asks for no worker when they suffice', () => {
    const d = decideSlots(input({ jobs: [{ jobId: 'a', requiredSlots: 2 }], workers: [worker('tm1', [null, null])] }));
    expect(d.assignments).toEqual([
      { slotId: { resourceId: 'tm1', slotNumber: 0 }, jobId: 'a' },
      { slotId: { resourceId: 'tm1', slotNumber: 1 }, jobId: 'a' },
    ]);
    expect(d.workersToRequest).toBe(0);
    expect(d.missingSlots).toBe(0);
  });

  it('requests ceil(missing / slotsPerWorker) workers minus the pending ones', () => {
    expect(decideSlots(input({ jobs: [{ jobId: 'a', requiredSlots: 5 }] })).workersToRequest).toBe(3);
    expect(decideSlots(input({ jobs: [{ jobId: 'a', requiredSlots: 5 }], requestedWorkers: 1, startingWorkers: 1 })).workersToRequest).toBe(1);
    expect(decideSlots(input({ jobs: [{ jobId: 'a', requiredSlots: 5 }], startingWorkers: 4 })).workersToRequest).toBe(0);
    const d = decideSlots(input({ jobs: [{ jobId: 'a', requiredSlots: 5 }], workers: [worker('tm1', [null, 'b'])] }));
    expect(d.assignments).toHaveLength(1);
    expect(d.missingSlots).toBe(4);
    expect(d.workersToRequest).toBe(2);
  });

  it('counts slots a job already holds: declarations are absolute totals', () => {
    const workers = [worker('tm1', ['a', 'a']), worker('tm2', [null, null])];
    expect(decideSlots(input({ jobs: [{ jobId: 'a', requiredSlots: 2 }], workers })).assignments).toEqual([]);
    expect(decideSlots(input({ jobs: [{ jobId: 'a', requiredSlots: 3 }], workers })).assignments).toEqual([{ slotId: { resourceId: 'tm2', slotNumber: 0 }, jobId: 'a' }]);
  });

  it('packs jobs onto TaskManagers already in use', () => {
    const d = decideSlots(input({ jobs: [{ jobId: 'b', requiredSlots: 1 }], workers: [worker('tm1', [null, null], 0), worker('tm2', ['a', null])] }));
    expect(d.assignments).toEqual([{ slotId: { resourceId: 'tm2', slotNumber: 1 }, jobId: 'b' }]);
  });

  it('releases TaskManagers idle for the timeout, and only those', () => {
    const now = 1_000_000;
    const workers = [worker('old', [null, null], now - 30_000), worker('young', [null, null], now - 29_999), worker('busy', ['a', null])];
    expect(decideSlots(input({ workers, now, jobs: [{ jobId: 'a', requiredSlots: 1 }] })).workersToRelease).toEqual(['old']);
  });

  it('does not release an idle TaskManager whose slots it just handed out', () => {
    const d = decideSlots(input({ jobs: [{ jobId: 'a', requiredSlots: 1 }], workers: [worker('tm1', [null, null], 0)] }));
    expect(d.assignments).toHaveLength(1);
    expect(d.workersToRelease).toEqual([]);
  });

  it('withdraws requested workers no longer needed, but never more than have no container yet', () => {
    expect(decideSlots(input({ jobs: [{ jobId: 'a', requiredSlots: 2 }], requestedWorkers: 3 })).requestsToWithdraw).toBe(2);
    expect(decideSlots(input({ jobs: [], requestedWorkers: 1, startingWorkers: 2 })).requestsToWithdraw).toBe(1);
    expect(decideSlots(input({ jobs: [{ jobId: 'a', requiredSlots: 4 }], requestedWorkers: 1, startingWorkers: 1 })).requestsToWithdraw).toBe(0);
  });

  it('requests no worker while worker creation is paused', () => {
    const d = decideSlots(input({ jobs: [{ jobId: 'a', requiredSlots: 3 }], canStartWorkers: false }));
    expect(d.missingSlots).toBe(3);
    expect(d.workersToRequest).toBe(0);
  });
});
