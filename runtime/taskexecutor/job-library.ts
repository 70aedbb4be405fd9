import type { LoadedJob, LoadJobOptions } from '../api/job-loader.ts';
import { jobGraphFingerprint } from '../jobgraph/job-graph.ts';
import type { TaskDeploymentDescriptor } from '../protocol/task-deployment-descriptor.ts';

/** Loads a compiled job file (the signature of runtime/api/job-loader.ts loadCompiledJob). */
export type JobLoader = (path: string, args: readonly string[], options: LoadJobOptions) => Promise<LoadedJob>;

/** Where job files come from: the blob cache (or a test's directory). */
export interface JobFiles {
  /** The local path of the job file stored under `blobKey`. */
  get(blobKey: string, fileName: string): Promise<string>;
}

/** The TaskManager built another graph from the job file than the JobManager did. */
export class JobGraphMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobGraphMismatchError';
  }
}

/**
 * The jobs this TaskManager has loaded, once per job id, job file, arguments and defaults: every
 * task of a job shares the JobGraph and user code its job file builds. Each is loaded with what
 * the TDD says the JobManager loaded it with, and must come out as the JobManager's graph.
 */
export class JobLibrary {
  private readonly blobs: JobFiles;
  private readonly loader: JobLoader;
  private readonly jobs = new Map<string, Promise<LoadedJob>>();

  constructor(blobs: JobFiles, loader: JobLoader) {
    this.blobs = blobs;
    this.loader = loader;
  }

  /** The job of a task, exactly as its JobManager built it, or a JobGraphMismatchError. */
  load(tdd: TaskDeploymentDescriptor): Promise<LoadedJob> {
    const { jobFile, jobInformation } = tdd;
    const key = JSON.stringify([tdd.jobId, jobFile.blobKey, jobFile.fileName, jobFile.args, jobInformation]);
    let job = this.jobs.get(key);
    if (!job) {
      job = this.blobs.get(jobFile.blobKey, jobFile.fileName).then(async (path) => {
        const { executionConfig, jobConfiguration } = jobInformation;
        const loaded = await this.loader(path, jobFile.args, {
          jobId: tdd.jobId,
          jobName: tdd.jobName,
          parallelism: executionConfig.parallelism,
          ...(executionConfig.maxParallelism === undefined ? {} : { maxParallelism: executionConfig.maxParallelism }),
          jobConfiguration,
        });
        checkSameGraph(loaded, tdd);
        return loaded;
      });
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

function checkSameGraph(job: LoadedJob, tdd: TaskDeploymentDescriptor): void {
  const built = jobGraphFingerprint(job.jobGraph);
  if (built === tdd.jobInformation.graphFingerprint) return;
  const { parallelism, maxParallelism } = tdd.jobInformation.executionConfig;
  throw new JobGraphMismatchError(
    `Job file ${job.sourceName} (args ${JSON.stringify(tdd.jobFile.args)}, default parallelism ${parallelism}` +
      `${maxParallelism === undefined ? '' : `, max parallelism ${maxParallelism}`}) built another job graph on this TaskManager ` +
      `than on the JobManager (fingerprint ${built}, expected ${tdd.jobInformation.graphFingerprint}): ` +
      'a job file must build the same pipeline in every process, whatever the time, the host or its environment',
  );
}
