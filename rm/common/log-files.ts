import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { WeftError } from './errors.ts';

/**
 * Reading log files by name from a directory without ever reading outside it: a name is one path
 * component, and what is opened must really be `<dir>/<name>` (symlinks resolved, O_NOFOLLOW at
 * open), so a file swapped for a link is "not found" rather than someone else's file.
 */
export function isPlainFileName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && name !== '.' && name !== '..' && !name.startsWith('..') && !/[/\\\0]/.test(name);
}

export interface LogFileInfo {
  readonly fileName: string;
  readonly fileSize: number;
  readonly lastModifiedTime: number;
}

/** The real path of `dir`, or undefined when it does not exist or is itself reached by a link. */
export function realDirectory(dir: string): string | undefined {
  try {
    const real = realpathSync(dir);
    return statSync(real).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Regular files directly in `dir` (no links), sorted by name; empty when `dir` is not there. */
export function listPlainFiles(dir: string): LogFileInfo[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const files: LogFileInfo[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (realpathSync(path) !== path) continue;
      const st = statSync(path);
      if (st.isFile()) files.push({ fileName: name, fileSize: st.size, lastModifiedTime: st.mtimeMs });
    } catch {
      // Vanished or unreadable while listing: not a log we can serve.
    }
  }
  return files;
}

/**
 * Reads `<dir>/<name>` as YARN's log web services do with `size`: > 0 the first `size` bytes,
 * < 0 the last `-size` bytes, undefined the whole file. Undefined when there is no such plain
 * file; `dir` must already be a real path (see {@link realDirectory}).
 */
export function readFileRange(dir: string, name: string, size?: number): Buffer | undefined {
  if (!isPlainFileName(name)) return undefined;
  const path = join(dir, name);
  try {
    if (realpathSync(path) !== path) return undefined;
  } catch {
    return undefined;
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    let start = 0;
    let length = st.size;
    if (size !== undefined && size > 0) length = Math.min(size, st.size);
    if (size !== undefined && size < 0) {
      length = Math.min(-size, st.size);
      start = st.size - length;
    }
    const buf = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buf, read, length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    return buf.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** `?size=` of YARN's log web services as it arrives; an empty or repeated one reads the whole file. */
export const LogSizeQuery = z.object({ size: z.string().optional().catch(undefined) });

/** The `size` of {@link readFileRange} from `?size=`: an integer, else a 400 naming it. */
export function logReadSize(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const size = Number(raw);
  if (!Number.isInteger(size)) throw new WeftError('BadRequest', `Invalid size: ${raw}`);
  return size;
}
