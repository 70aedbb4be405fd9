import type { ExecutionGraphInfo } from '../executiongraph/archived-execution-graph.ts';
import type { JobFileRef } from './task-deployment-descriptor.ts';
import type { JobStatus, SerializedThrowable } from './records.ts';
import type { ClusterOverview, MultipleJobsDetails } from './webmonitor.ts';

/**
 * The Dispatcher as the rest of the JobManager process sees it (in-process): the Flink REST
 * handlers, the dashboard's hub, the AM entry that runs a session / per-job / application
 * cluster, and tests. `jobGraph` is the JSON form produced by runtime/jobgraph (jobGraphToJSON).
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
  /** Where it is stored (`POST /jars/upload` answers it as `filename`). */
  readonly path: string;
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

/**
 * Reads answer plain snapshots (Flink's RestfulGateway): REST handlers and dashboards never
 * touch a live JobMaster or ExecutionGraph. An unknown job id rejects with a NotFound error.
 */
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
  /** The job's archived execution graph and exception history, as of now. */
  requestJob(jobId: string): Promise<ExecutionGraphInfo>;
  requestJobStatus(jobId: string): Promise<JobStatus>;
  /** Every job this Dispatcher ran or runs, in submission order (`/jobs/overview`). */
  requestMultipleJobDetails(): Promise<MultipleJobsDetails>;
  /** TaskManagers, slots and job counts (`/overview`, without the version). */
  requestClusterOverview(): Promise<ClusterOverview>;
  /** Records a collect sink received, by sink name (tests and `weft run` read them back). */
  collectResults(jobId: string, sinkName: string): readonly unknown[];
}
