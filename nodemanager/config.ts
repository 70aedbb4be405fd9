import { z } from 'zod';
import { ConfigError, issueKey, parseConfig, parseFlags, parseKeyValues, type ConfigIssue } from '../rm/common/config.ts';

/**
 * The NodeManager's configuration, parsed once from argv (flags plus `--conf key=value` for the
 * yarn-site keys weft understands), defaulted here and nowhere else, then frozen.
 */
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const nonNegInt = z.coerce.number().int().min(0);

/** yarn-site keys (reference/yarn.md §6), with YARN's defaults unless a comment says why not. */
export const NmYarnConf = z.strictObject({
  'yarn.nodemanager.sleep-delay-before-sigkill.ms': nonNegInt.default(250),
  'yarn.nodemanager.pmem-check-enabled': bool.default(true),
  // Off, unlike YARN: V8 reserves gigabytes of address space up front (heap cage, code range), so
  // every idle Node container would already be "beyond the virtual memory limit".
  'yarn.nodemanager.vmem-check-enabled': bool.default(false),
  'yarn.nodemanager.vmem-pmem-ratio': z.coerce.number().positive().default(2.1),
  'yarn.nodemanager.container-monitor.interval-ms': z.coerce.number().int().positive().default(3000),
  'yarn.nodemanager.log.retain-seconds': nonNegInt.default(10_800),
  'yarn.nodemanager.delete.debug-delay-sec': nonNegInt.default(0),
  // Log aggregation (reference/yarn.md §6): when an application ends, its containers' logs move to
  // <remote-app-log-dir>/<user>/<suffix>/<appId>/<nodeId>; log.retain-seconds applies only without it.
  'yarn.log-aggregation-enable': bool.default(false),
  'yarn.nodemanager.remote-app-log-dir': z.string().min(1).default('/tmp/logs'),
  'yarn.nodemanager.remote-app-log-dir-suffix': z.string().min(1).default('logs'),
  /** Variables containers inherit from the NM unless their launch context sets them. */
  'yarn.nodemanager.env-whitelist': z
    .string()
    .default('JAVA_HOME,HADOOP_COMMON_HOME,HADOOP_HDFS_HOME,HADOOP_CONF_DIR,HADOOP_YARN_HOME,PATH,LANG,LC_ALL,TZ,TMPDIR'),
  /** How long to wait between registration attempts while the RM cannot be reached. */
  'yarn.resourcemanager.connect.retry-interval.ms': z.coerce.number().int().positive().default(1000),
});
export type NmYarnConf = z.infer<typeof NmYarnConf>;

export const NmConfig = z.strictObject({
  rmUrl: z.url({ protocol: /^https?$/ }),
  port: z.coerce.number().int().min(0).max(65_535).default(8042),
  memoryMb: z.coerce.number().int().positive().default(8192),
  vcores: z.coerce.number().int().positive().default(8),
  /** Local and log dirs live under it; `.weft/nm-<port>` when not given. */
  dir: z.string().min(1).optional(),
  hostname: z.string().min(1).default('localhost'),
  host: z.string().min(1).default('0.0.0.0'),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  conf: NmYarnConf.default(NmYarnConf.parse({})),
});
export type NmConfig = Readonly<Omit<z.infer<typeof NmConfig>, 'conf'> & { conf: Readonly<NmYarnConf> }>;

/** Validates an already-assembled config object (used by tests and by {@link parseNodeManagerArgs}). */
export function parseNmConfig(input: unknown): NmConfig {
  return parseConfig(NmConfig, input, describeIssue);
}

function describeIssue(issue: ConfigIssue): string {
  const path = issueKey(issue);
  const key = FLAG_OF[path] ?? path.replace(/^conf\./, '');
  const message = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}` : issue.message;
  return `invalid nodemanager config${key ? ` '${key}'` : ''}: ${message}`;
}

/** Names config fields by the flag that sets them, for error messages. */
const FLAG_OF: Readonly<Record<string, string>> = {
  rmUrl: '--rm',
  port: '--port',
  memoryMb: '--memory',
  vcores: '--vcores',
  dir: '--dir',
  hostname: '--hostname',
  host: '--host',
  logLevel: '--log-level',
};

const FLAGS = {
  rm: { type: 'string' },
  port: { type: 'string' },
  memory: { type: 'string' },
  vcores: { type: 'string' },
  dir: { type: 'string' },
  hostname: { type: 'string' },
  host: { type: 'string' },
  'log-level': { type: 'string' },
  conf: { type: 'string', multiple: true },
} as const;

/** `weft nm start` / `nodemanager/main.ts` argv to a frozen config. */
export function parseNodeManagerArgs(argv: readonly string[]): NmConfig {
  const values = parseFlags(argv, FLAGS);
  if (values.rm === undefined) throw new ConfigError('missing required flag --rm URL (the ResourceManager, e.g. http://localhost:8088)');
  const conf = Object.fromEntries(parseKeyValues(values.conf ?? []));
  const input: Record<string, unknown> = {
    rmUrl: values.rm,
    port: values.port,
    memoryMb: values.memory,
    vcores: values.vcores,
    dir: values.dir,
    hostname: values.hostname,
    host: values.host,
    logLevel: values['log-level'],
    conf,
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return parseNmConfig(input);
}
