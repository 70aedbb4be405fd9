import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, issueKey, parseConfig, parseKeyValues } from './common/config.ts';
import { HadoopConfiguration, readHadoopResource } from './common/hadoop-configuration.ts';
import { nearestKey } from './common/nearest-key.ts';

/**
 * The ResourceManager's configuration, parsed once from YARN property names (yarn-site keys, as
 * `--conf key=value` or a config file) and frozen. Defaults are YARN's (reference/yarn.md §6)
 * and live here, nowhere else.
 */
const int = (def: number) => z.coerce.number().int().default(def);
const bool = (def: boolean) =>
  z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .default(def)
    .transform((v) => v === true || v === 'true');

export const YarnSiteSchema = z.object({
  'yarn.resourcemanager.nodemanagers.heartbeat-interval-ms': int(1000),
  'yarn.nm.liveness-monitor.expiry-interval-ms': int(600_000),
  'yarn.resourcemanager.nm.liveness-monitor.interval-ms': int(1000),
  'yarn.am.liveness-monitor.expiry-interval-ms': int(600_000),
  'yarn.resourcemanager.amliveliness-monitor.interval-ms': int(1000),
  'yarn.resourcemanager.rm.container-allocation.expiry-interval-ms': int(600_000),
  'yarn.resourcemanager.am.max-attempts': int(2),
  'yarn.resourcemanager.max-completed-applications': int(10_000),
  'yarn.scheduler.minimum-allocation-mb': int(1024),
  'yarn.scheduler.maximum-allocation-mb': int(8192),
  'yarn.scheduler.minimum-allocation-vcores': int(1),
  'yarn.scheduler.maximum-allocation-vcores': int(32),
  'yarn.resourcemanager.scheduler.class': z.string().default('capacity'),
  'yarn.scheduler.capacity.resource-calculator': z.string().default('DefaultResourceCalculator'),
  'yarn.acl.enable': bool(false),
  'yarn.admin.acl': z.string().default('*'),
  'yarn.resourcemanager.recovery.enabled': bool(true),
  // Log aggregation: shared with the NMs (they upload, the RM reports status, serves and expires them).
  'yarn.log-aggregation-enable': bool(false),
  'yarn.nodemanager.remote-app-log-dir': z.string().min(1).default('/tmp/logs'),
  'yarn.nodemanager.remote-app-log-dir-suffix': z.string().min(1).default('logs'),
  'yarn.log-aggregation.retain-seconds': int(-1),
  'yarn.log-aggregation.retain-check-interval-seconds': int(-1),
  'yarn.log-aggregation-status.time-out.ms': int(600_000),
  /** Node-manager-side keys may be passed to a whole cluster at once; the RM ignores them. */
});
export type YarnSite = z.infer<typeof YarnSiteSchema>;

/** The RM process's own settings (flags of `weft rm start`), with their defaults. */
export const RmProcessSchema = z.object({
  port: z.number().int().min(0).max(65_535).default(8088),
  host: z.string().min(1).default('0.0.0.0'),
  /** How the RM names itself in URLs it hands out (tracking URLs, Location headers). */
  hostname: z.string().min(1).default('localhost'),
  dir: z.string().min(1).default('.weft/rm'),
});
/** The defaults of the flags, for usage text. */
export const RM_PROCESS_DEFAULTS: Readonly<z.infer<typeof RmProcessSchema>> = parseConfig(RmProcessSchema, {});

export interface RmConfig {
  readonly port: number;
  readonly host: string;
  /** How the RM names itself in URLs it hands out (tracking URLs, Location headers). */
  readonly hostname: string;
  readonly dir: string;
  readonly schedulerType: 'capacity' | 'fifo';
  /** capacity-scheduler properties (yarn.scheduler.capacity.*), from the site config and its own file. */
  readonly schedulerConf: ReadonlyMap<string, string>;
  readonly heartbeatIntervalMs: number;
  readonly nmExpiryMs: number;
  readonly nmMonitorIntervalMs: number;
  readonly amExpiryMs: number;
  readonly amMonitorIntervalMs: number;
  readonly allocationExpiryMs: number;
  readonly amMaxAttempts: number;
  readonly maxCompletedApps: number;
  readonly minimumAllocation: { readonly memory: number; readonly vCores: number };
  readonly maximumAllocation: { readonly memory: number; readonly vCores: number };
  readonly resourceCalculator: 'default' | 'dominant';
  readonly aclEnable: boolean;
  readonly adminAcl: string;
  readonly recoveryEnabled: boolean;
  readonly logAggregation: {
    readonly enabled: boolean;
    readonly remoteRoot: string;
    readonly suffix: string;
    /** Aggregated logs older than this are deleted; -1 keeps them forever. */
    readonly retainSeconds: number;
    /** How often to look for expired ones (YARN: retain-seconds / 10 when -1). */
    readonly retainCheckIntervalSeconds: number;
    readonly statusTimeoutMs: number;
  };
}

export interface RmConfigInput {
  readonly port?: number;
  readonly host?: string;
  readonly hostname?: string;
  readonly dir?: string;
  /** YARN properties (yarn-site and capacity-scheduler keys). */
  readonly properties?: ReadonlyMap<string, string> | Readonly<Record<string, string | number | boolean>>;
}

export function createRmConfig(input: RmConfigInput = {}): RmConfig {
  const props = new Map<string, string>();
  const source = input.properties ?? {};
  const entries: [string, unknown][] = source instanceof Map ? [...(source as Map<string, string>).entries()] : Object.entries(source);
  for (const [k, v] of entries) props.set(k, String(v));

  const known = Object.keys(YarnSiteSchema.shape);
  const site: Record<string, string> = {};
  for (const [k, v] of props) if (known.includes(k)) site[k] = v;
  const y = parseConfig(YarnSiteSchema, site);
  const rm = parseConfig(RmProcessSchema, { port: input.port, host: input.host, hostname: input.hostname, dir: input.dir }, (issue) =>
    issue.path[0] === 'port' ? `port must be a non-negative integer, got ${String(input.port)}` : `invalid ${issueKey(issue)}: ${issue.message}`,
  );
  const schedulerClass = y['yarn.resourcemanager.scheduler.class'].toLowerCase();
  const schedulerType = schedulerClass.includes('fifo') ? 'fifo' : schedulerClass.includes('capacity') ? 'capacity' : undefined;
  if (!schedulerType) {
    throw new ConfigError(`yarn.resourcemanager.scheduler.class: unsupported scheduler '${y['yarn.resourcemanager.scheduler.class']}' (use CapacityScheduler or FifoScheduler)`);
  }
  const calc = y['yarn.scheduler.capacity.resource-calculator'].toLowerCase().includes('dominant') ? 'dominant' : 'default';
  const min = { memory: y['yarn.scheduler.minimum-allocation-mb'], vCores: y['yarn.scheduler.minimum-allocation-vcores'] };
  const max = { memory: y['yarn.scheduler.maximum-allocation-mb'], vCores: y['yarn.scheduler.maximum-allocation-vcores'] };
  if (min.memory <= 0 || max.memory < min.memory) {
    throw new ConfigError(`yarn.scheduler.maximum-allocation-mb (${max.memory}) must be at least yarn.scheduler.minimum-allocation-mb (${min.memory}) and both positive`);
  }
  if (min.vCores <= 0 || max.vCores < min.vCores) {
    throw new ConfigError(`yarn.scheduler.maximum-allocation-vcores (${max.vCores}) must be at least yarn.scheduler.minimum-allocation-vcores (${min.vCores})`);
  }
  const schedulerConf = new Map([...props].filter(([k]) => k.startsWith('yarn.scheduler.capacity.')));
  const heartbeat = y['yarn.resourcemanager.nodemanagers.heartbeat-interval-ms'];
  if (heartbeat < 0) throw new ConfigError(`heartbeat must be a non-negative integer, got ${heartbeat}`);
  return Object.freeze({
    ...rm,
    schedulerType,
    schedulerConf,
    heartbeatIntervalMs: y['yarn.resourcemanager.nodemanagers.heartbeat-interval-ms'],
    nmExpiryMs: y['yarn.nm.liveness-monitor.expiry-interval-ms'],
    nmMonitorIntervalMs: Math.min(y['yarn.resourcemanager.nm.liveness-monitor.interval-ms'], Math.max(1, Math.floor(y['yarn.nm.liveness-monitor.expiry-interval-ms'] / 3))),
    amExpiryMs: y['yarn.am.liveness-monitor.expiry-interval-ms'],
    amMonitorIntervalMs: Math.min(y['yarn.resourcemanager.amliveliness-monitor.interval-ms'], Math.max(1, Math.floor(y['yarn.am.liveness-monitor.expiry-interval-ms'] / 3))),
    allocationExpiryMs: y['yarn.resourcemanager.rm.container-allocation.expiry-interval-ms'],
    amMaxAttempts: y['yarn.resourcemanager.am.max-attempts'],
    maxCompletedApps: y['yarn.resourcemanager.max-completed-applications'],
    minimumAllocation: Object.freeze(min),
    maximumAllocation: Object.freeze(max),
    resourceCalculator: calc,
    aclEnable: y['yarn.acl.enable'],
    adminAcl: y['yarn.admin.acl'],
    recoveryEnabled: y['yarn.resourcemanager.recovery.enabled'],
    logAggregation: Object.freeze({
      enabled: y['yarn.log-aggregation-enable'],
      remoteRoot: y['yarn.nodemanager.remote-app-log-dir'],
      suffix: y['yarn.nodemanager.remote-app-log-dir-suffix'],
      retainSeconds: y['yarn.log-aggregation.retain-seconds'],
      retainCheckIntervalSeconds:
        y['yarn.log-aggregation.retain-check-interval-seconds'] > 0
          ? y['yarn.log-aggregation.retain-check-interval-seconds']
          : Math.max(1, Math.floor(y['yarn.log-aggregation.retain-seconds'] / 10)),
      statusTimeoutMs: y['yarn.log-aggregation-status.time-out.ms'],
    }),
  });
}

/**
 * The YARN properties of `--config` / `--capacity-config` files (later files win, except over a
 * `<final>` key) and `--conf key=value` overrides (win over files), with `${...}` expanded, as
 * `weft rm start` and `weft sls` take them. Hadoop's warnings (a final key overridden) go to `warn`.
 */
export function rmProperties(
  files: readonly (string | undefined)[],
  conf: readonly string[],
  warn: (message: string) => void = () => {},
): Map<string, string> {
  const configuration = new HadoopConfiguration();
  try {
    for (const file of files) if (file) configuration.addResource(readHadoopResource(resolve(file)));
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  for (const [key, value] of parseKeyValues(conf)) configuration.set(key, value);
  configuration.warnings.forEach((w) => warn(w));
  try {
    return configuration.toMap();
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

/**
 * A warning for each `yarn.*` key the ResourceManager does not read, naming the nearest key it
 * does, so a misspelt key is not silently ignored. The NodeManager's keys (`yarn.nodemanager.*`)
 * and the Capacity Scheduler's queue keys are left to those who read them.
 */
export function unknownYarnKeyWarnings(properties: ReadonlyMap<string, string>): string[] {
  const known = Object.keys(YarnSiteSchema.shape);
  const warnings: string[] = [];
  for (const key of properties.keys()) {
    if (!key.startsWith('yarn.') || known.includes(key) || key.startsWith('yarn.nodemanager.') || key.startsWith('yarn.scheduler.capacity.')) continue;
    warnings.push(`${key} is not a key the ResourceManager reads, ignored (nearest known key: ${nearestKey(key, known) ?? 'none'})`);
  }
  return warnings;
}
