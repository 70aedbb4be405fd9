import type { JobFileRef } from './task-deployment-descriptor.ts';
import type { JobStatus, SerializedThrowable } from './records.ts';

/**
 * The Dispatcher as the rest of the JobManager process sees it (in-process): the Flink REST
 * handlers, the AM entry that runs a session / per-job / application cluster, and tests.
 * `jobGraph` is the JSON form produced by runtime/jobgraph (jobGraphToJSON).
 */
export interface JobSubmission {
  readonly jobGraph: unknown;
  readonly jobFile: JobFileRef;
}

export interface JobResult {
  readonly jobId: string;
  readonly status: JobStatus;
  readonly failureCause?: SerializedThrowable;
  readonly netRuntimeMs: number;
}

export interface UploadedJobFile {
  /** Flink's jar id: the stored file name. */
  readonly id: string;
  readonly name: string;
  readonly uploaded: number;
  readonly blobKey: string;
}

export interface RunJobFileOptions {
  readonly programArgs: readonly string[];
  readonly parallelism?: number;
  readonly jobId?: string;
  /** The job's own Flink configuration (`-D` at `weft run`); wins over the cluster's. */
  readonly flinkConfiguration?: Readonly<Record<string, string>>;
}

export interface DispatcherGateway {
  /** Stores a job file (what `POST /jars/upload` receives) and returns its blob key. */
  uploadJobFile(fileName: string, bytes: Buffer): UploadedJobFile;
  listJobFiles(): readonly UploadedJobFile[];
  deleteJobFile(id: string): void;
  /** Loads an uploaded job file in the JobManager, builds its graph and submits it (`POST /jars/:id/run`). */
  runJobFile(id: string, options: RunJobFileOptions): Promise<string>;
  submitJob(submission: JobSubmission): Promise<string>;
  cancelJob(jobId: string): Promise<void>;
  /** Resolves when the job reaches a globally terminal state. */
  requestJobResult(jobId: string): Promise<JobResult>;
  /** Every job's result as it terminates (per-job and application clusters shut down on it). */
  onJobTerminated(listener: (result: JobResult) => void): () => void;
  /** Records a collect sink received, by sink name (tests and `weft run` read them back). */
  collectResults(jobId: string, sinkName: string): readonly unknown[];
}
