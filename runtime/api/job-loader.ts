import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamExecutionEnvironment, type BuiltJob } from './stream-execution-environment.ts';
import { ensureWeftResolvable } from './weft-module-resolution.ts';

/** The default export of a job file. */
export type JobMain = (env: StreamExecutionEnvironment, args: string[]) => void | Promise<void>;

export interface LoadJobOptions {
  /** Default parallelism (the CLI's --parallelism); the job may still set its own. */
  readonly parallelism?: number;
  readonly maxParallelism?: number;
  /** Overrides env.setJobName() and the file-name default. */
  readonly jobName?: string;
  /** Fixes the job id, e.g. when a TaskManager rebuilds a job the JobManager already named. */
  readonly jobId?: string;
}

export interface LoadedJob extends BuiltJob {
  readonly path: string;
  readonly args: readonly string[];
}

/**
 * Imports a job file and runs its default export against a fresh environment. Client, JobManager
 * and TaskManagers each call this on the same file with the same args and get the same graph and
 * operator ids, so user functions never have to be serialised.
 */
export async function loadJob(path: string, args: readonly string[] = [], options: LoadJobOptions = {}): Promise<LoadedJob> {
  ensureWeftResolvable();
  const absolute = resolve(path);
  const module = await importJobFile(absolute);
  if (typeof module.default !== 'function') {
    throw new Error(`Job file ${path} must default-export a function (env, args) => void that builds the pipeline`);
  }
  const env = new StreamExecutionEnvironment({
    ...(options.parallelism === undefined ? {} : { parallelism: options.parallelism }),
    ...(options.maxParallelism === undefined ? {} : { maxParallelism: options.maxParallelism }),
  });
  await (module.default as JobMain)(env, [...args]);
  const built = env.buildJob({
    jobName: options.jobName ?? env.getJobName() ?? basename(absolute, extname(absolute)),
    ...(options.jobId === undefined ? {} : { jobId: options.jobId }),
  });
  return { ...built, path: absolute, args: [...args] };
}

async function importJobFile(absolute: string): Promise<{ default?: unknown }> {
  try {
    return (await import(pathToFileURL(absolute).href)) as { default?: unknown };
  } catch (err) {
    // A .ts/.js file outside any "type": "module" package is CommonJS, and require('weft') from
    // CommonJS does not pass through the ESM resolve hook on Node 20.
    const code = (err as { code?: unknown }).code;
    if ((code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && String((err as Error).message).includes("'weft'")) {
      throw new Error(
        `Job file ${absolute} cannot import 'weft': outside the weft package a job file must be an ES module ` +
          `(name it .mts/.mjs, or put a package.json with "type": "module" next to it), or import the API by a relative path`,
        { cause: err },
      );
    }
    throw err;
  }
}
