import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JobGraph } from '../jobgraph/job-graph.ts';
import { compiledSourceName, compileJobFile, type CompiledJobFile } from './job-file-compiler.ts';
import { prepareJobFileDirectory } from './job-file-directory.ts';
import { JobFileError, jobFileMissing, noDefaultExport } from './job-file-error.ts';
import { StreamExecutionEnvironment, type BuiltJob } from './stream-execution-environment.ts';

/** The default export of a job file. */
export type JobMain = (env: StreamExecutionEnvironment, args: string[]) => void | Promise<void>;

export interface LoadJobOptions {
  /** Default parallelism (`parallelism.default`, the CLI's --parallelism); the job may still set its own. */
  readonly parallelism?: number;
  /** Default max parallelism (`pipeline.max-parallelism`). */
  readonly maxParallelism?: number;
  /** Overrides env.setJobName() and the file-name default. */
  readonly jobName?: string;
  /** Fixes the job id, e.g. when a TaskManager rebuilds a job the JobManager already named. */
  readonly jobId?: string;
  /** The job-level Flink configuration the graph carries to the JobManager (`-D` at submission). */
  readonly jobConfiguration?: Readonly<Record<string, string>>;
}

export interface LoadedJob extends BuiltJob {
  /** The job file as the user named it. */
  readonly sourceName: string;
  readonly args: readonly string[];
}

/**
 * Compiles a job file (unless it is compiled already), then loads it as loadCompiledJob does:
 * what `run-local`, tests and a client that has only the source call.
 */
export async function loadJob(path: string, args: readonly string[] = [], options: LoadJobOptions = {}): Promise<LoadedJob> {
  return loadCompiledJobFile(await compileOrRead(path), args, options);
}

/**
 * Loads what compileJobFile produced (a client that ships it elsewhere): from a temporary
 * directory, removed once the module is imported, so a client leaves nothing behind.
 */
export async function loadCompiledJobFile(compiled: CompiledJobFile, args: readonly string[] = [], options: LoadJobOptions = {}): Promise<LoadedJob> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-job-load-'));
  try {
    return await loadCompiledJob(writeCompiledJobFile(dir, compiled), args, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `path` compiled, or as it is when it already is a compiled job file. */
export async function compileOrRead(path: string): Promise<CompiledJobFile> {
  const absolute = resolve(path);
  if (existsSync(absolute) && extname(absolute) === '.mjs') {
    const code = readFileSync(absolute);
    const sourceName = compiledSourceName(code);
    if (sourceName !== undefined) return { fileName: basename(absolute), sourceName, code };
  }
  return compileJobFile(path);
}

/** Writes a compiled job file into `directory` (prepared for loading) and returns its path. */
export function writeCompiledJobFile(directory: string, compiled: CompiledJobFile): string {
  prepareJobFileDirectory(directory);
  const target = join(directory, compiled.fileName);
  const partial = `${target}.${process.pid}.part`;
  writeFileSync(partial, compiled.code);
  renameSync(partial, target);
  return target;
}

/**
 * Imports a compiled job file with a plain `import()` and runs its default export against a fresh
 * environment with the given defaults. Client, JobManager and TaskManagers each call this on the
 * same compiled file with the same args and options and get the same graph and operator ids, so
 * user functions never have to be serialised. Its directory must be prepared
 * (prepareJobFileDirectory) so that `import 'weft'` resolves.
 */
export async function loadCompiledJob(path: string, args: readonly string[] = [], options: LoadJobOptions = {}): Promise<LoadedJob> {
  const absolute = resolve(path);
  let code: Buffer;
  try {
    code = readFileSync(absolute);
  } catch {
    throw jobFileMissing(absolute);
  }
  const sourceName = compiledSourceName(code);
  if (sourceName === undefined) {
    throw new JobFileError(basename(absolute), `${absolute} is not a compiled job file; compile it first (weft run does, and loadJob)`);
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
  } catch (err) {
    throw new JobFileError(sourceName, `Job file ${sourceName} failed to load: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (typeof module.default !== 'function') throw noDefaultExport(sourceName);
  const parallelism = options.parallelism ?? 1;
  const env = new StreamExecutionEnvironment({ parallelism, ...(options.maxParallelism === undefined ? {} : { maxParallelism: options.maxParallelism }) });
  let built: BuiltJob;
  try {
    await (module.default as JobMain)(env, [...args]);
    built = env.buildJob({
      jobName: options.jobName ?? env.getJobName() ?? basename(sourceName, extname(sourceName)),
      ...(options.jobId === undefined ? {} : { jobId: options.jobId }),
    });
  } catch (err) {
    // Flink's "The main method caused an error": a bad window size, a negative lateness, ... is the
    // user's to fix, so every mode reports it as the job file's error, not as a crash of weft.
    throw new JobFileError(sourceName, `Job file ${sourceName} could not build its job: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const jobGraph: JobGraph = {
    ...built.jobGraph,
    executionConfig: { parallelism, ...(options.maxParallelism === undefined ? {} : { maxParallelism: options.maxParallelism }) },
    ...(options.jobConfiguration === undefined || Object.keys(options.jobConfiguration).length === 0 ? {} : { jobConfiguration: { ...options.jobConfiguration } }),
  };
  return { ...built, jobGraph, sourceName, args: [...args] };
}
