import { readFileSync } from 'node:fs';
import type { Resource } from '../protocol/records.ts';
import { FieldReader } from './field-reader.ts';
import { parseJsonStream, SlsInputError } from './json-stream.ts';
import type { SlsConfig } from './sls-config.ts';
import { AM_TYPES, generateNodes, rackAndHost, type AmType, type JobSpec, type NodeSpec, type TaskSpec, type Workload } from './sls-job.ts';

/** MRAMSimulator's priorities: reduces (10) before maps (20) once the maps are done. */
export const PRIORITY_MAP = 20;
export const PRIORITY_REDUCE = 10;
const DEFAULT_TASK_PRIORITY = PRIORITY_MAP;

/** Reads SLS JSON trace files (`--tracetype SLS`), in order; job start times are kept as written. */
export function readSlsTraces(files: readonly string[], config: SlsConfig): Workload {
  const jobs: JobSpec[] = [];
  const nodes = new Map<string, NodeSpec>();
  const counter = { next: 0 };
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new SlsInputError(`${file}: cannot read the trace: ${(err as Error).message}`);
    }
    const parsed = parseSlsTrace(text, file, config, counter);
    jobs.push(...parsed.jobs);
    for (const n of parsed.nodes) if (!nodes.has(n.host)) nodes.set(n.host, n);
  }
  return { jobs: sortByStart(jobs), nodes: [...nodes.values()], skipped: [] };
}

/**
 * One SLS trace: concatenated objects, each a job (`job.tasks` present) or a topology header
 * (`num.nodes`, `num.racks`). Field names and defaults are AMDefinitionSLS's and
 * TaskContainerDefinition's (reference/yarn.md §9).
 */
export function parseSlsTrace(text: string, file: string, config: SlsConfig, counter = { next: 0 }): { jobs: JobSpec[]; nodes: NodeSpec[] } {
  const jobs: JobSpec[] = [];
  const nodes = new Map<string, NodeSpec>();
  const addNode = (n: NodeSpec): void => {
    if (!nodes.has(n.host)) nodes.set(n.host, n);
  };
  let jobIndex = 0;
  for (const value of parseJsonStream(text, file)) {
    const entries = Array.isArray(value) ? value : [value];
    for (const entry of entries) {
      const probe = new FieldReader(entry, `${file}: job ${jobIndex}`);
      if (probe.has('num.nodes')) {
        const header = new FieldReader(entry, `${file}: topology`);
        for (const n of generateNodes(header.int('num.nodes'), header.int('num.racks', 1), config.nodeResource)) addNode(n);
      }
      if (!probe.has('job.tasks')) {
        if (probe.has('num.nodes')) continue;
        probe.fail('job.tasks', 'is missing (each job needs at least one task)');
      }
      for (const job of parseJob(entry, `${file}: job ${jobIndex}`, config, counter)) {
        jobs.push(job);
        for (const t of job.tasks) if (t.host) addNode({ host: t.host, rack: t.rack ?? 'default-rack', resource: config.nodeResource });
      }
      jobIndex++;
    }
  }
  return { jobs, nodes: [...nodes.values()] };
}

function parseJob(entry: unknown, where: string, config: SlsConfig, counter: { next: number }): JobSpec[] {
  const named = new FieldReader(entry, where);
  const givenId = named.has('job.id') ? named.string('job.id') : undefined;
  const r = new FieldReader(entry, givenId ? `${where} (${givenId})` : where);
  const amType = r.oneOf<AmType>('am.type', AM_TYPES, 'mapreduce');
  const startMs = r.number('job.start.ms', 0);
  const endMs = r.number('job.end.ms', 0);
  if (startMs < 0) r.fail('job.start.ms', 'must not be negative');
  if (endMs < 0) r.fail('job.end.ms', 'must not be negative');
  const count = Math.max(1, r.int('job.count', 1));
  const queue = r.string('job.queue.name', 'default');
  const user = r.string('job.user', 'default');
  const flinkDefaults = config.flink;
  const amDefault = amType === 'flink' ? flinkDefaults.jobManagerResource : config.amResource;
  const amResource = { memory: r.int('am.memory-mb', amDefault.memory), vCores: r.int('am.vcores', amDefault.vCores) };
  const amStartupMs = r.number('am.startup.ms', amType === 'flink' ? flinkDefaults.jobManagerStartupMs : 0);
  const containerStartupMs = r.number('container.startup.ms', amType === 'flink' ? flinkDefaults.taskManagerStartupMs : 0);
  const taskEntries = r.array('job.tasks') ?? [];
  if (taskEntries.length === 0) r.fail('job.tasks', 'must list at least one task');
  const taskDefault = amType === 'flink' ? flinkDefaults.taskManagerResource : config.containerResource;
  const tasks: TaskSpec[] = [];
  taskEntries.forEach((t, i) => tasks.push(...parseTask(t, `${r.where}: job.tasks[${i}]`, amType, taskDefault)));
  let flink: JobSpec['flink'];
  if (amType === 'flink') {
    flink = {
      mode: config.flink.mode ?? r.oneOf('flink.mode', ['per-job', 'session'] as const, 'per-job'),
      session: r.string('flink.session', 'default'),
      slots: tasks.length,
      runMs: Math.max(...tasks.map((t) => t.durationMs)),
      taskManagerResource: (tasks[0] as TaskSpec).resource,
    };
  }
  const out: JobSpec[] = [];
  for (let k = 0; k < count; k++) {
    // SLS: the trace's job.id only names a job that is not replicated by job.count.
    const id = count === 1 && givenId !== undefined ? givenId : String(counter.next);
    counter.next++;
    out.push({
      source: r.where,
      id,
      amType,
      queue,
      user,
      startMs,
      endMs,
      amResource,
      amStartupMs,
      containerStartupMs,
      tasks: amType === 'flink' ? [] : tasks,
      ...(flink ? { flink } : {}),
    });
  }
  return out;
}

function parseTask(entry: unknown, where: string, amType: AmType, resourceDefault: Resource): TaskSpec[] {
  const r = new FieldReader(entry, where);
  const count = Math.max(1, r.int('count', 1));
  let durationMs = 0;
  if (r.has('container.duration.ms')) durationMs = r.number('container.duration.ms');
  else if (r.has('duration.ms')) durationMs = r.number('duration.ms');
  else if (r.has('container.start.ms') && r.has('container.end.ms')) durationMs = r.number('container.end.ms') - r.number('container.start.ms');
  if (!(durationMs > 0)) {
    throw new SlsInputError(
      `${where}: the task's duration must be positive: give container.duration.ms, or container.start.ms and container.end.ms with end after start`,
    );
  }
  const defaultType = amType === 'flink' ? 'taskmanager' : 'map';
  const type = r.string('container.type', defaultType);
  if (amType === 'mapreduce' && type !== 'map' && type !== 'reduce') r.fail('container.type', 'must be map or reduce for am.type mapreduce');
  const memoryKey = r.has('container.memory-mb') ? 'container.memory-mb' : 'container.memory';
  const resource = { memory: r.int(memoryKey, resourceDefault.memory), vCores: r.int('container.vcores', resourceDefault.vCores) };
  if (resource.memory <= 0) r.fail(memoryKey, 'must be positive');
  if (resource.vCores <= 0) r.fail('container.vcores', 'must be positive');
  const place = r.has('container.host') ? rackAndHost(r.string('container.host')) : undefined;
  const priority = r.int('container.priority', DEFAULT_TASK_PRIORITY);
  const executionType = r.oneOf('container.execution.type', ['GUARANTEED', 'OPPORTUNISTIC'] as const, 'GUARANTEED');
  const allocationRequestId = Math.max(0, r.int('container.allocation.id', 0));
  const task: TaskSpec = { type, resource, durationMs, priority, executionType, allocationRequestId, ...(place ? { host: place.host, rack: place.rack } : {}) };
  return Array.from({ length: count }, () => task);
}

export function sortByStart(jobs: JobSpec[]): JobSpec[] {
  // Stable: jobs starting together keep their trace order.
  return jobs.map((j, i) => [j, i] as const).sort((a, b) => a[0].startMs - b[0].startMs || a[1] - b[1]).map(([j]) => j);
}
