import { z } from 'zod';
import { route } from '../../rm/common/route.ts';
import { JobStatus } from '../protocol/records.ts';
import { JobExceptionsInfo } from './job-exceptions-info.ts';
import { JobExecutionResultInfo } from './job-execution-result.ts';
import { JobDetailsInfo } from './job-details-info.ts';
import { ClusterOverview, JobIdsWithStatusOverview, MultipleJobsDetails } from '../protocol/webmonitor.ts';
import { JobPlan } from './job-plan.ts';
import { TaskManagerDetailsInfo, TaskManagersInfo } from './task-manager-info.ts';
import { JobVertexBackPressureInfo, JobVertexDetailsInfo } from './vertex-details-info.ts';
import { JobWatermarksInfo } from './job-watermarks-info.ts';
import { AggregatedMetrics, AggregatedMetricsQuery, MetricCollection, MetricsQuery } from './metrics-info.ts';

/**
 * The Flink REST API of the JobManager (reference/flink.md §6), as route specs: field names are
 * Flink's, exactly. Every response is a zod schema, declared beside its builder in this folder; the
 * handlers and the REST cluster client take their types from it. Also accepted under `/v1/`.
 *
 * `POST /jars/upload` (a multipart or raw body, not JSON) is `jarUploadRoute`, beside the table:
 * flink-rest-router.ts registers it by hand, and the REST cluster client calls it from its spec.
 *
 * weft extensions: `GET /jobs/:jobid/collect/:sinkName` answers `{"sink", "records", "job-status"}`
 * with what a collect sink (`DataStream.collect(name)`) received so far; `GET /jobs/:jobid` and
 * `GET /jobs/:jobid/exceptions` carry `waiting-for-resources` (job-resource-wait.ts): why tasks
 * wait for slots while they do, else null; `GET /jobs/:jobid/watermarks` answers each vertex's lowest
 * watermark and who holds it back (subtask, input channel, or idle), per subtask and channel
 * (job-watermarks-info.ts).
 *
 * Metrics (`/vertices/:vertexid/watermarks`, `/metrics`, `/subtasks/metrics`) are what the tasks
 * last reported with their state: as fresh as the last TaskManager heartbeat (`heartbeat.interval`),
 * as Flink's are as fresh as its MetricFetcher (`metrics.fetcher.update-interval`, 10 s).
 */
const JobParams = z.object({ jobid: z.string() });
const VertexParams = z.object({ jobid: z.string(), vertexid: z.string() });
const JarParams = z.object({ jarid: z.string() });
const intLike = z.union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)]);

export const JarRunRequest = z.object({
  entryClass: z.string().optional(),
  programArgs: z.string().optional(),
  programArgsList: z.array(z.string()).optional(),
  parallelism: intLike.optional(),
  jobId: z.string().optional(),
  allowNonRestoredState: z.union([z.boolean(), z.string()]).optional(),
  savepointPath: z.string().optional(),
  /** The job's own configuration (Flink 1.17+, FLIP-256): `parallelism.default`, `restart-strategy.type`, ... */
  flinkConfiguration: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
});
export type JarRunRequest = z.infer<typeof JarRunRequest>;

/** `GET /config` (Flink's DashboardConfiguration). */
export const DashboardConfiguration = z.object({
  'refresh-interval': z.number(),
  'timezone-name': z.string(),
  'timezone-offset': z.number(),
  'flink-version': z.string(),
  'flink-revision': z.string(),
  features: z.object({ 'web-submit': z.boolean(), 'web-cancel': z.boolean(), 'web-rescale': z.boolean(), 'web-history': z.boolean() }),
});
export type DashboardConfiguration = z.infer<typeof DashboardConfiguration>;

/** `GET /overview` (Flink's ClusterOverviewWithVersion). */
export const ClusterOverviewWithVersion = ClusterOverview.extend({ 'flink-version': z.string(), 'flink-commit': z.string() });
export type ClusterOverviewWithVersion = z.infer<typeof ClusterOverviewWithVersion>;

/** `GET /jars` (Flink's JarListInfo). */
export const JarListInfo = z.object({
  address: z.string(),
  files: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      uploaded: z.number(),
      entry: z.array(z.object({ name: z.string(), description: z.string().nullable() })),
    }),
  ),
});
export type JarListInfo = z.infer<typeof JarListInfo>;

/** `POST /jars/:jarid/run` (Flink's JarRunResponseBody). */
export const JarRunResponse = z.object({ jobid: z.string() });
export type JarRunResponse = z.infer<typeof JarRunResponse>;

/** `GET /jobmanager/config` and `GET /jobs/:jobid/jobmanager/config` (Flink's ConfigurationInfo). */
export const ConfigurationInfo = z.array(z.object({ key: z.string(), value: z.string() }));
export type ConfigurationInfo = z.infer<typeof ConfigurationInfo>;

export const JarUploadResponse = z.object({ filename: z.string(), status: z.literal('success') });
export type JarUploadResponse = z.infer<typeof JarUploadResponse>;

/** `POST /jars/upload`: the job file in multipart field `jarfile` (JarUploadHandler). */
export const jarUploadRoute = route({
  method: 'POST',
  path: '/jars/upload',
  body: z.custom<FormData>((v) => v instanceof FormData),
  response: JarUploadResponse,
  status: 200,
  semantics: 'atMostOnce',
});

/** weft: `GET /jobs/:jobid/collect/:sinkName`. */
export const CollectResultsInfo = z.object({ sink: z.string(), records: z.array(z.unknown()), 'job-status': JobStatus });
export type CollectResultsInfo = z.infer<typeof CollectResultsInfo>;

export const flinkRestRoutes = {
  config: route({ method: 'GET', path: '/config', response: DashboardConfiguration, status: 200, semantics: 'safe' }),
  overview: route({ method: 'GET', path: '/overview', response: ClusterOverviewWithVersion, status: 200, semantics: 'safe' }),
  jobs: route({ method: 'GET', path: '/jobs', response: JobIdsWithStatusOverview, status: 200, semantics: 'safe' }),
  jobsOverview: route({ method: 'GET', path: '/jobs/overview', response: MultipleJobsDetails, status: 200, semantics: 'safe' }),
  jobDetails: route({ method: 'GET', path: '/jobs/:jobid', params: JobParams, response: JobDetailsInfo, status: 200, semantics: 'safe' }),
  /** `PATCH /jobs/:jobid?mode=cancel` (JobCancellationHandler); `stop` is accepted as a cancel. */
  jobCancel: route({
    method: 'PATCH',
    path: '/jobs/:jobid',
    params: JobParams,
    query: z.object({ mode: z.string().optional() }),
    response: z.object({}),
    status: 202,
    semantics: 'idempotent',
  }),
  jobStatus: route({ method: 'GET', path: '/jobs/:jobid/status', params: JobParams, response: z.object({ status: JobStatus }), status: 200, semantics: 'safe' }),
  jobPlan: route({ method: 'GET', path: '/jobs/:jobid/plan', params: JobParams, response: z.object({ plan: JobPlan }), status: 200, semantics: 'safe' }),
  jobExceptions: route({
    method: 'GET',
    path: '/jobs/:jobid/exceptions',
    params: JobParams,
    query: z.object({ maxExceptions: intLike.optional() }),
    response: JobExceptionsInfo,
    status: 200,
    semantics: 'safe',
  }),
  jobExecutionResult: route({ method: 'GET', path: '/jobs/:jobid/execution-result', params: JobParams, response: JobExecutionResultInfo, status: 200, semantics: 'safe' }),
  jobVertexDetails: route({ method: 'GET', path: '/jobs/:jobid/vertices/:vertexid', params: VertexParams, response: JobVertexDetailsInfo, status: 200, semantics: 'safe' }),
  jobVertexBackPressure: route({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/backpressure',
    params: VertexParams,
    response: JobVertexBackPressureInfo,
    status: 200,
    semantics: 'safe',
  }),
  jobVertexWatermarks: route({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/watermarks',
    params: VertexParams,
    response: MetricCollection,
    status: 200,
    semantics: 'safe',
  }),
  jobVertexMetrics: route({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/metrics',
    params: VertexParams,
    query: MetricsQuery,
    response: MetricCollection,
    status: 200,
    semantics: 'safe',
  }),
  jobVertexSubtasksMetrics: route({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/subtasks/metrics',
    params: VertexParams,
    query: AggregatedMetricsQuery,
    response: AggregatedMetrics,
    status: 200,
    semantics: 'safe',
  }),
  jobVertexSubtaskMetrics: route({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/metrics',
    params: z.object({ jobid: z.string(), vertexid: z.string(), subtaskindex: z.string().regex(/^\d+$/).transform(Number) }),
    query: MetricsQuery,
    response: MetricCollection,
    status: 200,
    semantics: 'safe',
  }),
  jobWatermarks: route({ method: 'GET', path: '/jobs/:jobid/watermarks', params: JobParams, response: JobWatermarksInfo, status: 200, semantics: 'safe' }),
  collectResults: route({
    method: 'GET',
    path: '/jobs/:jobid/collect/:sinkName',
    params: z.object({ jobid: z.string(), sinkName: z.string() }),
    response: CollectResultsInfo,
    status: 200,
    semantics: 'safe',
  }),
  taskManagers: route({ method: 'GET', path: '/taskmanagers', response: TaskManagersInfo, status: 200, semantics: 'safe' }),
  taskManagerDetails: route({
    method: 'GET',
    path: '/taskmanagers/:taskmanagerid',
    params: z.object({ taskmanagerid: z.string() }),
    response: TaskManagerDetailsInfo,
    status: 200,
    semantics: 'safe',
  }),
  jobManagerConfig: route({ method: 'GET', path: '/jobmanager/config', response: ConfigurationInfo, status: 200, semantics: 'safe' }),
  /** The configuration the job's JobManager ran with (JobManagerJobConfigurationHandler; archived with the job). */
  jobManagerJobConfig: route({
    method: 'GET',
    path: '/jobs/:jobid/jobmanager/config',
    params: JobParams,
    response: ConfigurationInfo,
    status: 200,
    semantics: 'safe',
  }),
  jars: route({ method: 'GET', path: '/jars', response: JarListInfo, status: 200, semantics: 'safe' }),
  jarRun: route({
    method: 'POST',
    path: '/jars/:jarid/run',
    params: JarParams,
    query: JarRunRequest.partial(),
    body: JarRunRequest,
    response: JarRunResponse,
    status: 200,
    semantics: 'atMostOnce',
  }),
  jarDelete: route({ method: 'DELETE', path: '/jars/:jarid', params: JarParams, response: z.object({}), status: 200, semantics: 'idempotent' }),
  clusterShutdown: route({ method: 'DELETE', path: '/cluster', response: z.object({}), status: 200, semantics: 'idempotent' }),
};
