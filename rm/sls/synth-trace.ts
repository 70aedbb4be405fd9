import { readFileSync } from 'node:fs';
import { FieldReader } from './field-reader.ts';
import { parseJsonStream, SlsInputError } from './json-stream.ts';
import { SeededRandom } from './seeded-random.ts';
import type { SlsConfig } from './sls-config.ts';
import { AM_TYPES, generateNodes, type AmType, type JobSpec, type TaskSpec, type Workload } from './sls-job.ts';
import { PRIORITY_MAP, PRIORITY_REDUCE, sortByStart } from './sls-trace.ts';

/** SynthJob's floor for sampled task sizes. */
const MIN_MEMORY = 1024;
const MIN_VCORES = 1;

/** A SYNTH `Sample`: a constant (`val`), a distribution (`val`, `std`, `dist` LOGNORM|NORM) or a weighted choice (`discrete`, `weights`). */
type Sample = (rand: SeededRandom) => number;

function sample(value: unknown, where: string): Sample {
  if (typeof value === 'number') return () => value;
  const r = new FieldReader(value, where);
  if (r.has('discrete')) {
    const choices = (r.array('discrete') ?? []).map((c, i) => {
      const n = Number(c);
      if (!Number.isFinite(n)) throw new SlsInputError(`${where}: discrete[${i}] must be a number, got ${JSON.stringify(c)}`);
      return n;
    });
    if (choices.length === 0) r.fail('discrete', 'must list at least one value');
    const weights = r.has('weights') ? (r.array('weights') ?? []).map(Number) : choices.map(() => 1);
    if (weights.length !== choices.length || weights.some((w) => !Number.isFinite(w) || w < 0)) r.fail('weights', `must be ${choices.length} non-negative numbers`);
    return (rand) => choices[rand.weighted(weights)] as number;
  }
  const val = r.number('val');
  if (!r.has('std')) return () => val;
  const std = r.number('std');
  const dist = r.oneOf('dist', ['LOGNORM', 'NORM'] as const, 'LOGNORM');
  return dist === 'NORM' ? (rand) => rand.normal(val, std) : (rand) => rand.logNormal(val, std);
}

interface TaskClass {
  readonly type: string;
  readonly priority: number;
  readonly count: Sample;
  readonly time: Sample;
  readonly memory: Sample;
  readonly vcores: Sample;
  /** Whether the class gave max_memory (else a Flink TaskManager keeps Flink's own size). */
  readonly sized: boolean;
  readonly executionType: 'GUARANTEED' | 'OPPORTUNISTIC';
}

interface JobClass {
  readonly name: string;
  readonly user: string;
  readonly weight: number;
  readonly type: AmType;
  readonly duration: Sample;
  readonly tasks: readonly TaskClass[];
  readonly params: Readonly<Record<string, string>>;
}

interface SynthWorkload {
  readonly weight: number;
  readonly queue: string;
  readonly classes: readonly JobClass[];
  readonly times: readonly { time: number; weight: number }[];
}

/** Reads a SYNTH file (SynthTraceJobProducer's format, the current and the old flat job-class keys). */
export function readSynthTrace(file: string, config: SlsConfig): Workload {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SlsInputError(`${file}: cannot read the SYNTH trace: ${(err as Error).message}`);
  }
  return generateSynthWorkload(text, file, config);
}

export function generateSynthWorkload(text: string, file: string, config: SlsConfig): Workload {
  const [doc, extra] = parseJsonStream(text, file);
  if (extra !== undefined) throw new SlsInputError(`${file}: a SYNTH trace is one JSON object`);
  const top = new FieldReader(doc, file);
  const numNodes = top.int('num_nodes');
  const perRack = Math.max(1, top.int('nodes_per_rack', 1));
  const numJobs = top.int('num_jobs');
  if (numNodes < 0) top.fail('num_nodes', 'must not be negative');
  if (numJobs < 0) top.fail('num_jobs', 'must not be negative');
  const rand = new SeededRandom(top.int('rand_seed', 0));
  const workloads = (top.array('workloads') ?? top.fail('workloads', 'is missing')).map((w, i) => readWorkload(w, `${file}: workloads[${i}]`));
  if (workloads.length === 0 && numJobs > 0) top.fail('workloads', 'must list at least one workload');

  const drafts: { at: number; queue: string; cls: JobClass }[] = [];
  for (let i = 0; i < numJobs; i++) {
    const wl = workloads[rand.weighted(workloads.map((w) => w.weight))] as SynthWorkload;
    const at = submissionTime(wl, rand);
    const cls = wl.classes[rand.weighted(wl.classes.map((c) => c.weight))] as JobClass;
    drafts.push({ at, queue: wl.queue, cls });
  }
  // SynthTraceJobProducer hands jobs out in submission order; each then draws its own tasks.
  drafts.sort((a, b) => a.at - b.at);
  const jobs = drafts.map((d, id) => synthJob(d.cls, d.queue, d.at, id, rand.fork(), config, file));
  return { jobs: sortByStart(jobs), nodes: generateNodes(numNodes, Math.floor(numNodes / perRack), config.nodeResource), skipped: [] };
}

function submissionTime(wl: SynthWorkload, rand: SeededRandom): number {
  const index = rand.weighted(wl.times.map((t) => t.weight));
  const start = (wl.times[index] as { time: number }).time;
  const end = (wl.times[Math.min(index + 1, wl.times.length - 1)] as { time: number }).time;
  return start + (end - start > 0 ? rand.nextInt(end - start) : 0);
}

function readWorkload(value: unknown, where: string): SynthWorkload {
  const r = new FieldReader(value, where);
  const classes = (r.array('job_classes') ?? r.fail('job_classes', 'is missing')).map((c, i) => readJobClass(c, `${where}: job_classes[${i}]`));
  if (classes.length === 0) r.fail('job_classes', 'must list at least one job class');
  const times = (r.array('time_distribution') ?? r.fail('time_distribution', 'is missing')).map((t, i) => {
    const tr = new FieldReader(t, `${where}: time_distribution[${i}]`);
    return { time: tr.int('time'), weight: tr.number('weight', 0) };
  });
  if (times.length === 0) r.fail('time_distribution', 'must list at least one time');
  return { weight: r.number('workload_weight', 1), queue: r.string('queue_name', 'default'), classes, times };
}

function readJobClass(value: unknown, where: string): JobClass {
  const r = new FieldReader(value, where);
  const base = { name: r.string('class_name'), user: r.string('user_name', 'default'), weight: r.number('class_weight', 1) };
  const params: Record<string, string> = {};
  if (r.has('params')) {
    const p = new FieldReader(r.obj['params'], `${where}: params`);
    for (const k of Object.keys(p.obj)) params[k] = p.string(k);
  }
  if (!r.has('tasks')) {
    // The old flat format: mtasks_*, rtasks_*, mtime_*, ..., converted as validateJobDef does.
    const dist = (avg: string, std: string): Sample => sample({ val: r.number(avg, 0), std: r.number(std, 0) }, `${where}: ${avg}`);
    const task = (type: string, prefix: 'm' | 'r', mem: string, priority: number): TaskClass => ({
      type,
      priority,
      count: dist(`${prefix}tasks_avg`, `${prefix}tasks_stddev`),
      time: dist(`${prefix}time_avg`, `${prefix}time_stddev`),
      memory: dist(`${mem}_max_memory_avg`, `${mem}_max_memory_stddev`),
      vcores: dist(`${mem}_max_vcores_avg`, `${mem}_max_vcores_stddev`),
      sized: true,
      executionType: r.oneOf(`${mem}_execution_type`, ['GUARANTEED', 'OPPORTUNISTIC'] as const, 'GUARANTEED'),
    });
    return {
      ...base,
      type: 'mapreduce',
      duration: dist('dur_avg', 'dur_stddev'),
      tasks: [task('map', 'm', 'map', PRIORITY_MAP), task('reduce', 'r', 'reduce', PRIORITY_REDUCE)],
      params,
    };
  }
  const tasks = (r.array('tasks') ?? []).map((t, i): TaskClass => {
    const tw = `${where}: tasks[${i}]`;
    const tr = new FieldReader(t, tw);
    const need = (key: string): unknown => (tr.has(key) ? tr.obj[key] : tr.fail(key, 'is missing'));
    return {
      type: tr.string('type'),
      priority: tr.int('priority', PRIORITY_MAP),
      count: sample(need('count'), `${tw}: count`),
      time: sample(need('time'), `${tw}: time`),
      memory: tr.has('max_memory') ? sample(tr.obj['max_memory'], `${tw}: max_memory`) : () => MIN_MEMORY,
      vcores: tr.has('max_vcores') ? sample(tr.obj['max_vcores'], `${tw}: max_vcores`) : () => MIN_VCORES,
      sized: tr.has('max_memory'),
      executionType: tr.oneOf('execution_type', ['GUARANTEED', 'OPPORTUNISTIC'] as const, 'GUARANTEED'),
    };
  });
  return {
    ...base,
    type: r.oneOf<AmType>('type', AM_TYPES, 'mapreduce'),
    duration: r.has('duration') ? sample(r.obj['duration'], `${where}: duration`) : () => 0,
    tasks,
    params,
  };
}

function synthJob(cls: JobClass, queue: string, atSeconds: number, id: number, rand: SeededRandom, config: SlsConfig, file: string): JobSpec {
  const name = `${cls.name}_${String(id).padStart(6, '0')}`;
  const startMs = atSeconds * 1000;
  const durationMs = Math.max(0, Math.round(cls.duration(rand))) * 1000;
  const tasks: TaskSpec[] = [];
  for (const t of cls.tasks) {
    const n = Math.max(0, Math.round(t.count(rand)));
    const resource = { memory: Math.max(MIN_MEMORY, Math.round(t.memory(rand))), vCores: Math.max(MIN_VCORES, Math.round(t.vcores(rand))) };
    for (let k = 0; k < n; k++) {
      // Task times are whole seconds; a task always lasts at least one.
      const durationMs = Math.max(1, Math.round(t.time(rand))) * 1000;
      tasks.push({ type: t.type, resource, durationMs, priority: t.priority, executionType: t.executionType, allocationRequestId: 0 });
    }
  }
  const flinkMode = config.flink.mode ?? (cls.params['flink.mode'] === 'session' ? 'session' : 'per-job');
  const flink = config.flink;
  const isFlink = cls.type === 'flink';
  return {
    source: `${file}: ${name}`,
    id: name,
    amType: cls.type,
    queue,
    user: cls.user,
    startMs,
    endMs: startMs + durationMs,
    amResource: isFlink ? flink.jobManagerResource : config.amResource,
    amStartupMs: isFlink ? flink.jobManagerStartupMs : 0,
    containerStartupMs: isFlink ? flink.taskManagerStartupMs : 0,
    tasks: isFlink ? [] : tasks,
    ...(isFlink
      ? {
          flink: {
            mode: flinkMode,
            session: cls.params['flink.session'] ?? 'default',
            slots: Math.max(1, tasks.length),
            runMs: Math.max(1000, ...tasks.map((t) => t.durationMs)),
            taskManagerResource: cls.tasks[0]?.sized && tasks[0] ? tasks[0].resource : flink.taskManagerResource,
          },
        }
      : {}),
  };
}
