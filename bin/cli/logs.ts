import { WeftError } from '../../rm/common/errors.ts';
import { UnreachableError } from '../../rm/common/http-client.ts';
import type { ContainerInfo } from '../../rm/protocol/client-rm.ts';
import { ContainerLogsInfo, containerLogsEntries, type ContainerLogsEntry } from '../../rm/protocol/container-logs-info.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { checkApplicationId } from './app-status.ts';
import { formatContainerHeader, formatLogFile } from './format.ts';

export interface LogsOptions {
  readonly container?: string;
  /** Comma list of file names; every file the container has by default. */
  readonly logFiles?: string;
}

interface ContainerRef {
  readonly containerId: string;
  readonly nodeId: string;
  /** `host:port` of the NM, '' when the RM no longer knows it (read from the aggregated logs). */
  readonly nodeHttpAddress: string;
}

/** Where one container's files are read, and which files there are. */
interface LogSource {
  readonly type: 'LOCAL' | 'AGGREGATED';
  readonly nodeId: string;
  readonly files: readonly string[];
  readonly url: (file: string) => string;
}

interface LogSection {
  readonly containerId: string;
  readonly nodeId: string;
  readonly logAggregationType: 'LOCAL' | 'AGGREGATED';
  readonly logType: string;
  readonly content: string;
}

async function fetchText(url: string): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    throw new UnreachableError(`GET ${url}`, cause?.code ?? (err as Error).name);
  }
}

/** A ContainerLogsInfo answer's entries, or undefined when there is none (404, unreachable, not JSON). */
async function logsInfo(url: string): Promise<ContainerLogsEntry[] | undefined> {
  try {
    const { status, text } = await fetchText(url);
    if (status !== 200) return undefined;
    const parsed = ContainerLogsInfo.safeParse(JSON.parse(text));
    return parsed.success ? containerLogsEntries(parsed.data) : undefined;
  } catch {
    return undefined;
  }
}

/** Every container of every attempt the RM still knows, as it lists them. */
async function containersOf(ctx: CliContext, appId: string): Promise<ContainerRef[]> {
  const { appAttempts } = await ctx.rm.appAttempts({ params: { appid: appId }, body: undefined });
  const refs = new Map<string, ContainerRef>();
  for (const attempt of appAttempts.appAttempt) {
    let listed: ContainerInfo[] = [];
    try {
      listed = (await ctx.rm.attemptContainers({ params: { appid: appId, appattemptid: attempt.appAttemptId }, body: undefined })).container;
    } catch (err) {
      if (!(err instanceof WeftError && err.kind === 'NotFound')) throw err;
    }
    if (attempt.containerId && !listed.some((c) => c.containerId === attempt.containerId)) {
      refs.set(attempt.containerId, { containerId: attempt.containerId, nodeId: attempt.nodeId, nodeHttpAddress: attempt.nodeHttpAddress });
    }
    for (const c of listed) {
      refs.set(c.containerId, { containerId: c.containerId, nodeId: c.nodeId || c.assignedNodeId, nodeHttpAddress: c.nodeHttpAddress.replace(/^https?:\/\//, '') });
    }
  }
  return [...refs.values()];
}

const enc = encodeURIComponent;

/**
 * `weft logs <appId>` = `yarn logs -applicationId`: every file of every container. Once the NMs
 * aggregated an application's logs (yarn.log-aggregation-enable) they are read from the RM's log
 * server, so a finished application's logs outlive its NMs' local copies; containers not
 * aggregated (yet) are read from their NM, which lists each container's files
 * (`/ws/v1/node/containers/{id}/logs`).
 */
export async function logs(ctx: CliContext, appId: string, options: LogsOptions): Promise<number> {
  checkApplicationId(appId);
  const { app } = await ctx.rm.app({ params: { appid: appId }, body: undefined });
  const known = await containersOf(ctx, appId);
  const aggregated = new Map<string, ContainerLogsEntry>();
  if (app.logAggregationStatus !== 'DISABLED' && app.logAggregationStatus !== 'NOT_START') {
    for (const e of (await logsInfo(`${ctx.rmUrl}/ws/v1/applicationhistory/apps/${enc(appId)}/logs`)) ?? []) aggregated.set(e.containerId, e);
  }
  const refs = new Map(known.map((r) => [r.containerId, r]));
  for (const e of aggregated.values()) if (!refs.has(e.containerId)) refs.set(e.containerId, { containerId: e.containerId, nodeId: e.nodeId, nodeHttpAddress: '' });
  let targets = [...refs.values()].sort((a, b) => a.containerId.localeCompare(b.containerId));
  if (options.container !== undefined) {
    targets = targets.filter((r) => r.containerId === options.container);
    if (targets.length === 0) throw new CliError(`container ${options.container} does not belong to ${appId} (or the ResourceManager no longer knows it and its logs were not aggregated)`);
  }
  if (targets.length === 0) throw new CliError(`no containers found for ${appId}; it may not have started yet`);
  const wanted = options.logFiles?.split(',').map((f) => f.trim()).filter(Boolean);

  const sections: LogSection[] = [];
  let missing = 0;
  const say = (text: string): void => {
    if (!ctx.json) ctx.out(text);
  };
  for (const ref of targets) {
    const source = await sourceOf(ctx, ref, aggregated.get(ref.containerId));
    if (!source) {
      missing++;
      say(`${formatContainerHeader(ref.containerId, ref.nodeId, 'LOCAL')}Can not find the logs of ${ref.containerId}: NodeManager ${ref.nodeId} no longer has them and they were not aggregated (app log aggregation status: ${app.logAggregationStatus})\n\n`);
      continue;
    }
    say(formatContainerHeader(ref.containerId, source.nodeId, source.type));
    for (const file of wanted ?? source.files) {
      let res: { status: number; text: string };
      try {
        res = await fetchText(source.url(file));
      } catch (err) {
        missing++;
        say(`Can not get logs of ${ref.containerId} from ${source.type === 'LOCAL' ? `NodeManager:${source.nodeId}` : 'the log server'}: ${(err as Error).message}\n\n`);
        break;
      }
      if (res.status !== 200) {
        missing++;
        say(`Can not find the log file:${file} for the container:${ref.containerId} in ${source.type === 'LOCAL' ? `NodeManager:${source.nodeId}` : 'the aggregated logs'} (HTTP ${res.status})\n\n`);
        continue;
      }
      sections.push({ containerId: ref.containerId, nodeId: source.nodeId, logAggregationType: source.type, logType: file, content: res.text });
      say(formatLogFile(file, res.text));
    }
  }
  if (ctx.json) printJson(ctx, sections);
  return sections.length === 0 && missing > 0 ? 1 : 0;
}

/** The aggregated copy when there is one, else the NM's (which may itself serve an aggregated copy). */
async function sourceOf(ctx: CliContext, ref: ContainerRef, aggregated: ContainerLogsEntry | undefined): Promise<LogSource | undefined> {
  if (aggregated) {
    return {
      type: 'AGGREGATED',
      nodeId: aggregated.nodeId,
      files: aggregated.containerLogInfo.map((f) => f.fileName),
      url: (file) => `${ctx.rmUrl}/ws/v1/applicationhistory/containerlogs/${enc(ref.containerId)}/${enc(file)}`,
    };
  }
  if (!ref.nodeHttpAddress) return undefined;
  const nm = `http://${ref.nodeHttpAddress}`;
  const entries = await logsInfo(`${nm}/ws/v1/node/containers/${enc(ref.containerId)}/logs`);
  if (!entries || entries.length === 0) return undefined;
  // LOCAL first: while the NM still has its files they are the freshest.
  const entry = entries.find((e) => e.logAggregationType === 'LOCAL') ?? entries[0]!;
  return {
    type: entry.logAggregationType,
    nodeId: ref.nodeId,
    files: entry.containerLogInfo.map((f) => f.fileName),
    url: (file) => `${nm}/ws/v1/node/containerlogs/${enc(ref.containerId)}/${enc(file)}`,
  };
}

/** `yarn logs` spellings (single-dash long options) → weft's, after the `logs` command word. */
const YARN_LOGS_FLAGS: Readonly<Record<string, string | null>> = {
  '-applicationId': null,
  '--applicationId': null,
  '-containerId': '--container',
  '--containerId': '--container',
  '-log_files': '--log-files',
  '--log_files': '--log-files',
};

/**
 * Lets `weft logs -applicationId <id> -containerId <c> -log_files a,b` work as `yarn logs` does:
 * `-applicationId` only names the positional argument; the others map to weft's flags.
 */
export function yarnLogsArgv(argv: readonly string[]): string[] {
  const at = argv.indexOf('logs');
  if (at < 0) return [...argv];
  const rest = argv.slice(at + 1).flatMap((a) => {
    if (!(a in YARN_LOGS_FLAGS)) return [a];
    const mapped = YARN_LOGS_FLAGS[a];
    return mapped === null || mapped === undefined ? [] : [mapped];
  });
  return [...argv.slice(0, at + 1), ...rest];
}
