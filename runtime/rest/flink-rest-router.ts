import express, { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../../rm/common/clock.ts';
import { badRequest, notFound } from '../../rm/common/errors.ts';
import { registerRoutes } from '../../rm/common/http-server.ts';
import type { Handlers } from '../../rm/common/route.ts';
import { FLINK_VERSION, type FlinkConfiguration } from '../config/flink-configuration.ts';
import type { DispatcherGateway } from '../protocol/dispatcher-gateway.ts';
import type { ResourceManagerGateway } from '../protocol/resource-manager-gateway.ts';
import type { ArchivedExecutionGraph, ArchivedExecutionJobVertex } from '../executiongraph/archived-execution-graph.ts';
import { flinkErrorHandler } from './flink-error-handler.ts';
import { flinkRestRoutes, jarUploadRoute, type JarUploadResponse } from './flink-rest-routes.ts';
import { jobDetailsInfo } from './job-details-info.ts';
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
import { jobWatermarksInfo } from './job-watermarks-info.ts';
import { aggregatedSubtaskMetrics, subtaskMetrics, vertexMetrics, vertexWatermarks } from './metrics-info.ts';

export interface FlinkRestOptions {
  readonly dispatcher: DispatcherGateway;
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
    const body: JarUploadResponse = { filename: uploaded.path, status: 'success' };
    res.status(200).json(body);
  });

  router.use(logFileRoutes({ jobManagerLogs: options.jobManagerLogs ?? new LogDirectory(undefined), resourceManager: options.resourceManager }));
  router.use(express.json({ limit: '10mb', strict: false }));
  registerRoutes(router, flinkRestRoutes, flinkRestHandlers(options), () => undefined);
  router.use(flinkErrorHandler(logger));
  return router;
}

/** The handlers of the route table; also what a finished job's archive is made of (rest-archive.ts). */
export function flinkRestHandlers(options: FlinkRestOptions): Handlers<typeof flinkRestRoutes, unknown> {
  const { dispatcher, resourceManager, clock, config, logger } = options;
  const graph = async (jobId: string): Promise<ArchivedExecutionGraph> => (await dispatcher.requestJob(jobId)).archivedExecutionGraph;
  const vertex = async (jobId: string, vertexId: string): Promise<ArchivedExecutionJobVertex> => {
    const jv = (await graph(jobId)).verticesInTopologicalOrder.find((v) => v.id === vertexId);
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
    overview: async () => ({ ...(await dispatcher.requestClusterOverview()), 'flink-version': FLINK_VERSION, 'flink-commit': 'weft' }),
    jobs: async () => ({ jobs: (await dispatcher.requestMultipleJobDetails()).jobs.map((j) => ({ id: j.jid, status: j.state })) }),
    jobsOverview: () => dispatcher.requestMultipleJobDetails(),
    jobDetails: async ({ params }) => {
      const info = await dispatcher.requestJob(params.jobid);
      return { ...jobDetailsInfo(info.archivedExecutionGraph, clock.now()), 'waiting-for-resources': jobResourceWait(info, resourceManager) };
    },
    jobCancel: async ({ params, query }) => {
      const mode = query.mode ?? 'cancel';
      if (mode !== 'cancel' && mode !== 'stop') throw badRequest(`Unknown termination mode '${mode}'; expected 'cancel'`);
      await dispatcher.cancelJob(params.jobid);
      return {};
    },
    jobStatus: async ({ params }) => ({ status: await dispatcher.requestJobStatus(params.jobid) }),
    jobPlan: async ({ params }) => ({ plan: jobPlan((await graph(params.jobid)).jobGraph) }),
    jobExceptions: async ({ params, query }) => {
      const info = await dispatcher.requestJob(params.jobid);
      return { ...jobExceptionsInfo(info, query.maxExceptions ?? 20), 'waiting-for-resources': jobResourceWait(info, resourceManager) };
    },
    jobExecutionResult: async ({ params }) => jobExecutionResult(await graph(params.jobid)),
    jobVertexDetails: async ({ params }) => jobVertexDetailsInfo(await vertex(params.jobid, params.vertexid), clock.now()),
    jobVertexBackPressure: async ({ params }) => jobVertexBackPressure(await vertex(params.jobid, params.vertexid), clock.now()),
    jobVertexWatermarks: async ({ params }) => vertexWatermarks(await vertex(params.jobid, params.vertexid)),
    jobVertexMetrics: async ({ params, query }) => vertexMetrics(await vertex(params.jobid, params.vertexid), query.get),
    jobVertexSubtasksMetrics: async ({ params, query }) => aggregatedSubtaskMetrics(await vertex(params.jobid, params.vertexid), query),
    jobVertexSubtaskMetrics: async ({ params, query }) => subtaskMetrics(await vertex(params.jobid, params.vertexid), params.subtaskindex, query.get),
    jobWatermarks: async ({ params }) => jobWatermarksInfo(await graph(params.jobid)),
    collectResults: async ({ params }) => {
      const records = [...dispatcher.collectResults(params.jobid, params.sinkName)];
      return { sink: params.sinkName, records, 'job-status': await dispatcher.requestJobStatus(params.jobid) };
    },
    taskManagers: () => ({ taskmanagers: resourceManager.taskManagers().map(taskManagerInfo) }),
    taskManagerDetails: ({ params }) => {
      const tm = resourceManager.taskManagers().find((t) => t.resourceId === params.taskmanagerid);
      if (!tm) throw notFound(`Could not find TaskManager ${params.taskmanagerid}`);
      return taskManagerDetailsInfo(tm);
    },
    jobManagerConfig: () => [...config.raw].map(([key, value]) => ({ key, value })),
    jobManagerJobConfig: async ({ params }) => {
      await dispatcher.requestJobStatus(params.jobid);
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
