import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UnreachableError } from '../../rm/common/http-client.ts';
import type { CompiledJobFile } from '../../runtime/api/job-file-compiler.ts';
import { isGloballyTerminal } from '../../runtime/protocol/records.ts';
import { CliError } from './cli-error.ts';

/** One row of `GET /jobs/overview` (flink.md §6). */
export interface JobOverview {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly 'start-time': number;
  readonly 'end-time': number;
  readonly duration: number;
}

export interface JobDetails {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly 'start-time': number;
  readonly 'end-time': number;
  readonly duration: number;
  readonly vertices?: readonly { readonly id: string; readonly name: string; readonly parallelism: number; readonly status: string }[];
  /** weft: why tasks wait for slots, while they do (runtime/rest/job-resource-wait.ts). */
  readonly 'waiting-for-resources'?: { readonly reason: string } | null;
}


/**
 * The Flink REST API of a cluster, reached through the RM's web proxy
 * (`<rm>/proxy/<appId>/...`), as `flink run|list|cancel` use it.
 */
export class FlinkRestClient {
  readonly baseUrl: string;
  private readonly user: string;

  constructor(rmUrl: string, applicationId: string, user: string) {
    this.baseUrl = `${rmUrl.replace(/\/+$/, '')}/proxy/${applicationId}`;
    this.user = user;
  }

  /**
   * `POST /jars/upload` (multipart, field `jarfile`) of a compiled job file, or of a source file
   * by path (the JobManager compiles it at run); returns the jar id.
   */
  async uploadJobFile(file: string | CompiledJobFile): Promise<string> {
    const form = new FormData();
    if (typeof file === 'string') form.append('jarfile', new Blob([readFileSync(file)]), basename(file));
    else form.append('jarfile', new Blob([file.code]), file.fileName);
    const body = (await this.call('POST', '/jars/upload', form)) as { filename?: string; status?: string };
    if (!body.filename) throw new CliError(`the JobManager did not accept the upload: ${JSON.stringify(body)}`);
    return basename(body.filename);
  }

  /** `POST /jars/:jarid/run`; `flinkConfiguration` is the job's own configuration (`-D`). Returns the job id. */
  async runJobFile(jarId: string, programArgs: readonly string[], parallelism: number | undefined, flinkConfiguration: Readonly<Record<string, string>> = {}): Promise<string> {
    const body = (await this.call('POST', `/jars/${encodeURIComponent(jarId)}/run`, {
      programArgsList: [...programArgs],
      ...(parallelism !== undefined ? { parallelism } : {}),
      ...(Object.keys(flinkConfiguration).length > 0 ? { flinkConfiguration } : {}),
    })) as { jobid?: string };
    if (!body.jobid) throw new CliError(`the JobManager did not run the job: ${JSON.stringify(body)}`);
    return body.jobid;
  }

  async jobsOverview(): Promise<JobOverview[]> {
    return ((await this.call('GET', '/jobs/overview')) as { jobs: JobOverview[] }).jobs;
  }

  async job(jobId: string): Promise<JobDetails> {
    return (await this.call('GET', `/jobs/${encodeURIComponent(jobId)}`)) as JobDetails;
  }

  async cancel(jobId: string): Promise<void> {
    await this.call('PATCH', `/jobs/${encodeURIComponent(jobId)}?mode=cancel`);
  }

  /** `DELETE /cluster`: the JobManager shuts the cluster down. */
  async shutDownCluster(): Promise<void> {
    await this.call('DELETE', '/cluster');
  }

  async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = new URL(this.baseUrl + path);
    url.searchParams.set('user.name', this.user);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {},
        body: body === undefined ? null : body instanceof FormData ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      throw new UnreachableError(`${method} ${url.origin}${url.pathname}`, code ?? (err as Error).name);
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = text;
    }
    if (!res.ok) throw new CliError(`${method} ${path} failed (HTTP ${res.status}): ${errorText(parsed)}`);
    return parsed;
  }
}

function errorText(body: unknown): string {
  const flink = (body as { errors?: unknown[] } | undefined)?.errors;
  if (Array.isArray(flink)) return flink.map(String).join('; ');
  const yarn = (body as { RemoteException?: { message?: string } } | undefined)?.RemoteException?.message;
  if (yarn) return yarn;
  return typeof body === 'string' ? body.slice(0, 300) : JSON.stringify(body);
}

/** `flink list` output: running/restarting, scheduled and terminated jobs. */
export function formatJobList(jobs: readonly JobOverview[]): string {
  const line = (j: JobOverview): string => `${formatTime(j['start-time'])} : ${j.jid} : ${j.name} (${j.state})`;
  const running = jobs.filter((j) => j.state === 'RUNNING' || j.state === 'RESTARTING' || j.state === 'CANCELLING' || j.state === 'FAILING');
  const scheduled = jobs.filter((j) => j.state === 'CREATED' || j.state === 'INITIALIZING');
  const terminated = jobs.filter((j) => isGloballyTerminal(j.state) || j.state === 'SUSPENDED');
  const out: string[] = [];
  const section = (title: string, list: readonly JobOverview[], none: string): void => {
    if (list.length === 0) {
      out.push(none);
      return;
    }
    const header = `------------------ ${title} -------------------`;
    out.push(header, ...[...list].sort((a, b) => a['start-time'] - b['start-time']).map(line), '-'.repeat(header.length));
  };
  section('Running/Restarting Jobs', running, 'No running jobs.');
  section('Scheduled Jobs', scheduled, 'No scheduled jobs.');
  section('Terminated Jobs', terminated, 'No terminated jobs.');
  return `${out.join('\n')}\n`;
}

/** dd.MM.yyyy HH:mm:ss, as `flink list` prints start times. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
