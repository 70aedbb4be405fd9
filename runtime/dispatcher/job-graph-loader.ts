import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadJob } from '../api/job-loader.ts';
import type { JobGraph } from '../jobgraph/job-graph.ts';

/** Turns a job file plus its arguments into a JobGraph (what `POST /jars/:id/run` needs). */
export type JobGraphLoader = (path: string, args: readonly string[], options: { readonly parallelism?: number; readonly jobId?: string }) => Promise<JobGraph>;

/** This package's root (the `weft` a job file imports). */
const WEFT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `<dir>/node_modules/weft` -> this package, so a job file stored outside the package resolves
 * `import ... from 'weft'` by plain Node resolution (through tsx for .ts files).
 */
export function linkWeftPackage(directory: string): void {
  const link = join(directory, 'node_modules', 'weft');
  if (existsSync(link)) return;
  mkdirSync(dirname(link), { recursive: true });
  try {
    symlinkSync(WEFT_ROOT, link, 'dir');
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
  }
}

/** Loads the job file in the JobManager process with runtime/api's loadJob, as Flink runs a jar's main. */
export const loadJobGraphInProcess: JobGraphLoader = async (path, args, options) => {
  linkWeftPackage(dirname(path));
  const loaded = await loadJob(path, args, {
    ...(options.parallelism === undefined ? {} : { parallelism: options.parallelism }),
    ...(options.jobId === undefined ? {} : { jobId: options.jobId }),
  });
  return loaded.jobGraph;
};
