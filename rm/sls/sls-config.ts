import { z } from 'zod';
import { ConfigError } from '../common/config.ts';
import type { Resource } from '../protocol/records.ts';
import { createFlinkConfiguration } from '../../runtime/config/flink-configuration.ts';

/**
 * The simulator's own settings, under SLS's `sls-runner.xml` key names (SLSConfiguration) and
 * with its defaults, read from the same properties as the RM's (`--conf`, `--config`). The Flink
 * AM simulators read Flink's own keys (`taskmanager.numberOfTaskSlots`,
 * `taskmanager.memory.process.size`, `jobmanager.memory.process.size`,
 * `resourcemanager.taskmanager-timeout`, `yarn.containers.vcores`) with Flink's defaults; only
 * their start-up times are weft's (`yarn.sls.flink.*`).
 */
const int = (def: number) => z.coerce.number().int().nonnegative().default(def);

export const SlsSiteSchema = z.object({
  'yarn.sls.nm.memory.mb': int(10240),
  'yarn.sls.nm.vcores': int(10),
  'yarn.sls.nm.heartbeat.interval.ms': int(1000),
  'yarn.sls.am.heartbeat.interval.ms': int(1000),
  'yarn.sls.am.container.memory': int(1024),
  'yarn.sls.am.container.vcores': int(1),
  'yarn.sls.container.memory.mb': int(1024),
  'yarn.sls.container.vcores': int(1),
  'yarn.sls.metrics.record.interval.ms': int(1000),
  /** weft: a JobManager's start-up, AM container launched -> registered (bench `deploy`, per-job p50 2.5 s end to end). */
  'yarn.sls.flink.jobmanager.startup.ms': int(1500),
  /** weft: a TaskManager's start-up, container launched -> slots offered. */
  'yarn.sls.flink.taskmanager.startup.ms': int(800),
  /** weft: runs every Flink job of the trace in this mode (per-job | session), whatever `flink.mode` says. */
  'yarn.sls.flink.mode': z.enum(['per-job', 'session', '']).default(''),
  /** weft: skip NM and AM heartbeats that carry no news (false: every one, as SLS). */
  'yarn.sls.heartbeat.skip-idle': z.enum(['true', 'false']).default('true'),
});

export interface SlsConfig {
  readonly nodeResource: Resource;
  readonly nmHeartbeatMs: number;
  readonly amHeartbeatMs: number;
  readonly amResource: Resource;
  readonly containerResource: Resource;
  readonly recordIntervalMs: number;
  readonly skipIdleHeartbeats: boolean;
  readonly flink: {
    /** Overrides each Flink job's `flink.mode` when set. */
    readonly mode: 'per-job' | 'session' | undefined;
    readonly jobManagerStartupMs: number;
    readonly taskManagerStartupMs: number;
    readonly taskManagerResource: Resource;
    readonly jobManagerResource: Resource;
    readonly slotsPerTaskManager: number;
    readonly taskManagerTimeoutMs: number;
  };
}

export function createSlsConfig(properties: ReadonlyMap<string, string> = new Map()): SlsConfig {
  const known = Object.keys(SlsSiteSchema.shape);
  const site: Record<string, string> = {};
  for (const [k, v] of properties) if (known.includes(k)) site[k] = v;
  const parsed = SlsSiteSchema.safeParse(site);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration value for ${String(issue?.path[0])}: ${issue?.message ?? 'invalid'}`);
  }
  const s = parsed.data;
  for (const key of ['yarn.sls.nm.heartbeat.interval.ms', 'yarn.sls.am.heartbeat.interval.ms', 'yarn.sls.metrics.record.interval.ms'] as const) {
    if (s[key] <= 0) throw new ConfigError(`${key} must be positive, got ${s[key]}`);
  }
  let flink;
  try {
    flink = createFlinkConfiguration(properties);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const slots = flink['taskmanager.numberOfTaskSlots'];
  if (slots <= 0) throw new ConfigError(`taskmanager.numberOfTaskSlots must be positive, got ${slots}`);
  return Object.freeze({
    nodeResource: { memory: s['yarn.sls.nm.memory.mb'], vCores: s['yarn.sls.nm.vcores'] },
    nmHeartbeatMs: s['yarn.sls.nm.heartbeat.interval.ms'],
    amHeartbeatMs: s['yarn.sls.am.heartbeat.interval.ms'],
    amResource: { memory: s['yarn.sls.am.container.memory'], vCores: s['yarn.sls.am.container.vcores'] },
    containerResource: { memory: s['yarn.sls.container.memory.mb'], vCores: s['yarn.sls.container.vcores'] },
    recordIntervalMs: s['yarn.sls.metrics.record.interval.ms'],
    skipIdleHeartbeats: s['yarn.sls.heartbeat.skip-idle'] === 'true',
    flink: Object.freeze({
      mode: s['yarn.sls.flink.mode'] === '' ? undefined : s['yarn.sls.flink.mode'],
      jobManagerStartupMs: s['yarn.sls.flink.jobmanager.startup.ms'],
      taskManagerStartupMs: s['yarn.sls.flink.taskmanager.startup.ms'],
      // Flink on YARN asks for one vcore per slot unless yarn.containers.vcores says otherwise.
      taskManagerResource: { memory: flink['taskmanager.memory.process.size'], vCores: flink['yarn.containers.vcores'] > 0 ? flink['yarn.containers.vcores'] : slots },
      jobManagerResource: { memory: flink['jobmanager.memory.process.size'], vCores: flink['yarn.appmaster.vcores'] },
      slotsPerTaskManager: slots,
      taskManagerTimeoutMs: flink['resourcemanager.taskmanager-timeout'],
    }),
  });
}
