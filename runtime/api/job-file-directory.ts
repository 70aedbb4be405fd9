import { existsSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { weftPackageRoot } from './weft-module-resolution.ts';

/**
 * Makes `directory` a place compiled job files load from (a client's staging dir, a JobManager's
 * blob store, a TaskManager's blob cache, a client's temporary load dir): `node_modules/weft` links to
 * the weft package (weftPackageRoot), so a job file's `import ... from 'weft'` resolves by plain
 * Node resolution; a package.json with `"type": "module"` keeps anything else there ESM.
 * Idempotent; a link to another copy of weft, or to one that is gone, is replaced (a job would
 * otherwise build its pipeline with another API than the process runs).
 */
export function prepareJobFileDirectory(directory: string): void {
  mkdirSync(join(directory, 'node_modules'), { recursive: true });
  const pkg = join(directory, 'package.json');
  if (!existsSync(pkg)) writeFileSync(pkg, '{ "type": "module", "private": true }\n');
  const target = weftPackageRoot();
  const link = join(directory, 'node_modules', 'weft');
  if (linkTarget(link) === resolve(target) && existsSync(link)) return;
  // Replaced by rename, so a concurrent loader sees the old link or the new one, never none.
  const partial = `${link}.${process.pid}.tmp`;
  rmSync(partial, { force: true });
  symlinkSync(target, partial, 'dir');
  renameSync(partial, link);
}

function linkTarget(link: string): string | undefined {
  try {
    return resolve(join(link, '..'), readlinkSync(link));
  } catch {
    return undefined;
  }
}
