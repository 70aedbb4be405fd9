import { fileURLToPath } from 'node:url';
import type { Logger } from '../../rm/common/logger.ts';
import { writeJobArchive, type ArchivedJson } from './job-archive.ts';

/**
 * Where archives go: a local path or a `file://` URI (Flink's archive dirs are file system URIs;
 * weft has only the local one). Anything else is refused with the key's name.
 */
export function archiveDirectory(key: string, value: string): string {
  if (/^file:/i.test(value)) return fileURLToPath(value.replace(/^file:\/*/i, 'file:///'));
  if (/^[a-z][\w+.-]*:\/\//i.test(value)) throw new Error(`${key}: only local directories (a path or file:///path) are supported, got '${value}'`);
  return value;
}

export interface HistoryServerArchivist {
  /** Writes the job's archive; resolves with its path, or undefined when archiving is off. */
  archiveJob(jobId: string): Promise<string | undefined>;
}

/**
 * Flink's HistoryServerArchivist: with `jobmanager.archive.fs.dir` set, each globally terminated
 * job's REST answers are written there as one archive file (JsonResponseHistoryServerArchivist);
 * without it nothing is archived (VoidHistoryServerArchivist).
 */
export function historyServerArchivist(deps: {
  readonly archiveDir: string | undefined;
  readonly responses: (jobId: string) => Promise<ArchivedJson[]>;
  readonly logger: Logger;
}): HistoryServerArchivist {
  const { archiveDir, logger } = deps;
  if (archiveDir === undefined) return { archiveJob: async () => undefined };
  const dir = archiveDirectory('jobmanager.archive.fs.dir', archiveDir);
  return {
    async archiveJob(jobId) {
      const entries = await deps.responses(jobId);
      const path = writeJobArchive(dir, jobId, entries);
      logger.info({ jobId, path, entries: entries.length }, 'Job archived for the history server');
      return path;
    },
  };
}
