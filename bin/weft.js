#!/usr/bin/env node
// The `weft` executable (package.json "bin"). Runs the compiled CLI (dist/, built by `npm install`)
// on plain node; without a build, or with WEFT_SOURCE=1, the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/bin/weft.js', import.meta.url);
if (!process.env.WEFT_SOURCE && existsSync(compiled)) {
  process.setSourceMapsEnabled(true);
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./weft.ts');
}
