#!/usr/bin/env node
// The `weft` executable (package.json "bin"): registers tsx so the TypeScript CLI runs as is.
import { register } from 'tsx/esm/api';

register();
await import('./weft.ts');
