import type { LoadedJob } from '../api/job-loader.ts';
import type { JobFileRef } from '../protocol/task-deployment-descriptor.ts';

/** Loads a job file (the signature of runtime/api/job-loader.ts loadJob). */
export type JobLoader = (path: string, args: readonly string[], options: { readonly jobId?: string }) => Promise<LoadedJob>;

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

  load(jobId: string, ref: JobFileRef): Promise<LoadedJob> {
    const key = JSON.stringify([jobId, ref.blobKey, ref.fileName, ref.args]);
    let job = this.jobs.get(key);
    if (!job) {
      job = this.blobs.get(ref.blobKey, ref.fileName).then((path) => this.loader(path, ref.args, { jobId }));
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
