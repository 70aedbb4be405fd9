import { describe, expect, it } from 'vitest';
import { rack, simulate, TWO_QUEUES } from './sls-fixture.ts';

const task = (type: string, durationMs: number, extra: object = {}) => ({ 'container.type': type, 'container.duration.ms': durationMs, ...extra });

describe('mapreduce AM simulator', () => {
  it('asks for every map at once and for the reduces only once all maps are done; the job ends with its last reduce', async () => {
    const { job } = await simulate(
      [{ 'job.id': 'mr', 'job.queue.name': 'a', 'job.start.ms': 0, 'job.tasks': [task('map', 10_000), task('map', 20_000), task('map', 15_000), task('reduce', 5_000, { 'container.priority': 10 })] }],
      TWO_QUEUES,
      { nodes: [rack('n1')] },
    );
    const r = job('mr');
    expect(r.finalState).toBe('FINISHED');
    const maps = r.containers.filter((c) => c.type === 'map');
    const reduces = r.containers.filter((c) => c.type === 'reduce');
    expect(maps).toHaveLength(3);
    expect(reduces).toHaveLength(1);
    // All three maps run together (the node has room), each for its trace duration.
    const firstMap = Math.min(...maps.map((c) => c.allocatedMs));
    for (const m of maps) expect(m.allocatedMs).toBe(firstMap);
    expect(maps.map((m) => (m.endMs as number) - m.startMs).sort((a, b) => a - b)).toEqual([10_000, 15_000, 20_000]);
    const lastMapEnd = Math.max(...maps.map((c) => c.endMs as number));
    expect(reduces[0]!.allocatedMs).toBeGreaterThanOrEqual(lastMapEnd);
    // Asked at the AM heartbeat that heard of the last map's end, given at the next: within two heartbeats.
    expect(reduces[0]!.allocatedMs - lastMapEnd).toBeLessThanOrEqual(2_000);
    expect(r.unregisteredMs).toBeGreaterThanOrEqual(reduces[0]!.endMs as number);
    expect(r.containers.filter((c) => c.kind === 'am')).toHaveLength(1);
  });

  it('reports and skips a task larger than the maximum allocation, and still finishes the job', async () => {
    const { job } = await simulate(
      [{ 'job.id': 'big', 'job.queue.name': 'a', 'job.tasks': [task('map', 1_000), task('map', 1_000, { 'container.memory-mb': 65_536 })] }],
      { ...TWO_QUEUES, 'yarn.scheduler.maximum-allocation-mb': '8192' },
      { nodes: [rack('n1')] },
    );
    const r = job('big');
    expect(r.finalState).toBe('FINISHED');
    expect(r.containers.filter((c) => c.kind === 'task')).toHaveLength(1);
    expect(r.skipped).toEqual(['task 1 (map <memory:65536, vCores:1>) is larger than the maximum allocation <memory:8192, vCores:32>']);
  });
});

describe('stream AM simulator', () => {
  it('keeps its containers up until job.end.ms − job.start.ms after submission, asking again for one that ended', async () => {
    const { job } = await simulate(
      [{ 'am.type': 'stream', 'job.id': 's', 'job.queue.name': 'b', 'job.start.ms': 2_000, 'job.end.ms': 62_000, 'job.tasks': [task('worker', 25_000, { count: 2 })] }],
      TWO_QUEUES,
      { nodes: [rack('n1')] },
    );
    const r = job('s');
    expect(r.finalState).toBe('FINISHED');
    expect(r.submitMs).toBe(2_000);
    expect(r.unregisteredMs).toBe(62_000);
    const workers = r.containers.filter((c) => c.type === 'worker');
    // Two at a time, each re-asked after its 25 s: 0-25, 25-50, 50-end for each of the two.
    expect(workers.length).toBe(6);
    for (const w of workers) expect(w.endMs).toBeDefined();
    expect(Math.max(...workers.map((w) => w.endMs as number))).toBeLessThanOrEqual(r.endMs as number);
    expect(workers.filter((w) => (w.endMs as number) - w.startMs === 25_000)).toHaveLength(4);
  });
});

describe('Flink AM simulators', () => {
  const flinkJob = (id: string, startMs: number, slots: number, durationMs: number, mode: string, extra: object = {}) => ({
    'am.type': 'flink',
    'job.id': id,
    'job.queue.name': 'a',
    'job.start.ms': startMs,
    'flink.mode': mode,
    'am.startup.ms': 2_000,
    'container.startup.ms': 1_000,
    'job.tasks': [{ count: slots, 'container.duration.ms': durationMs }],
    ...extra,
  });
  const props = { ...TWO_QUEUES, 'taskmanager.numberOfTaskSlots': '2', 'resourcemanager.taskmanager-timeout': '30000' };

  it('per-job: a JobManager AM and slots/numberOfTaskSlots TaskManagers, all released when the job finishes', async () => {
    const { job } = await simulate([flinkJob('pj', 0, 4, 60_000, 'per-job')], props, { nodes: [rack('n1', 'n2')] });
    const r = job('pj');
    expect(r.finalState).toBe('FINISHED');
    expect(r.flink?.mode).toBe('per-job');
    const am = r.containers.filter((c) => c.kind === 'am');
    const tms = r.containers.filter((c) => c.kind === 'taskmanager');
    expect(am).toHaveLength(1);
    expect(tms).toHaveLength(2);
    // JobManager start-up, then TaskManagers asked, launched and started: the job runs its 60 s once all 4 slots are there.
    const running = r.flink?.runningMs as number;
    expect(running).toBeGreaterThanOrEqual(am[0]!.startMs + 2_000 + 1_000);
    expect(r.flink?.finishedMs).toBe(running + 60_000);
    for (const tm of tms) expect(tm.endMs).toBeLessThanOrEqual((r.flink?.finishedMs as number) + 2_000);
    expect(r.endMs).toBeLessThanOrEqual((r.flink?.finishedMs as number) + 2_000);
  });

  it('session: one long-running AM for every job; TaskManagers are reused while they are not idle for resourcemanager.taskmanager-timeout', async () => {
    const { job, result } = await simulate(
      [flinkJob('j1', 0, 2, 20_000, 'session', { 'flink.session': 's' }), flinkJob('j2', 30_000, 2, 20_000, 'session', { 'flink.session': 's' })],
      props,
      { nodes: [rack('n1')] },
    );
    const session = job('session:s');
    const j1 = job('j1');
    const j2 = job('j2');
    expect([j1.finalState, j2.finalState, session.finalState]).toEqual(['FINISHED', 'FINISHED', 'FINISHED']);
    expect(j1.appId).toBe(session.appId);
    expect(j2.appId).toBe(session.appId);
    expect(result.records.filter((r) => r.appId === session.appId && r.amType === 'flink-session')).toHaveLength(1);
    const ams = session.containers.filter((c) => c.kind === 'am');
    const tms = session.containers.filter((c) => c.kind === 'taskmanager');
    expect(ams).toHaveLength(1);
    // j2 came 10 s after j1 freed the TaskManager, within the 30 s timeout: it reused it, no new container.
    expect(tms).toHaveLength(1);
    // ...and runs as soon as it arrives: no JobManager or TaskManager start-up to wait for.
    expect((j2.flink?.runningMs as number) - (j2.submitMs as number)).toBe(0);
    expect((j1.flink?.runningMs as number) - (j1.submitMs as number)).toBeGreaterThanOrEqual(3_000);
    // Released resourcemanager.taskmanager-timeout after j2 finished; the session then stops.
    const j2End = j2.flink?.finishedMs as number;
    expect(tms[0]!.endMs).toBeGreaterThanOrEqual(j2End + 30_000);
    expect(tms[0]!.endMs).toBeLessThanOrEqual(j2End + 32_000);
  });
});
