import { dirname } from 'node:path';
import { prepareJobFileDirectory } from '../api/job-file-directory.ts';
import { loadJob } from '../api/job-loader.ts';
import type { JobGraph } from '../jobgraph/job-graph.ts';

/** Turns a job file plus its arguments into a JobGraph (what `POST /jars/:id/run` needs). */
export type JobGraphLoader = (path: string, args: readonly string[], options: { readonly parallelism?: number; readonly jobId?: string }) => Promise<JobGraph>;

/** Loads the job file in the JobManager process with runtime/api's loadJob, as Flink runs a jar's main. */
export const loadJobGraphInProcess: JobGraphLoader = async (path, args, options) => {
  prepareJobFileDirectory(dirname(path));
  const loaded = await loadJob(path, args, {
    ...(options.parallelism === undefined ? {} : { parallelism: options.parallelism }),
    ...(options.jobId === undefined ? {} : { jobId: options.jobId }),
  });
  return loaded.jobGraph;
};
