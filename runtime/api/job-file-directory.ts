import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEFT_HOME } from '../../rm/common/weft-home.ts';

/** This package's root: the `weft` a job file imports. */
const WEFT_ROOT = WEFT_HOME;

/**
 * Makes `directory` a place job files can be loaded from when they live outside this package (a
 * JobManager's blob store, a TaskManager's blob cache): a package.json with `"type": "module"`,
 * so a `.ts`/`.js` job file loads as an ES module, and `node_modules/weft` linking to this
 * package, so `import ... from 'weft'` resolves by plain Node resolution through tsx (the
 * loader's resolve hook alone maps the name to a .ts URL that bypasses tsx, and module runners
 * such as vitest bypass the hook). Idempotent.
 */
export function prepareJobFileDirectory(directory: string): void {
  mkdirSync(join(directory, 'node_modules'), { recursive: true });
  const pkg = join(directory, 'package.json');
  if (!existsSync(pkg)) writeFileSync(pkg, '{ "type": "module", "private": true }\n');
  const link = join(directory, 'node_modules', 'weft');
  if (existsSync(link)) return;
  try {
    symlinkSync(WEFT_ROOT, link, 'dir');
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
  }
}
