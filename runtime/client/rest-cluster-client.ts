import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createHttpClient, type ErrorAnswer } from '../../rm/common/http-client.ts';
import type { Client } from '../../rm/common/route.ts';
import type { CompiledJobFile } from '../api/job-file-compiler.ts';
import type { FlinkErrorBody } from '../rest/flink-error-handler.ts';
import { flinkRestRoutes, jarUploadRoute } from '../rest/flink-rest-routes.ts';
import type { JobDetailsInfo } from '../rest/job-details-info.ts';
import type { JobDetails as JobOverview } from '../protocol/webmonitor.ts';
import type { JobExceptionsInfo } from '../rest/job-exceptions-info.ts';
import type { JobResourceWaitInfo } from '../rest/job-resource-wait.ts';

/** The client's table: the JobManager's routes and the job file upload beside them. */
const restClusterRoutes = { ...flinkRestRoutes, jarUpload: jarUploadRoute };

/** Flink's RestClientException: a REST call the JobManager answered with an error, in Flink's `{"errors": [...]}`. */
export class RestClientException extends Error {
  readonly httpResponseStatus: number;

  constructor(answer: ErrorAnswer) {
    super(`${answer.method} ${answer.path} failed (HTTP ${answer.status}): ${errorText(answer.body)}`);
    this.name = 'RestClientException';
    this.httpResponseStatus = answer.status;
  }
}

function errorText(body: unknown): string {
  const flink = (body as Partial<FlinkErrorBody> | undefined)?.errors;
  if (Array.isArray(flink)) return flink.map(String).join('; ');
  // Not the JobManager answering (the RM's proxy: no such app, or the AM is not up): YARN's body.
  const yarn = (body as { RemoteException?: { message?: string } } | undefined)?.RemoteException?.message;
  if (yarn) return yarn;
  return typeof body === 'string' ? body.slice(0, 300) : JSON.stringify(body);
}

/** What a caller reads of a `GET /jobs/overview` row; `state` as any JobManager spells it. */
export type JobListEntry = Pick<JobOverview, 'jid' | 'name' | 'start-time' | 'end-time' | 'duration'> & { readonly state: string };

/** What a caller reads of `GET /jobs/:jobid`: the job's state, its vertices, and why it waits for slots. */
export type JobDetails = JobListEntry & {
  readonly vertices?: readonly Pick<JobDetailsInfo['vertices'][number], 'id' | 'name' | 'parallelism' | 'status'>[];
  /** weft: why tasks wait for slots, while they do (runtime/rest/job-resource-wait.ts). */
  readonly 'waiting-for-resources'?: Pick<JobResourceWaitInfo, 'reason'> | null;
};

export interface RestClusterClientOptions {
  /** Query parameters on every call (`user.name` for the simple auth of the RM's web proxy). */
  readonly query?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/**
 * Flink's RestClusterClient: the JobManager's REST API at `baseUrl` (on YARN, the RM's web proxy
 * `<rm>/proxy/<appId>`, which the cluster descriptor builds), typed by the Flink REST route table.
 */
export class RestClusterClient {
  readonly baseUrl: string;
  private readonly rest: Client<typeof restClusterRoutes>;

  constructor(baseUrl: string, options: RestClusterClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    const query = options.query ?? {};
    this.rest = createHttpClient(this.baseUrl, restClusterRoutes, {
      query: () => ({ ...query }),
      // A failed call is reported, not repeated: the caller polls again or gives up.
      retries: 0,
      timeoutMs: options.timeoutMs ?? 60_000,
      errorOf: (answer) => new RestClientException(answer),
    });
  }

  /**
   * `POST /jars/upload` (multipart, field `jarfile`) of a compiled job file, or of a source file
   * by path (the JobManager compiles it at run); returns the jar id.
   */
  async uploadJobFile(file: string | CompiledJobFile): Promise<string> {
    const form = new FormData();
    if (typeof file === 'string') form.append('jarfile', new Blob([readFileSync(file)]), basename(file));
    else form.append('jarfile', new Blob([file.code]), file.fileName);
    const { filename } = await this.rest.jarUpload({ body: form });
    return basename(filename);
  }

  /** `POST /jars/:jarid/run`; `flinkConfiguration` is the job's own configuration (`-D`). Returns the job id. */
  async runJobFile(jarId: string, programArgs: readonly string[], parallelism: number | undefined, flinkConfiguration: Readonly<Record<string, string>> = {}): Promise<string> {
    const { jobid } = await this.rest.jarRun({
      params: { jarid: jarId },
      body: {
        programArgsList: [...programArgs],
        ...(parallelism !== undefined ? { parallelism } : {}),
        ...(Object.keys(flinkConfiguration).length > 0 ? { flinkConfiguration: { ...flinkConfiguration } } : {}),
      },
    });
    return jobid;
  }

  async jobsOverview(): Promise<JobOverview[]> {
    return (await this.rest.jobsOverview({})).jobs;
  }

  async job(jobId: string): Promise<JobDetailsInfo> {
    return this.rest.jobDetails({ params: { jobid: jobId } });
  }

  async jobExceptions(jobId: string): Promise<JobExceptionsInfo> {
    return this.rest.jobExceptions({ params: { jobid: jobId } });
  }

  async cancel(jobId: string): Promise<void> {
    await this.rest.jobCancel({ params: { jobid: jobId }, query: { mode: 'cancel' } });
  }

  /** `DELETE /cluster`: the JobManager shuts the cluster down. */
  async shutDownCluster(): Promise<void> {
    await this.rest.clusterShutdown({});
  }
}
