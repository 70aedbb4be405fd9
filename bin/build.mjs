#!/usr/bin/env node
// Compiles weft once to JavaScript in dist/ (npm's `prepare`, so a fresh `npm install` runs it), so
// that the CLI, every daemon and every container start on plain `node` instead of compiling
// TypeScript with tsx at each start (~0.3 s per process). One esbuild build of every entry point
// with code splitting: shared modules go to common chunks, so an entry and the `weft` API a job
// file imports are the same module instances in one process. Runs in well under a second.
import { build } from 'esbuild';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const home = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(home, 'dist');

/** Every process weft starts, and the API job files import (`weft` resolves to it in dist/). */
const ENTRY_POINTS = [
  'bin/weft.ts',
  'rm/main.ts',
  'nodemanager/main.ts',
  'am/flink/job-manager-main.ts',
  'am/distributed-shell/main.ts',
  'runtime/taskexecutor/main.ts',
  'runtime/history/history-server-main.ts',
  'runtime/index.ts',
  'bench/launch/launch-probe-am.ts',
];
const started = performance.now();
// Built beside dist/ and swapped in, so processes of a running cluster keep finding their
// (content-hashed) chunks while a rebuild happens.
const staging = `${outdir}.${process.pid}`;
rmSync(staging, { recursive: true, force: true });
await build({
  absWorkingDir: home,
  entryPoints: ENTRY_POINTS,
  outdir: staging,
  outbase: '.',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Native addons, packages that load their own files or workers at run time, and build tools stay
  // in node_modules; the rest is bundled, which saves resolving and reading hundreds of files.
  external: ['better-sqlite3', 'pino', 'pino-*', 'thread-stream', 'esbuild', 'tsx', 'tsx/*', 'playwright-core', 'vitest', 'supertest'],
  // Bundled CommonJS packages (express) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __weftCreateRequire } from 'node:module'; const require = __weftCreateRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
// dist/ is the `weft` package compiled processes link job files to (weftPackageRoot): its own
// package.json makes `import 'weft'` load the compiled API, the instance the process itself runs.
// No "name": WEFT_HOME is found by walking up to the package.json named weft, the checkout's.
writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ private: true, type: 'module', exports: { '.': './runtime/index.js' } }, null, 2)}\n`);
const previous = `${outdir}.old.${process.pid}`;
if (existsSync(outdir)) renameSync(outdir, previous);
renameSync(staging, outdir);
rmSync(previous, { recursive: true, force: true });
console.log(`weft: compiled ${ENTRY_POINTS.length} entry points to ${relative(process.cwd(), outdir) || outdir}/ in ${Math.round(performance.now() - started)} ms`);
