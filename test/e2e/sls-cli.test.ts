import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessRegistry } from '../fixtures/processes.ts';
import { runWeft } from '../fixtures/weft-cli.ts';

const fixture = (name: string): string => resolve(import.meta.dirname, '../fixtures/sls', name);
const registry = new ProcessRegistry();
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'weft-sls-e2e-'));
  dirs.push(d);
  return d;
};

afterEach(async () => {
  await registry.cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('weft sls', () => {
  it("simulates Hadoop's example trace and writes realtimetrack.json, jobruntime.csv and report.html", async () => {
    const out = join(tempDir(), 'out');
    const res = await runWeft(
      [
        'sls',
        '--tracetype', 'SLS',
        '--tracelocation', fixture('inputsls.json'),
        '--nodes', fixture('nodes.json'),
        '--capacity-config', fixture('sls-queues.xml'),
        '--track-jobs', 'job_1',
        '--output-dir', out,
        '--print-simulation',
      ],
      { registry },
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Number of nodes : 4');
    expect(res.stdout).toContain('Number of applications : 2');
    expect(res.stdout).toContain('Estimated simulate time (s) : 197');
    expect(res.stdout).toContain('SLSRunner tears down.');
    expect(res.stdout).toMatch(/jobs: 2 \(2 finished, 0 failed, 0 never finished\)/);

    const track = JSON.parse(readFileSync(join(out, 'realtimetrack.json'), 'utf8')) as Record<string, number>[];
    expect(track.length).toBeGreaterThan(100);
    // One sample per simulated second, with SLS's keys and the two queues.
    expect(track.slice(0, 5).map((s) => s['simulated.time'])).toEqual([0, 1, 2, 3, 4]);
    expect(track[0]!['cluster.available.memory']).toBe(40);
    expect(Object.keys(track[1]!)).toEqual(expect.arrayContaining(['running.applications', 'running.containers', 'cluster.allocated.memory', 'queue.sls_queue_1.allocated.memory', 'queue.sls_queue_2.pending.memory', 'scheduler.allocate.timecost']));
    expect(Math.max(...track.map((s) => s['running.containers']!))).toBe(4);

    const csv = readFileSync(join(out, 'jobruntime.csv'), 'utf8').trim().split('\n');
    expect(csv[0]!.startsWith('JobID,real_start_time,real_end_time,simulate_start_time,simulate_end_time')).toBe(true);
    expect(csv).toHaveLength(3);
    const [job1, job2] = csv.slice(1).map((l) => l.split(','));
    expect(job1!.slice(1, 3)).toEqual(['0', '95375']);
    expect(job1![0]).toMatch(/^application_\d+_0001$/);
    expect(job2!.slice(5, 10)).toEqual(['job_2', 'mapreduce', 'sls_queue_2', 'default', 'FINISHED']);
    expect(job2![3]).toBe('105204');

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="sls-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as {
      summary: { jobs: number; containers: number };
      gantt: { jobId: string; containers: { kind: string }[] }[];
    };
    expect(data.summary).toMatchObject({ jobs: 2, containers: 7 });
    expect(data.gantt.map((g) => g.jobId)).toEqual(['job_1']);
    expect(data.gantt[0]!.containers.map((c) => c.kind)).toEqual(['am', 'task', 'task', 'task']);
  });

  it('runs a seeded SYNTH trace the same way twice', async () => {
    const dir = tempDir();
    const trace = join(dir, 'synth.json');
    writeFileSync(
      trace,
      JSON.stringify({
        num_nodes: 4,
        nodes_per_rack: 2,
        num_jobs: 6,
        rand_seed: 3,
        workloads: [
          {
            workload_name: 'w',
            queue_name: 'default',
            job_classes: [{ class_name: 'c', class_weight: 1, type: 'mapreduce', duration: { val: 60 }, tasks: [{ type: 'map', priority: 20, count: { val: 3 }, time: { val: 20, std: 5 } }] }],
            time_distribution: [
              { time: 0, weight: 1 },
              { time: 60, weight: 0 },
            ],
          },
        ],
      }),
    );
    const runs = [];
    for (const name of ['a', 'b']) {
      const res = await runWeft(['sls', '--tracetype', 'SYNTH', '--tracelocation', trace, '--output-dir', join(dir, name)], { registry });
      expect(res.code, res.stderr).toBe(0);
      runs.push(readFileSync(join(dir, name, 'jobruntime.csv'), 'utf8'));
    }
    expect(runs[0]!.trim().split('\n')).toHaveLength(7);
    expect(runs[1]).toBe(runs[0]);
  });

  it('rejects a malformed trace naming the file, job and field, before writing any output', async () => {
    const dir = tempDir();
    const trace = join(dir, 'bad.json');
    writeFileSync(trace, '{"job.id": "ok", "job.tasks": [{"duration.ms": 10}]}\n{"job.id": "x", "job.tasks": [{"container.memory-mb": "big", "duration.ms": 10}]}');
    const out = join(dir, 'out');
    const res = await runWeft(['sls', '--tracetype', 'SLS', '--tracelocation', trace, '--output-dir', out], { registry });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(`${trace}: job 1 (x): job.tasks[0]: container.memory-mb must be a number, got "big"`);
    expect(existsSync(out)).toBe(false);
    const missing = await runWeft(['sls', '--tracelocation', trace, '--output-dir', out], { registry });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('--tracetype is required (SLS or SYNTH)');
  });
});
