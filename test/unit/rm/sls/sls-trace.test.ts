import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSlsConfig } from '../../../../rm/sls/sls-config.ts';
import { parseNodesFile } from '../../../../rm/sls/sls-nodes.ts';
import { parseSlsTrace } from '../../../../rm/sls/sls-trace.ts';
import { generateSynthWorkload } from '../../../../rm/sls/synth-trace.ts';

const fixture = (name: string): string => resolve(import.meta.dirname, '../../../fixtures/sls', name);
const config = createSlsConfig();

describe('SLS JSON trace', () => {
  it("reads Hadoop's documented example (inputsls.json): jobs, queues, task durations, priorities and hosts", () => {
    const { jobs, nodes } = parseSlsTrace(readFileSync(fixture('inputsls.json'), 'utf8'), 'inputsls.json', config);
    expect(jobs.map((j) => [j.id, j.amType, j.queue, j.user, j.startMs, j.endMs])).toEqual([
      ['job_1', 'mapreduce', 'sls_queue_1', 'default', 0, 95375],
      ['job_2', 'mapreduce', 'sls_queue_2', 'default', 105204, 197256],
    ]);
    const job1 = jobs[0]!;
    expect(job1.tasks.map((t) => [t.type, t.priority, t.durationMs, t.rack, t.host, t.executionType])).toEqual([
      ['map', 20, 23707 - 6664, 'default-rack', 'node1', 'GUARANTEED'],
      ['map', 20, 21593 - 6665, 'default-rack', 'node3', 'GUARANTEED'],
      ['map', 20, 86613 - 68770, 'default-rack', 'node2', 'GUARANTEED'],
    ]);
    // SLS defaults: AM and task containers of yarn.sls.am.container.* / yarn.sls.container.* (1024 MB, 1 vcore).
    expect(job1.amResource).toEqual({ memory: 1024, vCores: 1 });
    expect(job1.tasks[0]!.resource).toEqual({ memory: 1024, vCores: 1 });
    // Without a nodes file the topology is the hosts the tasks name, of yarn.sls.nm.* size.
    expect(nodes.map((n) => `${n.rack}/${n.host}`).sort()).toEqual(['default-rack/node1', 'default-rack/node2', 'default-rack/node3']);
    expect(nodes[0]!.resource).toEqual({ memory: 10240, vCores: 10 });
  });

  it('takes a num.nodes/num.racks header, job.count replicas with counter ids, count and duration.ms per task, and resource overrides', () => {
    const text = `{"num.nodes": 4, "num.racks": 2}
      {"job.start.ms": 1000, "job.count": 2, "am.memory-mb": 2048, "job.tasks": [
        {"count": 3, "duration.ms": 500, "container.memory-mb": 3072, "container.vcores": 2},
        {"container.type": "reduce", "container.priority": 10, "container.duration.ms": 700}]}
      {"am.type": "stream", "job.id": "s1", "job.tasks": [{"container.duration.ms": 60000, "container.type": "worker"}]}`;
    const { jobs, nodes } = parseSlsTrace(text, 't.json', config);
    expect(nodes.map((n) => `${n.rack}/${n.host}`)).toEqual(['rack0/node0', 'rack1/node1', 'rack0/node2', 'rack1/node3']);
    expect(jobs.map((j) => j.id)).toEqual(['0', '1', 's1']);
    const mr = jobs[0]!;
    expect(mr.amResource).toEqual({ memory: 2048, vCores: 1 });
    expect(mr.tasks.map((t) => [t.type, t.priority, t.durationMs, t.resource.memory, t.resource.vCores])).toEqual([
      ['map', 20, 500, 3072, 2],
      ['map', 20, 500, 3072, 2],
      ['map', 20, 500, 3072, 2],
      ['reduce', 10, 700, 1024, 1],
    ]);
    expect(jobs[2]!.amType).toBe('stream');
    expect(jobs[2]!.tasks[0]!.type).toBe('worker');
  });

  it('names the file, the job index and the field of a malformed line', () => {
    const good = '{"job.id": "a", "job.tasks": [{"duration.ms": 10}]}';
    expect(() => parseSlsTrace(`${good}\n{"job.id": "b", "job.start.ms": "soon", "job.tasks": [{"duration.ms": 10}]}`, 'trace.json', config)).toThrow(
      'trace.json: job 1 (b): job.start.ms must be a number, got "soon"',
    );
    expect(() => parseSlsTrace(`${good}\n${good}\n{"job.tasks": [{"container.start.ms": 50, "container.end.ms": 20}]}`, 'trace.json', config)).toThrow(
      /trace\.json: job 2: job\.tasks\[0\]: the task's duration must be positive/,
    );
    expect(() => parseSlsTrace('{"am.type": "spark", "job.tasks": [{"duration.ms": 10}]}', 'trace.json', config)).toThrow(
      'trace.json: job 0: am.type must be one of mapreduce, stream, flink, got "spark"',
    );
    expect(() => parseSlsTrace(`${good}\n{"job.tasks": [`, 'trace.json', config)).toThrow(/trace\.json/);
  });

  it('reads an empty trace as no jobs', () => {
    expect(parseSlsTrace('', 'empty.json', config).jobs).toEqual([]);
  });
});

describe('SLS nodes file', () => {
  it('reads racks of nodes with per-node memory-mb and vcores overrides (nodes-with-resources.json)', () => {
    const text = `{"rack": "rack1", "nodes": [{"node": "node1"}, {"node": "node2", "memory-mb": 2048, "vcores": 6}]}
      {"rack": "/rack2", "nodes": [{"node": "node3", "labels": "label1"}]}`;
    expect(parseNodesFile(text, 'nodes.json', { memory: 10240, vCores: 10 })).toEqual([
      { host: 'node1', rack: 'rack1', resource: { memory: 10240, vCores: 10 } },
      { host: 'node2', rack: 'rack1', resource: { memory: 2048, vCores: 6 } },
      { host: 'node3', rack: 'rack2', resource: { memory: 10240, vCores: 10 } },
    ]);
    expect(() => parseNodesFile('{"rack": "r", "nodes": [{"node": "n", "memory-mb": "lots"}]}', 'nodes.json', { memory: 1, vCores: 1 })).toThrow(
      'nodes.json: rack entry 0 (r): nodes[0]: memory-mb must be a number, got "lots"',
    );
  });
});

describe('SYNTH trace', () => {
  const synth = (seed: number, jobs = 40): string =>
    JSON.stringify({
      description: 'test',
      num_nodes: 6,
      nodes_per_rack: 3,
      num_jobs: jobs,
      rand_seed: seed,
      workloads: [
        {
          workload_name: 'w',
          workload_weight: 1,
          queue_name: 'sls_queue_1',
          job_classes: [
            {
              class_name: 'mr',
              user_name: 'alice',
              class_weight: 1,
              type: 'mapreduce',
              duration: { val: 60 },
              tasks: [
                { type: 'map', priority: 20, count: { val: 10, std: 5 }, time: { val: 30, std: 10 }, max_memory: { val: 2048 }, max_vcores: { val: 1 } },
                { type: 'reduce', priority: 10, count: { val: 2, std: 1 }, time: { val: 20, std: 5 }, max_memory: { val: 4096 }, max_vcores: { val: 2 } },
              ],
            },
          ],
          time_distribution: [
            { time: 0, weight: 1 },
            { time: 600, weight: 0 },
          ],
        },
      ],
    });

  it('is reproducible from rand_seed and draws lognormal task counts and durations around the class values', () => {
    const a = generateSynthWorkload(synth(7), 's.json', config);
    const b = generateSynthWorkload(synth(7), 's.json', config);
    const c = generateSynthWorkload(synth(8), 's.json', config);
    expect(a.jobs).toEqual(b.jobs);
    expect(a.jobs).not.toEqual(c.jobs);
    expect(a.jobs).toHaveLength(40);
    expect(a.nodes.map((n) => `${n.rack}/${n.host}`)).toEqual(['rack0/node0', 'rack1/node1', 'rack0/node2', 'rack1/node3', 'rack0/node4', 'rack1/node5']);
    for (const j of a.jobs) {
      expect(j.queue).toBe('sls_queue_1');
      expect(j.user).toBe('alice');
      expect(j.startMs).toBeGreaterThanOrEqual(0);
      expect(j.startMs).toBeLessThan(600_000);
    }
    // Submission order.
    expect(a.jobs.map((j) => j.startMs)).toEqual([...a.jobs.map((j) => j.startMs)].sort((x, y) => x - y));
    const maps = a.jobs.map((j) => j.tasks.filter((t) => t.type === 'map'));
    const counts = maps.map((m) => m.length);
    // Lognormal, not constant: counts vary, and their median sits near the class's val.
    expect(new Set(counts).size).toBeGreaterThan(3);
    const sorted = [...counts].sort((x, y) => x - y);
    expect(sorted[20]).toBeGreaterThanOrEqual(6);
    expect(sorted[20]).toBeLessThanOrEqual(14);
    const durations = maps.flat().map((t) => t.durationMs);
    expect(new Set(durations).size).toBeGreaterThan(10);
    for (const t of a.jobs.flatMap((j) => j.tasks)) {
      expect(t.resource).toEqual(t.type === 'map' ? { memory: 2048, vCores: 1 } : { memory: 4096, vCores: 2 });
      expect(t.priority).toBe(t.type === 'map' ? 20 : 10);
    }
  });

  it('names the field of a malformed SYNTH file', () => {
    expect(() => generateSynthWorkload('{"num_nodes": 2, "num_jobs": "many", "workloads": []}', 's.json', config)).toThrow('s.json: num_jobs must be a number');
  });
});
