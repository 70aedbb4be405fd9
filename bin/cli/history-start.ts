import { CliError } from './cli-error.ts';

export interface HistoryStartOptions {
  readonly port?: string;
  readonly address?: string;
  readonly archiveDir?: string;
  readonly D: readonly string[];
}

/** The history server's `--conf` arguments: -D pairs, then the dedicated flags (Flink keys) on top. */
export function historyServerArgs(o: HistoryStartOptions): string[] {
  const props: string[] = [];
  for (const kv of o.D) {
    if (!/^[^=\s]+=/.test(kv)) throw new CliError(`option '-D' expects key=value, got '${kv}'`);
    props.push(kv);
  }
  if (o.port !== undefined) {
    const n = Number(o.port);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`option '--port' must be a port number (0 picks a free one), got '${o.port}'`);
    props.push(`historyserver.web.port=${n}`);
  }
  if (o.address !== undefined) props.push(`historyserver.web.address=${o.address}`);
  if (o.archiveDir !== undefined) props.push(`historyserver.archive.fs.dir=${o.archiveDir}`);
  return props.flatMap((kv) => ['--conf', kv]);
}

export const HISTORY_SERVER_ENTRY = 'runtime/history/history-server-main.ts';
