import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildFailure, BuildOptions, Message, Metafile } from 'esbuild';
import { JobFileError, jobFileMissing, noDefaultExport } from './job-file-error.ts';

/**
 * A job file compiled once, at submission, into one JavaScript ES module (Flink ships a jar; weft
 * ships this): the job file and everything it imports bundled, except `weft` itself, which
 * each process resolves to its own copy (weft-module-resolution.ts). JobManagers and
 * TaskManagers load it with a plain `import()`, without a TypeScript toolchain.
 */
export interface CompiledJobFile {
  /** `<name>.mjs`: the name it is shipped and stored under. */
  readonly fileName: string;
  /** The job file as the user named it (`examples/word-count.ts`), for messages. */
  readonly sourceName: string;
  readonly code: Buffer;
}

/** The first line of every compiled job file; how a loader tells one from a raw upload. */
const HEADER_PREFIX = '// weft job file, compiled from ';
const HEADER = /^\/\/ weft job file, compiled from (.+?) by esbuild/;

export const compiledFileName = (sourceName: string): string => `${basename(sourceName, extname(sourceName)) || 'job'}.mjs`;

/** The source name recorded in a compiled job file's header, or undefined for anything else. */
export function compiledSourceName(code: Buffer | string): string | undefined {
  const head = (typeof code === 'string' ? code.slice(0, 600) : code.subarray(0, 600).toString('utf8')).split('\n', 1)[0] ?? '';
  return HEADER.exec(head)?.[1];
}

// CommonJS packages bundled into an ES module still call require() for Node built-ins.
const REQUIRE_SHIM = "import { createRequire as __weftCreateRequire } from 'node:module';\nconst require = __weftCreateRequire(import.meta.url);";

/**
 * Compiles `path` (.ts, .mts, .cts, .js, .mjs, .cjs, .jsx, .tsx) with esbuild. `sourceName` is how
 * messages name it (default: `path`). Fails with a JobFileError naming the file and each error's
 * line and column, or when the file has no default export.
 */
export async function compileJobFile(path: string, sourceName: string = path): Promise<CompiledJobFile> {
  const absolute = resolve(path);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) throw jobFileMissing(sourceName);
  // Loaded on first use: only processes that compile (the CLI, run-local) pay for esbuild.
  const esbuild = await import('esbuild');
  const fileName = compiledFileName(sourceName);
  const header = `${HEADER_PREFIX}${basename(sourceName).replace(/[\r\n]/g, '_')} by esbuild ${esbuild.version}`;
  const options = (banner: string): BuildOptions & { write: false; metafile: true } => ({
    entryPoints: [absolute],
    absWorkingDir: dirname(absolute),
    outfile: join(dirname(absolute), fileName),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['weft'],
    write: false,
    metafile: true,
    // Stack traces point into the user's source (on the submitting host): positions, not contents.
    sourcemap: 'inline',
    sourcesContent: false,
    sourceRoot: `${pathToFileURL(dirname(absolute)).href}/`,
    logLevel: 'silent',
    banner: { js: banner },
  });
  let result: { outputFiles: { text: string }[]; metafile: Metafile };
  try {
    result = await esbuild.build(options(header));
    if (Object.values(result.metafile.inputs).some((input) => input.format === 'cjs')) {
      result = await esbuild.build(options(`${header}\n${REQUIRE_SHIM}`));
    }
  } catch (err) {
    // esbuild names files relative to the job file's directory; the job file itself as the user named it.
    throw compileError(sourceName, err, { [basename(absolute)]: basename(sourceName) });
  }
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output?.exports.includes('default')) throw noDefaultExport(sourceName);
  return { fileName, sourceName, code: Buffer.from(result.outputFiles[0]!.text) };
}

function compileError(sourceName: string, err: unknown, renames: Readonly<Record<string, string>>): JobFileError {
  const errors = (err as Partial<BuildFailure>).errors;
  if (!Array.isArray(errors) || errors.length === 0) {
    return new JobFileError(sourceName, `Job file ${sourceName} could not be compiled: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const lines = errors.slice(0, 5).map((m) => formatMessage(m, renames));
  if (errors.length > 5) lines.push(`... and ${errors.length - 5} more`);
  return new JobFileError(sourceName, `Job file ${sourceName} could not be compiled:\n${lines.map((l) => `  ${l}`).join('\n')}`, { cause: err });
}

function formatMessage(m: Message, renames: Readonly<Record<string, string>>): string {
  const where = m.location ? `${renames[m.location.file] ?? m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
  return `${where}${m.text}`;
}
