import { loadCompiledJob, type LoadJobOptions } from '../api/job-loader.ts';
import type { JobGraph } from '../jobgraph/job-graph.ts';

/** Turns a compiled job file plus its arguments into a JobGraph (what `POST /jars/:id/run` needs). */
export type JobGraphLoader = (path: string, args: readonly string[], options: LoadJobOptions) => Promise<JobGraph>;

/** Loads the job file in the JobManager process, as Flink runs a jar's main; the blob store's directory is prepared for it. */
export const loadJobGraphInProcess: JobGraphLoader = async (path, args, options) => (await loadCompiledJob(path, args, options)).jobGraph;
