import { buildCompiledWeft } from '../test/fixtures/compiled-build.ts';

/**
 * `npm run bench -- <name>`: runs bench/<name>.ts. Benchmarks register here so that each one
 * loads only when asked for.
 */
const benches: Readonly<Record<string, () => Promise<{ run(args: readonly string[]): Promise<void> }>>> = {
  scheduler: () => import('./scheduler.ts'),
  launch: () => import('./launch.ts'),
  network: () => import('./throughput-network.ts'),
  deploy: () => import('./deploy.ts'),
  throughput: () => import('./throughput.ts'),
  windows: () => import('./windows.ts'),
  sls: () => import('./sls.ts'),
  'rm-scale': () => import('./rm-scale.ts'),
};

const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : benches[name];
if (!load) {
  console.error(`${name === undefined ? 'no benchmark given' : `unknown benchmark: ${name}`}; known: ${Object.keys(benches).join(', ')}`);
  console.error('usage: npm run bench -- <name>');
  process.exit(1);
}
// Benchmarks time the processes users run: the compiled build, fresh from the sources.
buildCompiledWeft();
await (await load()).run(args);
