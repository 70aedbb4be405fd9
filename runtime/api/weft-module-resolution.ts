import { DIST_DIR, RUNNING_COMPILED, WEFT_HOME } from '../../rm/common/weft-home.ts';

/**
 * Where `import ... from 'weft'` in a shipped job file leads: the one decision of how job files
 * find the API. A compiled job file keeps 'weft' as an external import (job-file-compiler.ts);
 * each process that loads it links `node_modules/weft` beside it to this package root
 * (job-file-directory.ts), so Node's own resolution finds the package, through its "exports", in
 * plain Node, under tsx and in module runners such as vitest alike. Resolved to a real path, the
 * job and the process share one copy of the API.
 *
 * A process running the compiled build leads it to dist/ instead, a package of its own
 * (bin/build.mjs writes its package.json): the checkout's "exports" name TypeScript sources plain
 * node cannot load, and the job must share the API's chunks with the process that runs it.
 */
export function weftPackageRoot(): string {
  return RUNNING_COMPILED ? DIST_DIR : WEFT_HOME;
}
