import { ConfigError, parseFlags, parseKeyValues } from '../../rm/common/config.ts';
import { createFlinkConfiguration, type FlinkConfiguration } from '../config/flink-configuration.ts';

/**
 * A TaskManager's start-up configuration: `--jm <url> --slots <n> --memory <MB> [--conf k=v ...]`
 * plus who it is. In a YARN container the ResourceID is CONTAINER_ID and the host NM_HOST;
 * outside one, `--resource-id` and `--host` say it.
 */
export interface TaskManagerConfig {
  /** The JobManager's base URL (Flink RM routes, JobMasters, blobs). */
  readonly jobManagerUrl: string;
  readonly resourceId: string;
  /** The host this TM advertises and listens on. */
  readonly host: string;
  readonly numberOfSlots: number;
  readonly memoryMb: number;
  /** Where downloaded job files go; null = a temporary directory removed on stop. */
  readonly workDir: string | null;
  readonly logLevel: string;
  readonly flink: FlinkConfiguration;
}

const FLAGS = {
  jm: { type: 'string' },
  slots: { type: 'string' },
  memory: { type: 'string' },
  conf: { type: 'string', multiple: true },
  'resource-id': { type: 'string' },
  host: { type: 'string' },
  dir: { type: 'string' },
  'log-level': { type: 'string' },
} as const;

const LOG_LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

export function parseTaskManagerArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): TaskManagerConfig {
  const values = parseFlags(argv, FLAGS);
  if (values.jm === undefined) throw new ConfigError('missing required flag --jm URL (the JobManager, e.g. http://localhost:8081)');
  let jobManagerUrl: string;
  try {
    const url = new URL(values.jm);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    jobManagerUrl = values.jm.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(`--jm: '${values.jm}' is not an http URL`);
  }
  let flink: FlinkConfiguration;
  try {
    flink = createFlinkConfiguration(parseKeyValues(values.conf ?? [], '--conf'));
  } catch (err) {
    if (err instanceof ConfigError && err.message.startsWith('--conf: ')) throw err;
    throw new ConfigError(`--conf: ${(err as Error).message}`);
  }
  const numberOfSlots = positiveInt('--slots', values.slots, flink['taskmanager.numberOfTaskSlots']);
  const memoryMb = positiveInt('--memory', values.memory, flink['taskmanager.memory.process.size']);
  const resourceId = nonEmpty(env.CONTAINER_ID) ?? values['resource-id'];
  if (!resourceId) throw new ConfigError('no ResourceID: CONTAINER_ID is not set (not in a container); pass --resource-id');
  const logLevel = values['log-level'] ?? 'info';
  if (!LOG_LEVELS.has(logLevel)) throw new ConfigError(`--log-level: unknown level '${logLevel}'`);
  return Object.freeze({
    jobManagerUrl,
    resourceId,
    host: nonEmpty(env.NM_HOST) ?? values.host ?? 'localhost',
    numberOfSlots,
    memoryMb,
    workDir: values.dir ?? null,
    logLevel,
    flink,
  });
}

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${flag}: expected a positive integer, got '${value}'`);
  return n;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
