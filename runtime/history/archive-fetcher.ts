import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../rm/common/logger.ts';
import { isHexId } from '../jobgraph/job-id.ts';
import type { JobDetails } from '../protocol/webmonitor.ts';
import { readJobArchive } from './job-archive.ts';

export interface ArchiveFetcherOptions {
  /** `historyserver.archive.fs.dir`: the directories the JobManagers archive to. */
  readonly dirs: readonly string[];
  /** `historyserver.archive.retained-jobs`: newest archives kept per directory; -1 keeps all. */
  readonly retainedJobs: number;
  /** `historyserver.archive.clean-expired-jobs`: forget jobs whose archive was removed from the directory. */
  readonly cleanExpiredJobs: boolean;
  readonly logger: Logger;
}

export interface ArchivedJob {
  readonly jobId: string;
  /** The archive file. */
  readonly file: string;
  readonly modified: number;
  /** REST path → JSON text, as the JobManager answered it. */
  readonly responses: ReadonlyMap<string, string>;
  readonly overview: JobDetails | undefined;
}

interface ArchiveFile {
  readonly jobId: string;
  readonly dir: string;
  readonly file: string;
  readonly modified: number;
}

/**
 * Flink's HistoryServerArchiveFetcher: each refresh lists the archive directories, loads every
 * archive not seen yet (one file per job, named by its id), deletes the oldest beyond
 * `retained-jobs` from the directory, and with `clean-expired-jobs` forgets jobs whose archive is
 * gone. An archive that cannot be read is skipped and tried again when its file changes.
 */
export class ArchiveFetcher {
  private readonly options: ArchiveFetcherOptions;
  private readonly jobs = new Map<string, ArchivedJob>();
  /** Unreadable archives by file, with the mtime that failed, so each failure is logged once. */
  private readonly failed = new Map<string, number>();

  constructor(options: ArchiveFetcherOptions) {
    this.options = options;
  }

  /** One pass over the directories; returns the ids of jobs added. */
  refresh(): string[] {
    const { logger } = this.options;
    const present = new Set<string>();
    const added: string[] = [];
    for (const dir of this.options.dirs) {
      for (const archive of this.retained(listArchives(dir, logger))) {
        present.add(archive.jobId);
        if (this.jobs.has(archive.jobId) || this.failed.get(archive.file) === archive.modified) continue;
        try {
          const responses = new Map(readJobArchive(archive.file).map((e) => [e.path, e.json]));
          this.jobs.set(archive.jobId, { jobId: archive.jobId, file: archive.file, modified: archive.modified, responses, overview: overviewOf(archive.jobId, responses) });
          this.failed.delete(archive.file);
          added.push(archive.jobId);
        } catch (err) {
          this.failed.set(archive.file, archive.modified);
          logger.warn({ jobId: archive.jobId, err: (err as Error).message }, 'Could not read a job archive; it is skipped until its file changes');
        }
      }
    }
    if (this.options.cleanExpiredJobs) {
      for (const jobId of [...this.jobs.keys()]) if (!present.has(jobId)) this.jobs.delete(jobId);
    }
    if (added.length > 0) logger.info({ jobs: added.length, total: this.jobs.size }, 'Loaded job archives');
    return added;
  }

  /** The newest `retainedJobs` archives of one directory; the older ones are deleted from it. */
  private retained(archives: ArchiveFile[]): ArchiveFile[] {
    const limit = this.options.retainedJobs;
    if (limit < 0 || archives.length <= limit) return archives;
    const sorted = [...archives].sort((a, b) => b.modified - a.modified || a.jobId.localeCompare(b.jobId));
    for (const old of sorted.slice(limit)) {
      try {
        rmSync(old.file, { force: true });
        this.jobs.delete(old.jobId);
        this.options.logger.info({ jobId: old.jobId, file: old.file }, 'Deleted an archive beyond historyserver.archive.retained-jobs');
      } catch (err) {
        this.options.logger.warn({ jobId: old.jobId, err: (err as Error).message }, 'Could not delete an old archive');
      }
    }
    return sorted.slice(0, limit);
  }

  job(jobId: string): ArchivedJob | undefined {
    return this.jobs.get(jobId);
  }

  /** Every archived job's `/jobs/overview` entry, newest first. */
  overviews(): JobDetails[] {
    return [...this.jobs.values()]
      .flatMap((j) => (j.overview ? [j.overview] : []))
      .sort((a, b) => b['end-time'] - a['end-time'] || a.jid.localeCompare(b.jid));
  }

  /** The archived answer for a REST path (`/jobs/<id>/...`), or undefined. */
  response(path: string): string | undefined {
    const jobId = /^\/jobs\/([0-9a-f]{32})(?:\/|$)/.exec(path)?.[1];
    return jobId === undefined ? undefined : this.jobs.get(jobId)?.responses.get(path);
  }
}

function listArchives(dir: string, logger: Logger): ArchiveFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ dir, err: (err as Error).message }, 'Could not list an archive directory');
    return [];
  }
  const files: ArchiveFile[] = [];
  for (const name of names) {
    if (!isHexId(name)) continue;
    const file = join(dir, name);
    try {
      const st = statSync(file);
      if (st.isFile()) files.push({ jobId: name, dir, file, modified: st.mtimeMs });
    } catch {
      // Removed while listing.
    }
  }
  return files;
}

function overviewOf(jobId: string, responses: ReadonlyMap<string, string>): JobDetails | undefined {
  const text = responses.get('/jobs/overview');
  if (text === undefined) return undefined;
  try {
    const jobs = (JSON.parse(text) as { jobs?: JobDetails[] }).jobs ?? [];
    return jobs.find((j) => j.jid === jobId) ?? jobs[0];
  } catch {
    return undefined;
  }
}
