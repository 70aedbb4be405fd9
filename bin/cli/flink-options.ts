import { parseDynamicProperties } from '../../runtime/config/flink-configuration.ts';
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

/** -D pairs, then the dedicated flags on top, as Flink properties. */
export function flinkProperties(o: FlinkClusterOptions): [string, string][] {
  let props: [string, string][];
  try {
    props = parseDynamicProperties(o.D);
  } catch (err) {
    throw new CliError(`option '-D': ${(err as Error).message}`);
  }
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
