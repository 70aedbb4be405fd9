import { readFileSync } from 'node:fs';
import type { MiniCluster } from '../test/fixtures/mini-cluster.ts';
import { listProcesses, type ProcessRegistry } from '../test/fixtures/processes.ts';
import { waitFor } from '../test/fixtures/wait.ts';
import { isFinalApplicationState } from '../rm/protocol/records.ts';
import type { ApplicationClientProtocol } from '../rm/protocol/client-rm.ts';

/** What the cluster benchmarks share: argument and statistics helpers, and a teardown that leaves nothing running. */

/** `--name value` or `--name=value`. */
export function option(args: readonly string[], name: string): string | undefined {
  const eq = args.find((a) => a.startsWith(`${name}=`));
  if (eq) return eq.slice(name.length + 1);
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
}

/** A whole number without separators, as the `name: value unit` lines print figures. */
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').replace(/,/g, '');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The 1, 5 and 15 minute load averages: figures on this shared 2-core machine depend on them. */
export const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** GET on the Flink REST API of a YARN application, through the RM's proxy. */
export async function flinkGet<T>(rmUrl: string, appId: string, path: string): Promise<T> {
  const res = await fetch(`${rmUrl}/proxy/${appId}${path}`, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${path} -> ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Kills a YARN application and waits until the RM says it ended. */
export async function killApp(rm: ApplicationClientProtocol, appId: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { state } = await rm.updateAppState({ params: { appid: appId }, body: { state: 'KILLED' } });
    if (isFinalApplicationState(state)) return;
    await sleep(100);
  }
  throw new Error(`application ${appId} did not reach KILLED`);
}

/** Kills a benchmark's session and waits until its container processes (under the cluster's dir) are gone. */
export async function stopBenchSession(rm: ApplicationClientProtocol | undefined, appId: string | undefined, cluster: MiniCluster | undefined): Promise<void> {
  if (!rm || !appId || !cluster) return;
  await killApp(rm, appId).catch((err: unknown) => console.error(`could not kill session ${appId}: ${(err as Error).message}`));
  await waitFor(() => listProcesses().every((p) => !p.cwd.startsWith(`${cluster.dir}/`)), { timeoutMs: 30_000, description: 'the session container processes to exit' }).catch((err: unknown) =>
    console.error((err as Error).message),
  );
}

/** Stops the cluster and kills (and names) anything of the run that is still alive. */
export async function stopBenchCluster(cluster: MiniCluster | undefined, registry: ProcessRegistry): Promise<void> {
  const dir = cluster?.dir;
  await cluster?.stop().catch((err: unknown) => console.error(`stopping the mini cluster: ${(err as Error).message}`));
  await registry.cleanup();
  const left = registry.leftovers(dir ? [dir] : []);
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (left.length > 0) console.error(`killed ${left.length} process(es) left behind: ${left.map((p) => `${p.pid} ${p.cmdline}`).join('; ')}`);
}
