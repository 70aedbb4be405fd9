import { join } from 'node:path';
import { WeftError } from '../../rm/common/errors.ts';
import { isPlainFileName, listPlainFiles, readFileRange, realDirectory, type LogFileInfo } from '../../rm/common/log-files.ts';
import type { AggregatedContainerLogs, AggregatedLogs } from '../../rm/protocol/aggregated-logs.ts';
import { applicationIdOfContainer, parseContainerId } from '../../rm/protocol/ids.ts';

export type { LogFileInfo } from '../../rm/common/log-files.ts';

/** A log file name is a single path component. */
export const isSafeLogFileName = isPlainFileName;

/**
 * A container's log files as the NM web services serve them: the local ones under
 * `<logs root>/<appId>/<containerId>/` while the NM keeps them, else the aggregated ones (after
 * log aggregation moved them to the remote app log dir), as YARN's NMWebServices read both. Ids
 * are checked against YARN's format and the local dir must really be
 * `<logs root>/<appId>/<containerId>` (resolved by the NM itself), so a container that swaps its
 * log dir or a file for a symlink gets a 404 instead of someone else's file.
 */
export class ContainerLogFiles {
  private readonly logsRoot: string;
  private readonly aggregatedLogs: AggregatedLogs | undefined;

  /** `logsRoot` is `<dir>/logs`; it must exist. `aggregated` when log aggregation is on. */
  constructor(logsRoot: string, aggregated?: AggregatedLogs) {
    this.logsRoot = logsRoot;
    this.aggregatedLogs = aggregated;
  }

  private check(containerId: string): string {
    if (!parseContainerId(containerId)) throw new WeftError('BadRequest', `Invalid ContainerId: ${containerId}`);
    return applicationIdOfContainer(containerId)!;
  }

  /** The container's local log dir if it is still there (and really where it must be). */
  private localDir(containerId: string): string | undefined {
    const appId = this.check(containerId);
    const root = realDirectory(this.logsRoot);
    if (root === undefined) return undefined;
    const expected = join(root, appId, containerId);
    return realDirectory(expected) === expected ? expected : undefined;
  }

  /** LOCAL files, or undefined when the NM no longer has (or never had) the container's log dir. */
  local(containerId: string): LogFileInfo[] | undefined {
    const dir = this.localDir(containerId);
    return dir === undefined ? undefined : listPlainFiles(dir);
  }

  /** AGGREGATED files, or undefined when aggregation is off or has not written them. */
  aggregated(containerId: string, user?: string): AggregatedContainerLogs | undefined {
    this.check(containerId);
    return this.aggregatedLogs?.container(containerId, user);
  }

  /** The files a container has, local first, else aggregated; a 404 when there are none. */
  list(containerId: string, user?: string): LogFileInfo[] {
    const files = this.local(containerId) ?? this.aggregated(containerId, user)?.files;
    if (files === undefined) throw new WeftError('NotFound', `Cannot find logs of container ${containerId} on the local disk or in the aggregated logs`);
    return files;
  }

  /**
   * Reads a log file; `size` as in YARN's NMWebServices: > 0 the first `size` bytes, < 0 the last
   * `-size` bytes, undefined the whole file. Local files first, then the aggregated ones.
   */
  read(containerId: string, fileName: string, size?: number, user?: string): Buffer {
    if (!isSafeLogFileName(fileName)) throw new WeftError('BadRequest', `Invalid log file name: ${JSON.stringify(fileName)}`);
    const dir = this.localDir(containerId);
    const bytes = (dir !== undefined ? readFileRange(dir, fileName, size) : undefined) ?? this.aggregatedLogs?.read(containerId, fileName, size, user);
    if (bytes === undefined) throw new WeftError('NotFound', `Cannot find this log on the local disk: ${fileName} of ${containerId}`);
    return bytes;
  }
}
