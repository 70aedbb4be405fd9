import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isHexId } from '../jobgraph/job-id.ts';

/**
 * A finished job's archive, in Flink's format (FsJobArchivist): one file per job, named by the
 * job id, under `jobmanager.archive.fs.dir`, holding `{"archive":[{"path":..., "json":...}]}` —
 * each REST path the JobManager answered for the job and its answer as a JSON string. The
 * history server serves these paths as they were.
 */
export const ArchivedJson = z.object({ path: z.string().startsWith('/'), json: z.string() });
export type ArchivedJson = z.infer<typeof ArchivedJson>;

const JobArchive = z.object({ archive: z.array(ArchivedJson) });

/**
 * Writes `<dir>/<jobId>`; the file appears whole (written to a dotfile and renamed), so a history
 * server polling the dir never reads half an archive. Returns the archive's path.
 */
export function writeJobArchive(dir: string, jobId: string, entries: readonly ArchivedJson[]): string {
  if (!isHexId(jobId)) throw new Error(`not a job id: ${JSON.stringify(jobId)}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, jobId);
  const tmp = join(dir, `.${jobId}.inprogress`);
  try {
    writeFileSync(tmp, JSON.stringify({ archive: entries }));
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return path;
}

/** Reads one archive; throws with the file's path when it is not Flink's archive format. */
export function readJobArchive(path: string): ArchivedJson[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: not a JSON job archive (${(err as Error).message})`);
  }
  const archive = JobArchive.safeParse(parsed);
  if (!archive.success) throw new Error(`${path}: not a job archive ({"archive":[{"path","json"}]} expected)`);
  return archive.data.archive;
}
