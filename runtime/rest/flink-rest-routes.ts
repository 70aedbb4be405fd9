import { z } from 'zod';
import { route } from '../../rm/common/route.ts';
import { JobStatus } from '../protocol/records.ts';
import type { JobExceptionsInfo } from './job-exceptions-info.ts';
import type { JobExecutionResultInfo } from './job-execution-result.ts';
import type { JobDetailsInfo } from './job-details-info.ts';
import { MultipleJobsDetails } from '../protocol/webmonitor.ts';
import type { JobPlan } from './job-plan.ts';
import type { TaskManagerDetailsInfo, TaskManagerInfo } from './task-manager-info.ts';
import type { JobVertexBackPressureInfo, JobVertexDetailsInfo } from './vertex-details-info.ts';

/**
 * The Flink REST API of the JobManager (reference/flink.md §6), as route specs: field names are
 * Flink's, exactly. Response types are declared by the builders in this folder (z.custom carries
 * them to typed clients without re-validating). Also accepted under `/v1/`.
 *
 * `POST /jars/upload` (a multipart or raw body, not JSON) is `jarUploadRoute`, beside the table:
 * flink-rest-router.ts registers it by hand, and the REST cluster client calls it from its spec.
 *
 * weft extensions: `GET /jobs/:jobid/collect/:sinkName` answers `{"sink", "records", "job-status"}`
 * with what a collect sink (`DataStream.collect(name)`) received so far; `GET /jobs/:jobid` and
 * `GET /jobs/:jobid/exceptions` carry `waiting-for-resources` (job-resource-wait.ts): why tasks
 * wait for slots while they do, else null.
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

export interface DashboardConfiguration {
  'refresh-interval': number;
  'timezone-name': string;
  'timezone-offset': number;
  'flink-version': string;
  'flink-revision': string;
  features: { 'web-submit': boolean; 'web-cancel': boolean; 'web-rescale': boolean; 'web-history': boolean };
}

export interface ClusterOverview {
  taskmanagers: number;
  'slots-total': number;
  'slots-available': number;
  'taskmanagers-blocked': number;
  'slots-free-and-blocked': number;
  'jobs-running': number;
  'jobs-finished': number;
  'jobs-cancelled': number;
  'jobs-failed': number;
  'flink-version': string;
  'flink-commit': string;
}

export interface JarListInfo {
  address: string;
  files: { id: string; name: string; uploaded: number; entry: { name: string; description: string | null }[] }[];
}

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

export interface CollectResultsInfo {
  sink: string;
  records: unknown[];
  'job-status': JobStatus;
}

export const flinkRestRoutes = {
  config: route({ method: 'GET', path: '/config', response: z.custom<DashboardConfiguration>(), status: 200, semantics: 'safe' }),
  overview: route({ method: 'GET', path: '/overview', response: z.custom<ClusterOverview>(), status: 200, semantics: 'safe' }),
  jobs: route({ method: 'GET', path: '/jobs', response: z.object({ jobs: z.array(z.object({ id: z.string(), status: JobStatus })) }), status: 200, semantics: 'safe' }),
  jobsOverview: route({ method: 'GET', path: '/jobs/overview', response: MultipleJobsDetails, status: 200, semantics: 'safe' }),
  jobDetails: route({ method: 'GET', path: '/jobs/:jobid', params: JobParams, response: z.custom<JobDetailsInfo>(), status: 200, semantics: 'safe' }),
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
  jobPlan: route({ method: 'GET', path: '/jobs/:jobid/plan', params: JobParams, response: z.custom<{ plan: JobPlan }>(), status: 200, semantics: 'safe' }),
  jobExceptions: route({
    method: 'GET',
    path: '/jobs/:jobid/exceptions',
    params: JobParams,
    query: z.object({ maxExceptions: intLike.optional() }),
    response: z.custom<JobExceptionsInfo>(),
    status: 200,
    semantics: 'safe',
  }),
  jobExecutionResult: route({ method: 'GET', path: '/jobs/:jobid/execution-result', params: JobParams, response: z.custom<JobExecutionResultInfo>(), status: 200, semantics: 'safe' }),
  jobVertexDetails: route({ method: 'GET', path: '/jobs/:jobid/vertices/:vertexid', params: VertexParams, response: z.custom<JobVertexDetailsInfo>(), status: 200, semantics: 'safe' }),
  jobVertexBackPressure: route({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/backpressure',
    params: VertexParams,
    response: z.custom<JobVertexBackPressureInfo>(),
    status: 200,
    semantics: 'safe',
  }),
  collectResults: route({
    method: 'GET',
    path: '/jobs/:jobid/collect/:sinkName',
    params: z.object({ jobid: z.string(), sinkName: z.string() }),
    response: z.custom<CollectResultsInfo>(),
    status: 200,
    semantics: 'safe',
  }),
  taskManagers: route({ method: 'GET', path: '/taskmanagers', response: z.custom<{ taskmanagers: TaskManagerInfo[] }>(), status: 200, semantics: 'safe' }),
  taskManagerDetails: route({
    method: 'GET',
    path: '/taskmanagers/:taskmanagerid',
    params: z.object({ taskmanagerid: z.string() }),
    response: z.custom<TaskManagerDetailsInfo>(),
    status: 200,
    semantics: 'safe',
  }),
  jobManagerConfig: route({ method: 'GET', path: '/jobmanager/config', response: z.array(z.object({ key: z.string(), value: z.string() })), status: 200, semantics: 'safe' }),
  /** The configuration the job's JobManager ran with (JobManagerJobConfigurationHandler; archived with the job). */
  jobManagerJobConfig: route({
    method: 'GET',
    path: '/jobs/:jobid/jobmanager/config',
    params: JobParams,
    response: z.array(z.object({ key: z.string(), value: z.string() })),
    status: 200,
    semantics: 'safe',
  }),
  jars: route({ method: 'GET', path: '/jars', response: z.custom<JarListInfo>(), status: 200, semantics: 'safe' }),
  jarRun: route({
    method: 'POST',
    path: '/jars/:jarid/run',
    params: JarParams,
    query: JarRunRequest.partial(),
    body: JarRunRequest,
    response: z.object({ jobid: z.string() }),
    status: 200,
    semantics: 'atMostOnce',
  }),
  jarDelete: route({ method: 'DELETE', path: '/jars/:jarid', params: JarParams, response: z.object({}), status: 200, semantics: 'idempotent' }),
  clusterShutdown: route({ method: 'DELETE', path: '/cluster', response: z.object({}), status: 200, semantics: 'idempotent' }),
};
