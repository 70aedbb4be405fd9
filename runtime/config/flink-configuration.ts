import { z } from 'zod';
import { parseConfig } from '../../rm/common/config.ts';

/**
 * Flink configuration by Flink's own keys (reference/flink.md §1.5, §2.5, §4.7, §11), parsed once
 * and frozen. Every process of a Flink cluster (client, JobManager, TaskManager) builds it from
 * the same `key=value` pairs (`-D key=value` on the CLI, `--conf` on process command lines).
 * Durations accept Flink's forms: `10000`, `10 s`, `500 ms`, `5 min`; memory: `1728m`, `2g`, `1024`.
 */
const UNITS: Record<string, number> = { ms: 1, millis: 1, milliseconds: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000, h: 3_600_000, hour: 3_600_000, hours: 3_600_000, d: 86_400_000, day: 86_400_000, days: 86_400_000 };
const MEMORY_UNITS: Record<string, number> = { '': 1 / (1024 * 1024), b: 1 / (1024 * 1024), k: 1 / 1024, kb: 1 / 1024, m: 1, mb: 1, g: 1024, gb: 1024, t: 1024 * 1024, tb: 1024 * 1024 };

export function parseDurationMs(value: string, defaultUnitMs = 1): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!m) throw new Error(`'${value}' is not a duration (e.g. 500 ms, 10 s, 5 min)`);
  const unit = m[2]!.toLowerCase();
  const factor = unit === '' ? defaultUnitMs : UNITS[unit];
  if (factor === undefined) throw new Error(`'${value}': unknown time unit '${unit}'`);
  return Math.round(Number(m[1]) * factor);
}

/** Memory sizes in MB. A bare number is bytes, as in Flink's MemorySize. */
export function parseMemoryMb(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!m) throw new Error(`'${value}' is not a memory size (e.g. 1728m, 2g)`);
  const factor = MEMORY_UNITS[m[2]!.toLowerCase()];
  if (factor === undefined) throw new Error(`'${value}': unknown memory unit '${m[2]}'`);
  return Math.ceil(Number(m[1]) * factor);
}

const duration = (def: string, defaultUnitMs = 1) =>
  z
    .string()
    .default(def)
    .transform((v, ctx) => {
      try {
        return parseDurationMs(v, defaultUnitMs);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });
/** A duration without a default: absent stays undefined (e.g. checkpointing off). */
const optionalDuration = () =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      try {
        return parseDurationMs(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });
const memory = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v, ctx) => {
      try {
        return parseMemoryMb(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });
/** A memory size without a default: absent stays undefined (derived from the others, FLIP-49). */
const optionalMemory = () =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      try {
        return parseMemoryMb(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });
const int = (def: number) => z.coerce.number().int().default(def);
const double = (def: number) => z.coerce.number().default(def);

/** Flink's RestartStrategyType names and their aliases (RestartStrategyOptions). */
const RESTART_STRATEGY_ALIASES: Readonly<Record<string, RestartStrategyType>> = {
  none: 'none',
  off: 'none',
  disable: 'none',
  'fixed-delay': 'fixed-delay',
  fixeddelay: 'fixed-delay',
  'failure-rate': 'failure-rate',
  failurerate: 'failure-rate',
  'exponential-delay': 'exponential-delay',
  exponentialdelay: 'exponential-delay',
};
export type RestartStrategyType = 'none' | 'fixed-delay' | 'failure-rate' | 'exponential-delay';

const restartStrategyType = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return undefined;
    const type = RESTART_STRATEGY_ALIASES[v.trim().toLowerCase()];
    if (type === undefined) {
      ctx.addIssue({ code: 'custom', message: `unknown restart strategy '${v}' (expected none, fixed-delay, failure-rate or exponential-delay)` });
      return z.NEVER;
    }
    return type;
  });

const Schema = z.object({
  'heartbeat.interval': duration('10000'),
  'heartbeat.timeout': duration('50000'),
  'heartbeat.rpc-failure-threshold': int(2),
  'resourcemanager.taskmanager-timeout': duration('30000'),
  'resourcemanager.taskmanager-registration.timeout': duration('5 min'),
  'resourcemanager.start-worker.max-failure-rate': z.coerce.number().default(10),
  'resourcemanager.start-worker.retry-interval': duration('3 s'),
  'slot.idle.timeout': duration('50000'),
  'slot.request.timeout': duration('300000'),
  'taskmanager.numberOfTaskSlots': int(1),
  'taskmanager.memory.process.size': memory('1728m'),
  'jobmanager.memory.process.size': memory('1600m'),
  // The FLIP-49 memory model (runtime/config/task-executor-process-spec.ts, job-manager-process-spec.ts).
  'taskmanager.memory.flink.size': optionalMemory(),
  'taskmanager.memory.framework.heap.size': memory('128m'),
  'taskmanager.memory.task.heap.size': optionalMemory(),
  'taskmanager.memory.framework.off-heap.size': memory('128m'),
  'taskmanager.memory.task.off-heap.size': memory('0'),
  'taskmanager.memory.managed.size': optionalMemory(),
  'taskmanager.memory.managed.fraction': double(0.4),
  'taskmanager.memory.network.fraction': double(0.1),
  'taskmanager.memory.network.min': memory('64m'),
  'taskmanager.memory.network.max': memory('1g'),
  'taskmanager.memory.jvm-metaspace.size': memory('256m'),
  'taskmanager.memory.jvm-overhead.fraction': double(0.1),
  'taskmanager.memory.jvm-overhead.min': memory('192m'),
  'taskmanager.memory.jvm-overhead.max': memory('1g'),
  'jobmanager.memory.flink.size': optionalMemory(),
  'jobmanager.memory.heap.size': optionalMemory(),
  'jobmanager.memory.off-heap.size': memory('128m'),
  'jobmanager.memory.jvm-metaspace.size': memory('256m'),
  'jobmanager.memory.jvm-overhead.fraction': double(0.1),
  'jobmanager.memory.jvm-overhead.min': memory('192m'),
  'jobmanager.memory.jvm-overhead.max': memory('1g'),
  'parallelism.default': int(1),
  /** Unset: each vertex derives its own from its parallelism (flink.md §5.2). */
  'pipeline.max-parallelism': z.coerce.number().int().positive().optional(),
  'execution.buffer-timeout': duration('100 ms'),
  /** Unset: no restart without checkpointing, exponential-delay with it (flink.md §4.7). */
  'restart-strategy.type': restartStrategyType,
  'restart-strategy.fixed-delay.attempts': int(1),
  'restart-strategy.fixed-delay.delay': duration('1 s'),
  'restart-strategy.failure-rate.max-failures-per-interval': int(1),
  'restart-strategy.failure-rate.failure-rate-interval': duration('1 min'),
  'restart-strategy.failure-rate.delay': duration('1 s'),
  // Flink 1.19+ defaults (FLIP-364): max-backoff 1 min, multiplier 1.5.
  'restart-strategy.exponential-delay.initial-backoff': duration('1 s'),
  'restart-strategy.exponential-delay.max-backoff': duration('1 min'),
  'restart-strategy.exponential-delay.backoff-multiplier': double(1.5),
  'restart-strategy.exponential-delay.reset-backoff-threshold': duration('1 h'),
  'restart-strategy.exponential-delay.jitter-factor': double(0.1),
  'restart-strategy.exponential-delay.attempts-before-reset-backoff': int(2147483647),
  /** Unset: checkpointing is disabled. */
  'execution.checkpointing.interval': optionalDuration(),
  /** Seconds, as in Flink. */
  'yarn.heartbeat.interval': duration('5', 1000),
  'yarn.heartbeat.container-request-interval': duration('500'),
  'yarn.appmaster.vcores': int(1),
  'yarn.containers.vcores': int(-1),
  'yarn.application-attempts': int(1),
  'rest.port': int(0),
  /** Bytes; the largest request body (a job file upload) the REST server accepts. */
  'rest.server.max-content-length': int(104_857_600),
  // Logs: each process logs to its file and keeps stdout for print() and user code, as Flink's
  // log.file / .out split (Flink reads these two keys for the REST log endpoints).
  /** The TaskManager's log file; its directory is the TaskManager's log dir. */
  'taskmanager.log.path': z.string().min(1).optional(),
  /** The JobManager's log file; its directory is the JobManager's log dir. */
  'web.log.path': z.string().min(1).optional(),
  // History server (flink.md §7): the JobManager archives each finished job's REST answers.
  'jobmanager.archive.fs.dir': z.string().min(1).optional(),
  'historyserver.web.address': z.string().min(1).optional(),
  'historyserver.web.port': int(8082),
  'historyserver.archive.fs.dir': z.string().min(1).optional(),
  'historyserver.archive.fs.refresh-interval': duration('10000'),
  'historyserver.web.refresh-interval': duration('10000'),
  'historyserver.archive.retained-jobs': int(-1),
  'historyserver.archive.clean-expired-jobs': z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  'historyserver.web.tmpdir': z.string().min(1).optional(),
});

export type FlinkConfiguration = Readonly<z.infer<typeof Schema>> & {
  /** Every key as given, for /jobmanager/config and for passing on to TaskManagers. */
  readonly raw: ReadonlyMap<string, string>;
};

export const FLINK_VERSION = '1.20.0-weft';

/** Parses `key=value` pairs (or a map); unknown keys are kept in `raw` and otherwise ignored. */
export function createFlinkConfiguration(input: Iterable<[string, string]> | Readonly<Record<string, string>> = {}): FlinkConfiguration {
  const raw = new Map<string, string>(Symbol.iterator in input ? (input) : Object.entries(input));
  const known: Record<string, string> = {};
  for (const key of Object.keys(Schema.shape)) {
    const v = raw.get(key) ?? fallbackValue(raw, key);
    if (v !== undefined) known[key] = v;
  }
  const parsed = parseConfig(Schema, known, (issue) => `invalid Flink configuration ${String(issue.path[0])}: ${issue.message}`);
  return Object.freeze({ ...parsed, raw });
}

/** Deprecated keys Flink still reads when the current one is absent. */
const FALLBACK_KEYS: Readonly<Record<string, readonly string[]>> = {
  'restart-strategy.type': ['restart-strategy'],
};

function fallbackValue(raw: ReadonlyMap<string, string>, key: string): string | undefined {
  for (const old of FALLBACK_KEYS[key] ?? []) {
    const v = raw.get(old);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * The configuration a job runs with: the cluster's, with the job's own keys on top (Flink's
 * job-level configuration wins over the cluster's).
 */
export function withJobConfiguration(cluster: FlinkConfiguration, job: Readonly<Record<string, string>>): FlinkConfiguration {
  if (Object.keys(job).length === 0) return cluster;
  return createFlinkConfiguration([...cluster.raw, ...Object.entries(job)]);
}

/** Back to `--conf key=value` arguments, to start a TaskManager with the JobManager's configuration. */
export function toDynamicProperties(config: FlinkConfiguration): string[] {
  return [...config.raw].flatMap(([k, v]) => ['--conf', `${k}=${v}`]);
}
