import { register } from 'node:module';
import { RUNNING_COMPILED, weftModuleUrl } from '../../rm/common/weft-home.ts';

/**
 * Lets job files outside this package `import ... from 'weft'`. Inside the package Node resolves the
 * name through package.json "exports" (self-reference); a job file elsewhere has no node_modules
 * with weft in it, so a resolve hook maps the bare name to this package's entry when normal
 * resolution fails. Both paths load the same module URL, so the job and the loader share one copy
 * of the API. A compiled process (dist/) always maps the name to its own compiled entry: the
 * package's "exports" name the TypeScript sources, which plain node cannot load, and a second copy
 * of the API would not be the one the process runs. Hooks are process-wide, hence registered once
 * per process.
 */
const WEFT_ENTRY = weftModuleUrl('runtime/index.ts');

const HOOK_SOURCE = `
const entry = ${JSON.stringify(WEFT_ENTRY)};
const always = ${JSON.stringify(RUNNING_COMPILED)};
export async function resolve(specifier, context, next) {
  if (specifier !== 'weft') return next(specifier, context);
  if (always) return { url: entry, shortCircuit: true };
  try {
    return await next(specifier, context);
  } catch (err) {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND') return { url: entry, shortCircuit: true };
    throw err;
  }
}
`;

let registered = false;

export function ensureWeftResolvable(): void {
  if (registered) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOK_SOURCE)}`);
}
