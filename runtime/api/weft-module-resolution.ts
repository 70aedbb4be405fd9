import { fileURLToPath } from 'node:url';

/**
 * Where `import ... from 'weft'` in a shipped job file leads: the one decision of how job files
 * find the API. A compiled job file keeps 'weft' as an external import (job-file-compiler.ts);
 * each process that loads it links `node_modules/weft` beside it to this package root
 * (job-file-directory.ts), so Node's own resolution finds the package, through its "exports", in
 * plain Node, under tsx and in module runners such as vitest alike. Resolved to a real path, the
 * job and the process share one copy of the API.
 *
 * Point this elsewhere (a compiled build of weft with its own package.json) and every loader follows.
 */
export function weftPackageRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}
