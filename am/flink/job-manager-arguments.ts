import { ConfigError, parseFlags, parseKeyValues } from '../../rm/common/config.ts';

/** Flink's three YARN deployment modes (flink.md §2.1). */
export type ClusterMode = 'session' | 'per-job' | 'application';

/**
 * The JobManager (Flink AM) command line:
 *   --mode session|per-job|application [--job-file <path>] [--job-graph <path>]
 *   [--args <json array>] [--parallelism N] [--staging-dir <path>] [--conf k=v ...]
 * per-job needs --job-graph and --job-file (both shipped as local resources); application needs --job-file.
 */
export interface JobManagerArguments {
  readonly mode: ClusterMode;
  readonly jobFile: string | undefined;
  readonly jobGraph: string | undefined;
  readonly programArgs: readonly string[];
  readonly parallelism: number | undefined;
  readonly conf: readonly [string, string][];
  /** The client's staging dir of this app, removed when the cluster unregisters (Flink deletes its app files). */
  readonly stagingDir: string | undefined;
}

const FLAGS = {
  mode: { type: 'string' },
  'job-file': { type: 'string' },
  'job-graph': { type: 'string' },
  args: { type: 'string' },
  parallelism: { type: 'string' },
  conf: { type: 'string', multiple: true },
  'staging-dir': { type: 'string' },
} as const;

export function parseJobManagerArguments(argv: readonly string[]): JobManagerArguments {
  const values = parseFlags(argv, FLAGS);
  const mode = values.mode ?? 'session';
  if (mode !== 'session' && mode !== 'per-job' && mode !== 'application') {
    throw new ConfigError(`--mode must be session, per-job or application, got '${mode}'`);
  }
  if (mode === 'per-job' && (values['job-graph'] === undefined || values['job-file'] === undefined)) {
    throw new ConfigError('--mode per-job needs --job-graph <path> and --job-file <path>');
  }
  if (mode === 'application' && values['job-file'] === undefined) throw new ConfigError('--mode application needs --job-file <path>');
  let programArgs: string[] = [];
  if (values.args !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.args);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new ConfigError(`--args must be a JSON array of strings, got '${values.args}'`);
    programArgs = parsed;
  }
  let parallelism: number | undefined;
  if (values.parallelism !== undefined) {
    parallelism = Number(values.parallelism);
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new ConfigError(`--parallelism must be a positive integer, got '${values.parallelism}'`);
  }
  const conf = parseKeyValues(values.conf ?? [], '--conf');
  return { mode, jobFile: values['job-file'], jobGraph: values['job-graph'], programArgs, parallelism, conf, stagingDir: values['staging-dir'] };
}
