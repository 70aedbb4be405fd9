import { WeftError } from '../../rm/common/errors.ts';
import { UnreachableError } from '../../rm/common/http-client.ts';
import type { ContainerInfo } from '../../rm/protocol/client-rm.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { checkApplicationId } from './app-status.ts';
import { formatContainerHeader, formatLogFile } from './format.ts';

export interface LogsOptions {
  readonly container?: string;
  /** Comma list of file names; all the NM lists (or stdout,stderr) by default. */
  readonly logFiles?: string;
}

interface ContainerRef {
  readonly containerId: string;
  readonly nodeId: string;
  readonly nodeHttpAddress: string;
  readonly isAm: boolean;
}

interface LogSection {
  readonly containerId: string;
  readonly nodeId: string;
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

/** Which log files a container has, from the NM; stdout/stderr (plus AppMaster.*) when it cannot say. */
async function logFilesOf(ref: ContainerRef): Promise<string[]> {
  const fallback = ref.isAm ? ['AppMaster.stderr', 'AppMaster.stdout', 'stderr', 'stdout'] : ['stderr', 'stdout'];
  try {
    const { status, text } = await fetchText(`http://${ref.nodeHttpAddress}/ws/v1/node/containers/${encodeURIComponent(ref.containerId)}`);
    if (status !== 200) return fallback;
    const files = (JSON.parse(text) as { container?: { containerLogFiles?: unknown } }).container?.containerLogFiles;
    return Array.isArray(files) && files.length > 0 ? files.map(String).sort() : fallback;
  } catch {
    return fallback;
  }
}

/** Every container of every attempt, the AM's first, as the RM lists them. */
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
      refs.set(attempt.containerId, { containerId: attempt.containerId, nodeId: attempt.nodeId, nodeHttpAddress: attempt.nodeHttpAddress, isAm: true });
    }
    for (const c of listed) {
      refs.set(c.containerId, { containerId: c.containerId, nodeId: c.nodeId || c.assignedNodeId, nodeHttpAddress: c.nodeHttpAddress.replace(/^https?:\/\//, ''), isAm: c.containerId === attempt.containerId });
    }
  }
  return [...refs.values()].sort((a, b) => a.containerId.localeCompare(b.containerId));
}

/**
 * `weft logs <appId>` = `yarn logs -applicationId`: reads each container's files from its NM
 * (weft has no log aggregation; the NM serves them while it keeps the files).
 */
export async function logs(ctx: CliContext, appId: string, options: LogsOptions): Promise<number> {
  checkApplicationId(appId);
  let refs = await containersOf(ctx, appId);
  if (options.container !== undefined) {
    refs = refs.filter((r) => r.containerId === options.container);
    if (refs.length === 0) throw new CliError(`container ${options.container} does not belong to ${appId} (or the ResourceManager no longer knows it)`);
  }
  if (refs.length === 0) throw new CliError(`no containers found for ${appId}; it may not have started yet`);
  const wanted = options.logFiles?.split(',').map((f) => f.trim()).filter(Boolean);
  const sections: LogSection[] = [];
  let missing = 0;
  for (const ref of refs) {
    if (!ctx.json) ctx.out(formatContainerHeader(ref.containerId, ref.nodeId));
    const files = wanted ?? (await logFilesOf(ref));
    for (const file of files) {
      let text: string;
      try {
        const res = await fetchText(`http://${ref.nodeHttpAddress}/ws/v1/node/containerlogs/${encodeURIComponent(ref.containerId)}/${encodeURIComponent(file)}`);
        if (res.status !== 200) {
          missing++;
          if (!ctx.json) ctx.out(`Can not find the log file:${file} for the container:${ref.containerId} in NodeManager:${ref.nodeId} (HTTP ${res.status})\n\n`);
          continue;
        }
        text = res.text;
      } catch (err) {
        missing++;
        if (!ctx.json) ctx.out(`Can not get logs of ${ref.containerId} from NodeManager:${ref.nodeId}: ${(err as Error).message}\n\n`);
        break;
      }
      sections.push({ containerId: ref.containerId, nodeId: ref.nodeId, logType: file, content: text });
      if (!ctx.json) ctx.out(formatLogFile(file, text));
    }
  }
  if (ctx.json) printJson(ctx, sections);
  return sections.length === 0 && missing > 0 ? 1 : 0;
}
