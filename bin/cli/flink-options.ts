import { flinkConfFromEnv } from '../../runtime/config/flink-conf-file.ts';
import { parseKeyValues } from '../../rm/common/config.ts';
import { CliError } from './cli-error.ts';

/** Options shared by the commands that deploy a Flink cluster (yarn-session.sh -tm -s -jm -nm -qu -D). */
export interface FlinkClusterOptions {
  readonly tmMemory?: string;
  readonly slots?: string;
  readonly jmMemory?: string;
  readonly name?: string;
  readonly queue?: string;
  readonly D: readonly string[];
}

function positiveInt(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`option '${flag}' must be a positive integer, got '${raw}'`);
  return n;
}

/**
 * Flink properties as Flink's client builds them: `$FLINK_CONF_DIR`'s config file, -D pairs over
 * it, then the dedicated flags on top. All of them are shipped to the JobManager.
 */
export function flinkProperties(o: FlinkClusterOptions, env: NodeJS.ProcessEnv = process.env): [string, string][] {
  let dynamic: [string, string][];
  try {
    dynamic = parseKeyValues(o.D, "option '-D'");
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const given = new Set(dynamic.map(([k]) => k));
  let props: [string, string][] = [...flinkConfFromEnv(env).filter(([k]) => !given.has(k)), ...dynamic];
  const set = (key: string, value: string): void => {
    props = [...props.filter(([k]) => k !== key), [key, value]];
  };
  if (o.tmMemory !== undefined) set('taskmanager.memory.process.size', `${positiveInt('--tm-memory', o.tmMemory)}m`);
  if (o.slots !== undefined) set('taskmanager.numberOfTaskSlots', String(positiveInt('--slots', o.slots)));
  if (o.jmMemory !== undefined) set('jobmanager.memory.process.size', `${positiveInt('--jm-memory', o.jmMemory)}m`);
  return props;
}

export function parseParallelism(raw: string | undefined): number | undefined {
  return raw === undefined ? undefined : positiveInt('--parallelism', raw);
}
