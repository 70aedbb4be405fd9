import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { every, type Cancel, type Clock } from '../common/clock.ts';
import type { Service } from '../common/lifecycle.ts';
import type { Logger } from '../common/logger.ts';
import { parseApplicationId } from '../protocol/ids.ts';

export interface AppLogDir {
  readonly appId: string;
  readonly path: string;
  /** Newest modification time of the app dir and the node dirs in it. */
  readonly modified: number;
}

/**
 * Which aggregated app dirs have expired (AggregatedLogDeletionService.shouldDeleteLogDir): every
 * part older than `retainSeconds`, and the app no longer running. Pure, for unit tests.
 */
export function expiredAppLogDirs(dirs: readonly AppLogDir[], now: number, retainSeconds: number, isRunning: (appId: string) => boolean): AppLogDir[] {
  if (retainSeconds < 0) return [];
  const cutoff = now - retainSeconds * 1000;
  return dirs.filter((d) => d.modified < cutoff && !isRunning(d.appId));
}

/**
 * YARN's AggregatedLogDeletionService (run by the JobHistoryServer in Hadoop, by the RM here):
 * every `yarn.log-aggregation.retain-check-interval-seconds` it deletes
 * `<remote-app-log-dir>/<user>/<suffix>/<appId>` dirs older than `yarn.log-aggregation.retain-seconds`.
 */
export class AggregatedLogDeletionService implements Service {
  readonly name = 'AggregatedLogDeletionService';
  private readonly deps: {
    readonly remoteRoot: string;
    readonly suffix: string;
    readonly retainSeconds: number;
    readonly checkIntervalSeconds: number;
    readonly clock: Clock;
    readonly logger: Logger;
    readonly isRunning: (appId: string) => boolean;
  };
  private cancel: Cancel | undefined;

  constructor(deps: AggregatedLogDeletionService['deps']) {
    this.deps = deps;
  }

  start(): void {
    if (this.deps.retainSeconds < 0) return;
    this.cancel = every(this.deps.clock, this.deps.checkIntervalSeconds * 1000, () => this.deleteExpired());
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  /** One pass; returns the app ids whose logs were deleted. */
  deleteExpired(): string[] {
    const { remoteRoot, suffix, clock, logger } = this.deps;
    const dirs: AppLogDir[] = [];
    for (const user of list(remoteRoot)) {
      const base = join(remoteRoot, user, suffix);
      for (const appId of list(base)) {
        if (!parseApplicationId(appId)) continue;
        const path = join(base, appId);
        const modified = Math.max(mtime(path), ...list(path).map((n) => mtime(join(path, n))));
        dirs.push({ appId, path, modified });
      }
    }
    const expired = expiredAppLogDirs(dirs, clock.now(), this.deps.retainSeconds, this.deps.isRunning);
    for (const d of expired) {
      try {
        rmSync(d.path, { recursive: true, force: true });
        logger.info({ appId: d.appId, path: d.path }, 'deleted expired aggregated logs');
      } catch (err) {
        logger.warn({ appId: d.appId, err: (err as Error).message }, 'could not delete expired aggregated logs');
      }
    }
    return expired.map((d) => d.appId);
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
