import { createReadStream, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Request, Response, Router } from 'express';
import { isPlainFileName, listPlainFiles, realDirectory } from '../../rm/common/log-files.ts';

/** One entry of Flink's LogListInfo (`/jobmanager/logs`, `/taskmanagers/:id/logs`). */
export interface LogInfo {
  readonly name: string;
  readonly size: number;
  readonly mtime: number;
}

/** Flink's FileType for `requestFileUploadByType`: the log file or its `.out` sibling. */
export type LogFileType = 'LOG' | 'STDOUT';

/**
 * A Flink process's log directory as its REST API serves it: the directory of the log file
 * (`web.log.path` / `taskmanager.log.path`), the log itself, and stdout as the file next to it with
 * `.out` for its extension (as Flink derives `taskmanager.out` from `taskmanager.log`). Files are
 * named by a single path component and must really be regular files inside that directory.
 */
export class LogDirectory {
  readonly logFile: string | undefined;

  constructor(logFile: string | undefined) {
    this.logFile = logFile;
  }

  get directory(): string | undefined {
    return this.logFile === undefined ? undefined : dirname(this.logFile);
  }

  /** The file name of a type, or undefined when the process has no log file. */
  nameOf(type: LogFileType): string | undefined {
    if (this.logFile === undefined) return undefined;
    const name = basename(this.logFile);
    if (type === 'LOG') return name;
    const dot = name.lastIndexOf('.');
    return `${dot > 0 ? name.slice(0, dot) : name}.out`;
  }

  /** Every regular file of the log directory, by name; empty when there is none. */
  list(): LogInfo[] {
    const dir = this.directory === undefined ? undefined : realDirectory(this.directory);
    if (dir === undefined) return [];
    return listPlainFiles(dir).map((f) => ({ name: f.fileName, size: f.fileSize, mtime: Math.floor(f.lastModifiedTime) }));
  }

  /** The path of `name` in the log directory if it is a plain file there, else undefined. */
  resolve(name: string): string | undefined {
    const dir = this.directory;
    if (dir === undefined || !isPlainFileName(name)) return undefined;
    try {
      const root = realpathSync(dir);
      const path = join(root, name);
      if (realpathSync(path) !== path || !statSync(path).isFile()) return undefined;
      return path;
    } catch {
      return undefined;
    }
  }
}

/**
 * Streams a file as text/plain (Flink's log handlers answer plain text). `express.sendFile` is not
 * used: it refuses any path below a dot-directory, and state dirs are `.weft/...`.
 */
export function sendTextFile(res: Response, path: string): void {
  const stream = createReadStream(path);
  stream.once('open', () => {
    res.status(200).type('text/plain; charset=utf-8').setHeader('X-Content-Type-Options', 'nosniff');
    stream.pipe(res);
  });
  stream.once('error', (err) => {
    if (!res.headersSent) res.status(404).json({ errors: [`Could not read ${basename(path)}: ${err.message}`] });
    else res.destroy(err);
  });
}

/**
 * Serves a log directory at `<prefix>/logs` (LogListInfo JSON), `<prefix>/log`, `<prefix>/stdout`
 * and `<prefix>/logs/:filename` (text), as Flink's JobManager and TaskManager log handlers do.
 * `missing(name)` words the 404 for a file that is not there.
 */
export function mountLogDirectory(router: Router, prefix: string, logs: LogDirectory, missing: (name: string) => string): void {
  const send = (res: Response, name: string | undefined, label: string): void => {
    const path = name === undefined ? undefined : logs.resolve(name);
    if (path === undefined) {
      res.status(404).json({ errors: [missing(name ?? label)] });
      return;
    }
    sendTextFile(res, path);
  };
  router.get(`${prefix}/logs`, (_req: Request, res: Response) => {
    res.status(200).json({ logs: logs.list() });
  });
  router.get(`${prefix}/log`, (_req: Request, res: Response) => send(res, logs.nameOf('LOG'), 'LOG'));
  router.get(`${prefix}/stdout`, (_req: Request, res: Response) => send(res, logs.nameOf('STDOUT'), 'STDOUT'));
  router.get(`${prefix}/logs/:filename`, (req: Request, res: Response) => send(res, String(req.params.filename), String(req.params.filename)));
}
