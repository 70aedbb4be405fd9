import { ApplicationLogs, LogFileNotFound } from '../../am/application-logs.ts';
import { printJson, type CliContext } from './cli-context.ts';
import { CliError } from './cli-error.ts';
import { checkApplicationId } from './app-status.ts';
import { formatContainerHeader, formatLogFile } from './format.ts';

export interface LogsOptions {
  readonly container?: string;
  /** Comma list of file names; every file the container has by default. */
  readonly logFiles?: string;
}

interface LogSection {
  readonly containerId: string;
  readonly nodeId: string;
  readonly logAggregationType: 'LOCAL' | 'AGGREGATED';
  readonly logType: string;
  readonly content: string;
}

/**
 * `weft logs <appId>` = `yarn logs -applicationId`: every file of every container, from the
 * aggregated logs or the container's NM (am/application-logs.ts finds them); this prints them.
 */
export async function logs(ctx: CliContext, appId: string, options: LogsOptions): Promise<number> {
  checkApplicationId(appId);
  const reader = new ApplicationLogs(ctx.rm, ctx.rmUrl);
  const { app, containers, aggregated } = await reader.targets(appId);
  let targets = containers;
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
    const source = await reader.source(ref, aggregated.get(ref.containerId));
    if (!source) {
      missing++;
      say(`${formatContainerHeader(ref.containerId, ref.nodeId, 'LOCAL')}Can not find the logs of ${ref.containerId}: NodeManager ${ref.nodeId} no longer has them and they were not aggregated (app log aggregation status: ${app.logAggregationStatus})\n\n`);
      continue;
    }
    say(formatContainerHeader(ref.containerId, source.nodeId, source.type));
    for (const file of wanted ?? source.files) {
      let content: string;
      try {
        content = await source.read(file);
      } catch (err) {
        missing++;
        if (err instanceof LogFileNotFound) {
          say(`Can not find the log file:${file} for the container:${ref.containerId} in ${source.type === 'LOCAL' ? `NodeManager:${source.nodeId}` : 'the aggregated logs'} (HTTP ${err.status})\n\n`);
          continue;
        }
        say(`Can not get logs of ${ref.containerId} from ${source.type === 'LOCAL' ? `NodeManager:${source.nodeId}` : 'the log server'}: ${(err as Error).message}\n\n`);
        break;
      }
      sections.push({ containerId: ref.containerId, nodeId: source.nodeId, logAggregationType: source.type, logType: file, content });
      say(formatLogFile(file, content));
    }
  }
  if (ctx.json) printJson(ctx, sections);
  return sections.length === 0 && missing > 0 ? 1 : 0;
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
