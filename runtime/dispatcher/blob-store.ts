import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RequestHandler } from 'express';
import { prepareJobFileDirectory } from '../api/job-file-directory.ts';

/** A stored job file. */
export interface BlobEntry {
  readonly blobKey: string;
  /** The name it was uploaded with (`word-count.ts`). */
  readonly fileName: string;
  readonly path: string;
  readonly size: number;
}

const KEY_PATTERN = /^[0-9a-f]{64}_[A-Za-z0-9._-]+$/;

/** File names keep their extension (it decides how a job file is loaded) but nothing path-like. */
export function sanitizeFileName(name: string): string {
  const cleaned = basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]/g, '_');
  return cleaned === '' || /^\.+$/.test(cleaned) ? 'job-file' : cleaned;
}

/**
 * The JobManager's blob service (Flink's BlobServer, reduced): job files kept in one directory
 * under content-addressed keys `<sha256>_<name>`, served to TaskManagers as raw bytes at
 * `GET /rpc/blob/:blobKey` (runtime/protocol/blob.ts). The directory is prepared so that job
 * files stored there load in this process (prepareJobFileDirectory).
 */
export class BlobStore {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
    prepareJobFileDirectory(directory);
  }

  put(fileName: string, bytes: Buffer): BlobEntry {
    const name = sanitizeFileName(fileName);
    const blobKey = `${createHash('sha256').update(bytes).digest('hex')}_${name}`;
    const path = join(this.directory, blobKey);
    if (!existsSync(path)) writeFileSync(path, bytes);
    return { blobKey, fileName: name, path, size: bytes.length };
  }

  get(blobKey: string): BlobEntry | undefined {
    if (!KEY_PATTERN.test(blobKey)) return undefined;
    const path = join(this.directory, blobKey);
    if (!existsSync(path)) return undefined;
    return { blobKey, fileName: blobKey.slice(65), path, size: statSync(path).size };
  }

  delete(blobKey: string): boolean {
    const entry = this.get(blobKey);
    if (!entry) return false;
    rmSync(entry.path, { force: true });
    return true;
  }

  list(): BlobEntry[] {
    return readdirSync(this.directory)
      .filter((f) => KEY_PATTERN.test(f))
      .map((f) => this.get(f))
      .filter((e): e is BlobEntry => e !== undefined);
  }

  /**
   * Express handler for `GET /rpc/blob/:blobKey`: the file's bytes, or 404. The path is given
   * relative to `root`: `send` refuses an absolute path with a dot-directory anywhere in it, and
   * the default state dir is `.weft/`.
   */
  handler(): RequestHandler {
    return (req, res) => {
      const key = req.params.blobKey;
      const entry = typeof key === 'string' ? this.get(key) : undefined;
      if (!entry) {
        res.status(404).json({ errors: [`No blob ${String(key)}`] });
        return;
      }
      res.type('application/octet-stream').sendFile(entry.blobKey, { root: this.directory });
    };
  }
}
