import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WeftError } from '../../rm/common/errors.ts';
import { applicationIdOfContainer, parseContainerId } from '../../rm/protocol/ids.ts';

/**
 * Reading a container's log files for the NM REST API without ever reading outside its log dir.
 * A file name is a single path component; ids are checked against YARN's format; and the real
 * path of what is opened (symlinks resolved) must be exactly `<logs root>/<appId>/<containerId>/<name>`,
 * where the root was resolved by the NM itself, so a container that swaps its log dir or a file
 * for a symlink gets a 404 instead of someone else's file.
 */
export function isSafeLogFileName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 255 &&
    name !== '.' &&
    name !== '..' &&
    !name.includes('/') &&
    !name.includes('\\') &&
    !name.includes('\0') &&
    !name.startsWith('..')
  );
}

export interface LogFileInfo {
  readonly fileName: string;
  readonly fileSize: number;
  readonly lastModifiedTime: number;
}

export class ContainerLogFiles {
  private readonly logsRoot: string;

  /** `logsRoot` is `<dir>/logs`; it must exist. */
  constructor(logsRoot: string) {
    this.logsRoot = logsRoot;
  }

  private realRoot(): string {
    return realpathSync(this.logsRoot);
  }

  /** The container's log dir as it must really be, or a 400/404. */
  private containerDir(containerId: string): { expected: string; appId: string } {
    if (!parseContainerId(containerId)) throw new WeftError('BadRequest', `Invalid ContainerId: ${containerId}`);
    const appId = applicationIdOfContainer(containerId)!;
    const expected = join(this.realRoot(), appId, containerId);
    let real: string;
    try {
      real = realpathSync(expected);
    } catch {
      throw new WeftError('NotFound', `Cannot find logs of container ${containerId} on the local disk`);
    }
    if (real !== expected) throw new WeftError('NotFound', `Cannot find logs of container ${containerId} on the local disk`);
    return { expected, appId };
  }

  list(containerId: string): LogFileInfo[] {
    const { expected } = this.containerDir(containerId);
    const files: LogFileInfo[] = [];
    for (const name of readdirSync(expected).sort()) {
      try {
        const path = join(expected, name);
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
   * Reads a log file; `size` as in YARN's NMWebServices: > 0 the first `size` bytes, < 0 the last
   * `-size` bytes, undefined the whole file.
   */
  read(containerId: string, fileName: string, size?: number): Buffer {
    if (!isSafeLogFileName(fileName)) throw new WeftError('BadRequest', `Invalid log file name: ${JSON.stringify(fileName)}`);
    const { expected } = this.containerDir(containerId);
    const path = join(expected, fileName);
    const notFound = (): WeftError => new WeftError('NotFound', `Cannot find this log on the local disk: ${fileName} of ${containerId}`);
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw notFound();
    }
    if (real !== path) throw notFound();
    let fd: number;
    try {
      // O_NOFOLLOW: a symlink swapped in after the check above fails to open rather than being followed.
      fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      throw notFound();
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw notFound();
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
}
