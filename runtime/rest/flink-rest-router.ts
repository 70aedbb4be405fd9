import express, { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../../rm/common/clock.ts';
import { badRequest, notFound } from '../../rm/common/errors.ts';
import { registerRoutes } from '../../rm/common/http-server.ts';
import type { Handlers } from '../../rm/common/route.ts';
import { FLINK_VERSION, type FlinkConfiguration } from '../config/flink-configuration.ts';
import type { Dispatcher } from '../dispatcher/dispatcher.ts';
import type { JobMaster } from '../jobmaster/job-master.ts';
import type { ResourceManagerGateway } from '../protocol/resource-manager-gateway.ts';
import { flinkErrorHandler } from './flink-error-handler.ts';
import { flinkRestRoutes, jarUploadRoute, type JarUploadResponse } from './flink-rest-routes.ts';
import { jobDetailsInfo, jobOverview } from './job-details-info.ts';
import { jobExceptionsInfo } from './job-exceptions-info.ts';
import { jobResourceWait } from './job-resource-wait.ts';
import { jobExecutionResult } from './job-execution-result.ts';
import { jobPlan } from './job-plan.ts';
import { LogDirectory } from './log-directory.ts';
import { logFileRoutes } from './log-file-routes.ts';
import { readJobFileUpload } from './job-file-upload.ts';
import { tokenizeArguments } from './program-args.ts';
import { taskManagerDetailsInfo, taskManagerInfo } from './task-manager-info.ts';
import { jobVertexBackPressure, jobVertexDetailsInfo } from './vertex-details-info.ts';

export interface FlinkRestOptions {
  readonly dispatcher: Dispatcher;
  readonly resourceManager: ResourceManagerGateway;
  readonly config: FlinkConfiguration;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `DELETE /cluster`: shuts the cluster down (called after the answer is sent). */
  readonly shutdown?: () => void | Promise<void>;
  /** The JobManager's log directory (`web.log.path`) for `/jobmanager/log*`; none by default. */
  readonly jobManagerLogs?: LogDirectory;
}

/**
 * The JobManager's Flink REST API (flink.md §6) as one express Router: the route table in
 * flink-rest-routes.ts plus the job file upload. Mount it at the root of the
 * JobManager's port; `/v1/...` is accepted for every path. Errors answer `{"errors": [...]}`.
 *
 * `POST /jars/upload` takes either multipart/form-data with the file in field `jarfile` (what
 * Flink's dashboard and `curl -F jarfile=@job.ts` send), or the raw file as the body
 * (`content-type: application/octet-stream`) named by `?name=job.ts` or an `x-file-name` header.
 */
export function createFlinkRestRouter(options: FlinkRestOptions): Router {
  const { dispatcher, logger } = options;
  const router = Router();

  router.use((req, _res, next) => {
    if (req.url === '/v1' || req.url.startsWith('/v1/') || req.url.startsWith('/v1?')) req.url = req.url.slice(3) || '/';
    next();
  });

  router.post(jarUploadRoute.path, async (req: Request, res: Response) => {
    const rawName = typeof req.query.name === 'string' ? req.query.name : req.get('x-file-name');
    const file = await readJobFileUpload(req, req.headers, { maxBytes: options.config['rest.server.max-content-length'], field: 'jarfile', rawName });
    const uploaded = dispatcher.uploadJobFile(file.fileName, file.bytes);
    const body: JarUploadResponse = { filename: `${dispatcher.blobStore.directory}/${uploaded.id}`, status: 'success' };
    res.status(200).json(body);
  });

  router.use(logFileRoutes({ jobManagerLogs: options.jobManagerLogs ?? new LogDirectory(undefined), resourceManager: options.resourceManager }));
  router.use(express.json({ limit: '10mb', strict: false }));
  registerRoutes(router, flinkRestRoutes, flinkRestHandlers(options), () => undefined);
  router.use(flinkErrorHandler(logger));
  return router;
}

function requireJob(dispatcher: Dispatcher, jobId: string): JobMaster {
  const jm = dispatcher.job(jobId);
  if (!jm) throw notFound(`Job ${jobId} not found`);
  return jm;
}

/** The handlers of the route table; also what a finished job's archive is made of (rest-archive.ts). */
export function flinkRestHandlers(options: FlinkRestOptions): Handlers<typeof flinkRestRoutes, unknown> {
  const { dispatcher, resourceManager, clock, config, logger } = options;
  const job = (jobId: string): JobMaster => requireJob(dispatcher, jobId);
  const vertex = (jobId: string, vertexId: string) => {
    const jv = job(jobId).graph.getJobVertex(vertexId);
    if (!jv) throw notFound(`JobVertex ${vertexId} not found in job ${jobId}`);
    return jv;
  };
  return {
    config: () => {
      const now = new Date(clock.now());
      return {
        'refresh-interval': 3000,
        'timezone-name': Intl.DateTimeFormat().resolvedOptions().timeZone,
        'timezone-offset': -now.getTimezoneOffset() * 60_000,
        'flink-version': FLINK_VERSION,
        'flink-revision': 'weft',
        features: { 'web-submit': true, 'web-cancel': true, 'web-rescale': false, 'web-history': false },
      };
    },
    overview: () => {
      const tms = resourceManager.taskManagers();
      const statuses = dispatcher.jobs().map((jm) => jm.graph.status);
      const count = (s: string) => statuses.filter((x) => x === s).length;
      return {
        taskmanagers: tms.length,
        'slots-total': tms.reduce((n, t) => n + t.numberOfSlots, 0),
        'slots-available': tms.reduce((n, t) => n + t.freeSlots, 0),
        'taskmanagers-blocked': 0,
        'slots-free-and-blocked': 0,
        'jobs-running': statuses.filter((s) => s !== 'FINISHED' && s !== 'CANCELED' && s !== 'FAILED').length,
        'jobs-finished': count('FINISHED'),
        'jobs-cancelled': count('CANCELED'),
        'jobs-failed': count('FAILED'),
        'flink-version': FLINK_VERSION,
        'flink-commit': 'weft',
      };
    },
    jobs: () => ({ jobs: dispatcher.jobs().map((jm) => ({ id: jm.jobId, status: jm.graph.status })) }),
    jobsOverview: () => ({ jobs: dispatcher.jobs().map((jm) => jobOverview(jm, clock.now())) }),
    jobDetails: ({ params }) => {
      const jm = job(params.jobid);
      return { ...jobDetailsInfo(jm, clock.now()), 'waiting-for-resources': jobResourceWait(jm, resourceManager) };
    },
    jobCancel: ({ params, query }) => {
      const mode = query.mode ?? 'cancel';
      if (mode !== 'cancel' && mode !== 'stop') throw badRequest(`Unknown termination mode '${mode}'; expected 'cancel'`);
      job(params.jobid).cancel();
      return {};
    },
    jobStatus: ({ params }) => ({ status: job(params.jobid).graph.status }),
    jobPlan: ({ params }) => ({ plan: jobPlan(job(params.jobid).graph.jobGraph) }),
    jobExceptions: ({ params, query }) => {
      const jm = job(params.jobid);
      return { ...jobExceptionsInfo(jm, query.maxExceptions ?? 20), 'waiting-for-resources': jobResourceWait(jm, resourceManager) };
    },
    jobExecutionResult: ({ params }) => jobExecutionResult(job(params.jobid)),
    jobVertexDetails: ({ params }) => jobVertexDetailsInfo(vertex(params.jobid, params.vertexid), clock.now()),
    jobVertexBackPressure: ({ params }) => jobVertexBackPressure(vertex(params.jobid, params.vertexid), clock.now()),
    collectResults: ({ params }) => {
      const jm = job(params.jobid);
      return { sink: params.sinkName, records: [...jm.collectResults(params.sinkName)], 'job-status': jm.graph.status };
    },
    taskManagers: () => ({ taskmanagers: resourceManager.taskManagers().map(taskManagerInfo) }),
    taskManagerDetails: ({ params }) => {
      const tm = resourceManager.taskManagers().find((t) => t.resourceId === params.taskmanagerid);
      if (!tm) throw notFound(`Could not find TaskManager ${params.taskmanagerid}`);
      return taskManagerDetailsInfo(tm);
    },
    jobManagerConfig: () => [...config.raw].map(([key, value]) => ({ key, value })),
    jobManagerJobConfig: ({ params }) => {
      job(params.jobid);
      return [...config.raw].map(([key, value]) => ({ key, value }));
    },
    jars: ({ origin }) => ({
      address: origin,
      files: dispatcher.listJobFiles().map((f) => ({ id: f.id, name: f.name, uploaded: f.uploaded, entry: [{ name: 'default', description: null }] })),
    }),
    jarRun: async ({ params, query, body }) => {
      const request = { ...query, ...definedOnly(body) };
      const programArgs = request.programArgsList ?? tokenizeArguments(request.programArgs);
      const jobid = await dispatcher.runJobFile(params.jarid, {
        programArgs,
        ...(request.parallelism === undefined || request.parallelism <= 0 ? {} : { parallelism: request.parallelism }),
        ...(request.jobId === undefined ? {} : { jobId: request.jobId }),
        ...(request.flinkConfiguration === undefined ? {} : { flinkConfiguration: request.flinkConfiguration }),
      });
      return { jobid };
    },
    jarDelete: ({ params }) => {
      dispatcher.deleteJobFile(params.jarid);
      return {};
    },
    clusterShutdown: () => {
      const shutdown = options.shutdown;
      if (shutdown) {
        setImmediate(() => {
          Promise.resolve()
            .then(shutdown)
            .catch((err: unknown) => logger.error({ err }, 'cluster shutdown failed'));
        });
      }
      return {};
    },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
