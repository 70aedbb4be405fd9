import express, { Router } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../../rm/common/clock.ts';
import { WeftError, badRequest, notFound } from '../../rm/common/errors.ts';
import { errorHandler, registerRoutes } from '../../rm/common/http-server.ts';
import { createInProcessClient } from '../../rm/common/in-process-client.ts';
import type { Service } from '../../rm/common/lifecycle.ts';
import type { Handlers } from '../../rm/common/route.ts';
import { readFileSync } from 'node:fs';
import { compiledSourceName, compileJobFile } from '../api/job-file-compiler.ts';
import { JobFileError } from '../api/job-file-error.ts';
import { withJobConfiguration, type FlinkConfiguration } from '../config/flink-configuration.ts';
import { jobGraphFromJSON, type JobGraph } from '../jobgraph/job-graph.ts';
import { JobMaster } from '../jobmaster/job-master.ts';
import { createRestartStrategy } from '../executiongraph/failover/restart-strategy.ts';
import { httpTaskExecutorGateways, type TaskExecutorGatewayFactory } from '../protocol/task-executor-gateway.ts';
import { BLOB_PATH } from '../protocol/blob.ts';
import type { DispatcherGateway, JobResult, JobSubmission, RunJobFileOptions, UploadedJobFile } from '../protocol/dispatcher-gateway.ts';
import { jobMasterRoutes, type JobMasterGateway } from '../protocol/job-master-gateway.ts';
import type { ResourceManagerGateway } from '../protocol/resource-manager-gateway.ts';
import { isGloballyTerminal, type JobStatus } from '../protocol/records.ts';
import { createJobDetails, type ClusterOverview, type MultipleJobsDetails } from '../protocol/webmonitor.ts';
import type { ExecutionGraphInfo } from '../executiongraph/archived-execution-graph.ts';
import { BlobStore, type BlobEntry } from './blob-store.ts';
import { loadJobGraphInProcess, type JobGraphLoader } from './job-graph-loader.ts';

export interface DispatcherOptions {
  readonly config: FlinkConfiguration;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly resourceManager: ResourceManagerGateway;
  /** The JobManager's base URL (`http://host:port`); a function when the port is known only after listen. */
  readonly jobManagerAddress: string | (() => string);
  /** Where uploaded and shipped job files are kept. */
  readonly blobDirectory: string;
  /** How JobMasters reach TaskManagers; HTTP clients by default. */
  readonly taskExecutorGateway?: TaskExecutorGatewayFactory;
  /** How `runJobFile` turns a compiled job file into a JobGraph; runtime/api's loadCompiledJob by default. */
  readonly loadJobGraph?: JobGraphLoader;
  /** Archives a globally terminated job for the history server (jobmanager.archive.fs.dir); none by default. */
  readonly archiveJob?: (jobId: string) => Promise<unknown>;
}

/**
 * Accepts jobs and runs one JobMaster per job (Flink's Dispatcher). Keeps every job it ran, so
 * REST can show finished jobs (the JobMaster of a terminated job has stopped its timers and
 * serves as the archived execution graph). Also owns the blob store of job files.
 */
export class Dispatcher implements DispatcherGateway, Service {
  readonly name = 'Dispatcher';
  readonly blobStore: BlobStore;
  private readonly options: DispatcherOptions;
  private readonly logger: Logger;
  private readonly jobMasters = new Map<string, JobMaster>();
  private readonly uploaded = new Map<string, UploadedJobFile>();
  private readonly terminationListeners = new Set<(result: JobResult) => void>();
  /** Each terminated job's archiving, settled (never rejected) once its archive is written or failed. */
  private readonly archiving = new Map<string, Promise<void>>();
  private readonly taskExecutorGateway: TaskExecutorGatewayFactory;
  private readonly loadJobGraph: JobGraphLoader;
  /** Blob key of an uploaded source file -> the blob of its compiled form. */
  private readonly compiled = new Map<string, Promise<BlobEntry>>();

  constructor(options: DispatcherOptions) {
    this.options = options;
    this.logger = options.logger;
    this.blobStore = new BlobStore(options.blobDirectory);
    this.taskExecutorGateway = options.taskExecutorGateway ?? httpTaskExecutorGateways();
    this.loadJobGraph = options.loadJobGraph ?? loadJobGraphInProcess;
  }

  get jobManagerAddress(): string {
    const a = this.options.jobManagerAddress;
    return typeof a === 'string' ? a : a();
  }

  // ---- job files -----------------------------------------------------------------------------

  uploadJobFile(fileName: string, bytes: Buffer): UploadedJobFile {
    const entry = this.blobStore.put(fileName, bytes);
    const file: UploadedJobFile = { id: entry.blobKey, path: `${this.blobStore.directory}/${entry.blobKey}`, name: entry.fileName, uploaded: this.options.clock.now(), blobKey: entry.blobKey };
    this.uploaded.set(file.id, file);
    this.logger.info({ jarId: file.id, size: bytes.length }, 'Job file uploaded');
    return file;
  }

  listJobFiles(): readonly UploadedJobFile[] {
    return [...this.uploaded.values()];
  }

  deleteJobFile(id: string): void {
    if (!this.uploaded.delete(id)) throw notFound(`Jar file ${id} does not exist`);
    // A job still running from it keeps its blob: TaskManagers may fetch it again on restart.
    const inUse = [...this.jobMasters.values()].some((jm) => jm.graph.jobFile.blobKey === id && !jm.graph.isGloballyTerminal);
    if (!inUse) this.blobStore.delete(id);
  }

  /**
   * Builds the JobGraph of an uploaded job file in this process and submits it. `weft run`
   * uploads compiled job files; a source file uploaded by other means (`curl -F jarfile=@job.ts`,
   * the dashboard) is compiled here once. `flinkConfiguration` is the job's own configuration
   * (Flink's JarRunRequestBody field): with the cluster's, it gives the default parallelism, and
   * the graph carries it to the JobMaster.
   */
  async runJobFile(id: string, options: RunJobFileOptions): Promise<string> {
    const file = this.uploaded.get(id) ?? this.blobFile(id);
    if (!file) throw notFound(`Jar file ${id} does not exist`);
    const entry = this.blobStore.get(file.blobKey);
    if (!entry) throw notFound(`Jar file ${id} does not exist`);
    const jobConfiguration = { ...options.flinkConfiguration };
    let config: FlinkConfiguration;
    try {
      config = withJobConfiguration(this.options.config, jobConfiguration);
    } catch (err) {
      throw badRequest(`Invalid flinkConfiguration: ${err instanceof Error ? err.message : String(err)}`);
    }
    const maxParallelism = config['pipeline.max-parallelism'];
    let compiled: BlobEntry;
    let graph: JobGraph;
    try {
      compiled = await this.compiledBlob(file, entry);
      graph = await this.loadJobGraph(compiled.path, options.programArgs, {
        parallelism: options.parallelism ?? config['parallelism.default'],
        ...(maxParallelism === undefined ? {} : { maxParallelism }),
        jobConfiguration,
        ...(options.jobId === undefined ? {} : { jobId: options.jobId }),
      });
    } catch (err) {
      if (err instanceof JobFileError) throw badRequest(err.message);
      throw badRequest(`Could not run job file ${file.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return this.submitJob({ jobGraph: graph, jobFile: { blobKey: compiled.blobKey, fileName: compiled.fileName, args: [...options.programArgs] } });
  }

  private compiledBlob(file: UploadedJobFile, entry: BlobEntry): Promise<BlobEntry> {
    if (compiledSourceName(readFileSync(entry.path)) !== undefined) return Promise.resolve(entry);
    let compiled = this.compiled.get(entry.blobKey);
    if (!compiled) {
      compiled = compileJobFile(entry.path, file.name).then((c) => {
        this.logger.info({ jarId: file.id, compiled: c.fileName }, 'Compiled an uploaded job file');
        return this.blobStore.put(c.fileName, c.code);
      });
      this.compiled.set(entry.blobKey, compiled);
      compiled.catch(() => this.compiled.delete(entry.blobKey));
    }
    return compiled;
  }

  // ---- jobs ----------------------------------------------------------------------------------

  async submitJob(submission: JobSubmission): Promise<string> {
    let graph: JobGraph;
    try {
      graph = jobGraphFromJSON(submission.jobGraph);
    } catch (err) {
      throw badRequest(`Invalid JobGraph: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.jobMasters.has(graph.jobId)) throw new WeftError('IllegalState', `Job has already been submitted: ${graph.jobId}`);
    this.checkJobConfiguration(graph);
    const logger = this.logger.child({ jobId: graph.jobId });
    const jobMaster = new JobMaster({
      jobGraph: graph,
      jobFile: submission.jobFile,
      config: this.options.config,
      clock: this.options.clock,
      logger,
      resourceManager: this.options.resourceManager,
      jobMasterAddress: this.jobManagerAddress,
      taskExecutorGateway: this.taskExecutorGateway,
      onTerminated: (result) => this.jobTerminated(result),
    });
    this.jobMasters.set(graph.jobId, jobMaster);
    logger.info({ jobName: graph.jobName, vertices: graph.vertices.length }, 'Received JobGraph submission');
    jobMaster.start();
    return graph.jobId;
  }

  async cancelJob(jobId: string): Promise<void> {
    this.requireJob(jobId).cancel();
  }

  /** Resolves once the job is globally terminal and archived, so a per-job cluster does not stop before its archive is written. */
  async requestJobResult(jobId: string): Promise<JobResult> {
    const result = await this.requireJob(jobId).resultFuture();
    await this.archiving.get(jobId);
    return result;
  }

  onJobTerminated(listener: (result: JobResult) => void): () => void {
    this.terminationListeners.add(listener);
    return () => this.terminationListeners.delete(listener);
  }

  collectResults(jobId: string, sinkName: string): readonly unknown[] {
    return this.requireJob(jobId).collectResults(sinkName);
  }

  async requestJob(jobId: string): Promise<ExecutionGraphInfo> {
    return this.requireJob(jobId).requestJob();
  }

  async requestJobStatus(jobId: string): Promise<JobStatus> {
    return this.requireJob(jobId).graph.status;
  }

  async requestMultipleJobDetails(): Promise<MultipleJobsDetails> {
    const now = this.options.clock.now();
    return { jobs: this.jobs().map((jm) => createJobDetails(jm.requestJob().archivedExecutionGraph, now)) };
  }

  async requestClusterOverview(): Promise<ClusterOverview> {
    const tms = this.options.resourceManager.taskManagers();
    const statuses = this.jobs().map((jm) => jm.graph.status);
    const count = (s: JobStatus): number => statuses.filter((x) => x === s).length;
    return {
      taskmanagers: tms.length,
      'slots-total': tms.reduce((n, t) => n + t.numberOfSlots, 0),
      'slots-available': tms.reduce((n, t) => n + t.freeSlots, 0),
      'taskmanagers-blocked': 0,
      'slots-free-and-blocked': 0,
      'jobs-running': statuses.filter((s) => !isGloballyTerminal(s)).length,
      'jobs-finished': count('FINISHED'),
      'jobs-cancelled': count('CANCELED'),
      'jobs-failed': count('FAILED'),
    };
  }

  /** Every job this Dispatcher ran or runs, in submission order (tests; REST reads the snapshots above). */
  jobs(): JobMaster[] {
    return [...this.jobMasters.values()];
  }

  job(jobId: string): JobMaster | undefined {
    return this.jobMasters.get(jobId);
  }

  requireJob(jobId: string): JobMaster {
    const jm = this.jobMasters.get(jobId);
    if (!jm) throw notFound(`Job ${jobId} not found`);
    return jm;
  }

  start(): void {}

  /** Stops every JobMaster's timers (JobManager shutdown); jobs keep their status. */
  stop(): void {
    for (const jm of this.jobMasters.values()) jm.close();
  }

  // ---- RPC endpoints on the JobManager's port ------------------------------------------------------

  /**
   * JobMasterGateway in this process (TaskManagers and the JobManager wired in one process),
   * validated as over HTTP, minus the sockets.
   */
  jobMasterGateway(): JobMasterGateway {
    return createInProcessClient(jobMasterRoutes, this.jobMasterHandlers(), { caller: () => undefined, origin: this.jobManagerAddress });
  }

  /** Handlers of jobMasterRoutes: each call goes to the JobMaster of `:jobId`; unknown job -> 404. */
  jobMasterHandlers(): Handlers<typeof jobMasterRoutes, unknown> {
    return {
      registerTaskManager: ({ params, body }) => ({ jobMasterId: this.requireJob(params.jobId).registerTaskManager(body.location) }),
      offerSlots: ({ params, body }) => ({ accepted: this.requireJob(params.jobId).offerSlots(body.resourceId, body.offers) }),
      updateTaskExecutionState: ({ params, body }) => ({ acknowledged: this.requireJob(params.jobId).updateTaskExecutionState(body) }),
      heartbeatFromTaskManager: ({ params, body }) => ({ known: this.requireJob(params.jobId).heartbeatFromTaskManager(body.resourceId, body.executions) }),
      addCollectResults: ({ params, body }) => {
        this.requireJob(params.jobId).addCollectResults(body.executionAttemptId, body.sinkName, body.records);
        return {};
      },
      disconnectTaskManager: ({ params, body }) => {
        this.requireJob(params.jobId).disconnectTaskManager(body.resourceId, body.cause);
        return {};
      },
    };
  }

  /**
   * One router for what TaskManagers call on the JobManager's port: jobMasterRoutes
   * (`/rpc/jobmaster/:jobId/*`) and the blob path (`GET /rpc/blob/:blobKey`). Errors answer with
   * RemoteException bodies, which the typed HTTP clients understand.
   */
  rpcRouter(): Router {
    const router = Router();
    router.get(BLOB_PATH, this.blobStore.handler());
    router.use('/rpc/jobmaster', express.json({ limit: '64mb', strict: false }));
    registerRoutes(router, jobMasterRoutes, this.jobMasterHandlers(), () => undefined);
    router.use('/rpc/jobmaster', errorHandler(this.logger));
    return router;
  }

  /** A job-level key the JobMaster would choke on is the submitter's error (400), not the JobManager's. */
  private checkJobConfiguration(graph: JobGraph): void {
    try {
      createRestartStrategy(withJobConfiguration(this.options.config, graph.jobConfiguration ?? {}), { clock: this.options.clock });
    } catch (err) {
      throw badRequest(`Invalid job configuration of job ${graph.jobId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private blobFile(id: string): UploadedJobFile | undefined {
    const entry = this.blobStore.get(id);
    return entry ? { id, path: `${this.blobStore.directory}/${id}`, name: entry.fileName, uploaded: this.options.clock.now(), blobKey: entry.blobKey } : undefined;
  }

  private jobTerminated(result: JobResult): void {
    this.logger.info({ jobId: result.jobId, status: result.status }, 'Job reached a globally terminal state');
    const archive = this.options.archiveJob;
    if (archive) {
      const done = Promise.resolve()
        .then(() => archive(result.jobId))
        .then(
          () => undefined,
          (err: unknown) => this.logger.warn({ jobId: result.jobId, err: (err as Error).message }, 'Could not archive the job for the history server'),
        );
      this.archiving.set(result.jobId, done);
    }
    for (const listener of this.terminationListeners) {
      try {
        listener(result);
      } catch (err) {
        this.logger.error({ err, jobId: result.jobId }, 'job termination listener failed');
      }
    }
  }
}
