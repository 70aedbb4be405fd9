import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { weftPackageRoot } from './weft-module-resolution.ts';

/**
 * Makes `directory` a place compiled job files load from (a client's staging dir, a JobManager's
 * blob store, a TaskManager's blob cache, the local bundle cache): `node_modules/weft` links to
 * the weft package (weftPackageRoot), so a job file's `import ... from 'weft'` resolves by plain
 * Node resolution; a package.json with `"type": "module"` keeps anything else there ESM.
 * Idempotent.
 */
export function prepareJobFileDirectory(directory: string): void {
  mkdirSync(join(directory, 'node_modules'), { recursive: true });
  const pkg = join(directory, 'package.json');
  if (!existsSync(pkg)) writeFileSync(pkg, '{ "type": "module", "private": true }\n');
  const link = join(directory, 'node_modules', 'weft');
  if (existsSync(link)) return;
  try {
    symlinkSync(weftPackageRoot(), link, 'dir');
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
  }
}
