import type { LoadedJob } from '../api/job-loader.ts';
import type { JobFileRef, TaskDeploymentDescriptor } from '../protocol/task-deployment-descriptor.ts';

/** Loads a job file (the signature of runtime/api/job-loader.ts loadJob). */
export type JobLoader = (path: string, args: readonly string[], options: { readonly jobId?: string; readonly parallelism?: number }) => Promise<LoadedJob>;

/** Where job files come from: the blob cache (or a test's directory). */
export interface JobFiles {
  /** The local path of the job file stored under `blobKey`. */
  get(blobKey: string, fileName: string): Promise<string>;
}

/**
 * The jobs this TaskManager has loaded, once per job id, blob key and arguments: every task of a
 * job shares the JobGraph and user code its job file builds.
 */
export class JobLibrary {
  private readonly blobs: JobFiles;
  private readonly loader: JobLoader;
  private readonly jobs = new Map<string, Promise<LoadedJob>>();

  constructor(blobs: JobFiles, loader: JobLoader) {
    this.blobs = blobs;
    this.loader = loader;
  }

  /** `parallelism` is the default parallelism to build the graph with (the client's --parallelism). */
  load(jobId: string, ref: JobFileRef, parallelism?: number): Promise<LoadedJob> {
    const key = JSON.stringify([jobId, ref.blobKey, ref.fileName, ref.args, parallelism ?? null]);
    let job = this.jobs.get(key);
    if (!job) {
      job = this.blobs.get(ref.blobKey, ref.fileName).then((path) => this.loader(path, ref.args, { jobId, ...(parallelism === undefined ? {} : { parallelism }) }));
      this.jobs.set(key, job);
      job.catch(() => this.jobs.delete(key));
    }
    return job;
  }

  /** Forgets a job's loaded code (its last slot was freed). */
  release(jobId: string): void {
    for (const key of this.jobs.keys()) if ((JSON.parse(key) as string[])[0] === jobId) this.jobs.delete(key);
  }
}

/**
 * The job as a task needs it. The TDD does not say which default parallelism the client built the
 * graph with, and operator ids of operators without a uid depend on their inputs' partitioners,
 * which depend on it; so when the job's own default does not reproduce the task's operator ids,
 * the task's parallelism is tried as the default (what `--parallelism N` makes it in most jobs).
 */
export async function loadJobForTask(library: JobLibrary, tdd: TaskDeploymentDescriptor): Promise<LoadedJob> {
  const job = await library.load(tdd.jobId, tdd.jobFile);
  if (hasOperators(job, tdd)) return job;
  const retry = await library.load(tdd.jobId, tdd.jobFile, tdd.parallelism);
  return hasOperators(retry, tdd) ? retry : job;
}

function hasOperators(job: LoadedJob, tdd: TaskDeploymentDescriptor): boolean {
  const ids = new Set(job.jobGraph.vertices.flatMap((v) => v.operators.map((o) => o.id)));
  return tdd.operatorIds.every((id) => ids.has(id)) && tdd.resultPartitions.every((p) => ids.has(p.targetVertexId));
}
