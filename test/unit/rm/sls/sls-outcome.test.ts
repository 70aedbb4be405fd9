import { describe, expect, it } from 'vitest';
import { acceptedWaitMs } from '../../../../rm/sls/job-record.ts';
import { jobRuntimeCsv } from '../../../../rm/sls/sls-output.ts';
import { reportData, reportHtml } from '../../../../rm/sls/sls-report.ts';
import { rack, simulate, TWO_QUEUES } from './sls-fixture.ts';

const maps = (count: number, durationMs: number) => [{ count, 'container.type': 'map', 'container.duration.ms': durationMs }];
const report = (result: Parameters<typeof reportData>[0]['result']) =>
  reportData({ result, info: [], tracetype: 'SLS', tracelocation: ['trace.json'], scheduler: 'CapacityScheduler', trackJobs: [] });

describe('simulation outcomes computed by hand', () => {
  it('gives each of two 50 % queues its capacity when both ask for more than the cluster', async () => {
    // 2 nodes × 10 GB; each queue's user may use the queue's 10 GB (user-limit-factor 1): AM + 9 maps of 1 GB.
    const { result, job } = await simulate(
      [
        { 'job.id': 'a1', 'job.queue.name': 'a', 'job.tasks': maps(30, 60_000) },
        { 'job.id': 'b1', 'job.queue.name': 'b', 'job.tasks': maps(30, 60_000) },
      ],
      TWO_QUEUES,
      { nodes: [rack('n1', 'n2')] },
    );
    expect(job('a1').finalState).toBe('FINISHED');
    expect(job('b1').finalState).toBe('FINISHED');
    const busy = result.samples.filter((s) => s['cluster.allocated.memory'] === 20);
    expect(busy.length).toBeGreaterThan(60);
    for (const s of busy) {
      expect(s['queue.a.allocated.memory']).toBe(10);
      expect(s['queue.b.allocated.memory']).toBe(10);
      expect(s['running.containers']).toBe(20);
      expect(s['cluster.available.memory']).toBe(0);
    }
    const peak = Math.max(...result.samples.map((s) => s['cluster.allocated.memory'] as number));
    expect(peak).toBe(20);
    // 30 maps at 9 at a time in each queue: four waves of 60 s.
    for (const id of ['a1', 'b1']) {
      const r = job(id);
      const waves = new Set(r.containers.filter((c) => c.type === 'map').map((c) => Math.round(c.allocatedMs / 60_000)));
      expect(waves.size).toBe(4);
    }
    const s = report(result).summary;
    expect(s.jobs).toBe(2);
    expect(s.finished).toBe(2);
    expect(s.containers).toBe(62);
    // 60 map-minutes at 1 GB = 30 container-hours... per queue 30 maps × 60 s = 0.5 h; plus the AMs.
    expect(s.containerHours).toBeGreaterThan(1);
    expect(s.containerHours - s.amHours).toBeCloseTo(1, 1);
  });

  it('holds the second and third application in ACCEPTED by the AM limit until the one before finishes', async () => {
    // Queue a may use the whole 10 GB node; maximum-am-resource-percent 0.1 of that is 1 GB: one 1 GB AM at a time.
    const { result, job } = await simulate(
      ['j1', 'j2', 'j3'].map((id) => ({ 'job.id': id, 'job.queue.name': 'a', 'job.start.ms': 0, 'job.tasks': maps(1, 30_000) })),
      TWO_QUEUES,
      { nodes: [rack('n1')] },
    );
    const [j1, j2, j3] = ['j1', 'j2', 'j3'].map(job);
    for (const r of [j1!, j2!, j3!]) expect(r.finalState).toBe('FINISHED');
    expect(acceptedWaitMs(j1!)).toBe(0);
    // Each waits for the one before to unregister and its AM container to be freed.
    expect(j2!.amAllocatedMs).toBeGreaterThanOrEqual(j1!.unregisteredMs as number);
    expect(j3!.amAllocatedMs).toBeGreaterThanOrEqual(j2!.unregisteredMs as number);
    const turnaround = (j1!.unregisteredMs as number) - (j1!.submitMs as number);
    expect(turnaround).toBeGreaterThanOrEqual(30_000);
    expect(acceptedWaitMs(j2!)).toBeGreaterThanOrEqual(turnaround);
    expect(acceptedWaitMs(j2!)).toBeLessThanOrEqual(turnaround + 2_000);
    expect(acceptedWaitMs(j3!)).toBeGreaterThanOrEqual(2 * turnaround);
    for (const r of [j2!, j3!]) {
      expect(r.waitReason).toContain('Application is added to the scheduler and is not yet activated.');
      expect(r.waitReason).toContain("Queue's AM resource limit exceeded.");
      expect(r.waitReason).toContain('Queue Resource Limit for AM = <memory:1024, vCores:1>');
    }
    expect(j1!.waitReason).toBe('');
    const csv = jobRuntimeCsv(result.records).trim().split('\n');
    expect(csv[0]).toMatch(/^JobID,real_start_time,real_end_time,simulate_start_time,simulate_end_time,/);
    expect(csv).toHaveLength(4);
    expect(csv[2]).toContain(`,j2,mapreduce,a,default,FINISHED,`);
    expect(csv[2]).toContain("Queue's AM resource limit exceeded.");
    const data = report(result);
    expect(data.summary.byMode).toHaveLength(1);
    expect(data.summary.byMode[0]!.meanWaitS).toBeCloseTo(((acceptedWaitMs(j2!) as number) + (acceptedWaitMs(j3!) as number)) / 3 / 1000, 3);
    expect(data.jobs.map((j) => j.jobId)).toEqual(['j1', 'j2', 'j3']);
  });

  it('fails an application of an unknown queue as the RM does, and runs the rest', async () => {
    const { job } = await simulate(
      [
        { 'job.id': 'lost', 'job.queue.name': 'nosuch', 'job.tasks': maps(1, 5_000) },
        { 'job.id': 'fine', 'job.queue.name': 'b', 'job.tasks': maps(1, 5_000) },
      ],
      TWO_QUEUES,
      { nodes: [rack('n1')] },
    );
    expect(job('lost').finalState).toBe('FAILED');
    expect(job('lost').diagnostics).toMatch(/nosuch/);
    expect(job('lost').containers).toEqual([]);
    expect(job('fine').finalState).toBe('FINISHED');
  });

  it('gives an empty report for an empty trace', async () => {
    const { result } = await simulate([], TWO_QUEUES);
    expect(result.records).toEqual([]);
    const data = report(result);
    expect(data.summary.jobs).toBe(0);
    expect(data.jobs).toEqual([]);
    expect(reportHtml(data)).toContain('weft-sls-report/1');
    expect(jobRuntimeCsv(result.records).trim().split('\n')).toHaveLength(1);
  });
});
