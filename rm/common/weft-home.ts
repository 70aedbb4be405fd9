import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Where the weft package lives and which build of it is running. weft runs either from its
 * TypeScript sources (tsx, vitest) or from the JavaScript bundle `npm install` builds into `dist/`
 * (bin/build.mjs); in the bundle this module sits in a shared chunk, not at its source path, so
 * paths are found from the package root, never relative to `import.meta.url`.
 */
const HERE = fileURLToPath(import.meta.url);

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && isWeftPackage(pkg)) return dir;
    if (dirname(dir) === dir) throw new Error(`weft: no package.json of weft above ${start}`);
  }
}

function isWeftPackage(pkg: string): boolean {
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'weft';
  } catch {
    return false;
  }
}

/** The package root (the directory with weft's package.json), without a trailing slash. */
export const WEFT_HOME = findPackageRoot(dirname(HERE));

/** True in the compiled bundle (`dist/`), false when the TypeScript sources run. */
export const RUNNING_COMPILED = !HERE.endsWith('.ts');

/** The directory the compiled bundle is written to. */
export const DIST_DIR = join(WEFT_HOME, 'dist');

/** A source path under the package root (`runtime/index.ts`), absolute. */
export function weftPath(relative: string): string {
  return resolve(WEFT_HOME, relative);
}

/**
 * Whether `module` (a file URL) is the entry point this process was started with: an entry's
 * `main()` runs only then, not when a test or the CLI imports it.
 */
export function isMainModule(moduleUrl: string): boolean {
  const argv1 = process.argv[1];
  return argv1 !== undefined && moduleUrl === pathToFileURL(resolve(argv1)).href;
}
