import { readFileSync } from 'node:fs';
import { loadAverage, option, percentile, stopBenchCluster } from './bench-support.ts';
import { startMiniCluster, type MiniCluster } from '../test/fixtures/mini-cluster.ts';
import { ProcessRegistry } from '../test/fixtures/processes.ts';

/**
 * `npm run bench -- rm-scale` (issue 13): a real RM and 2 NMs of 8 GB as processes; 8 concurrent
 * clients submit 10,000 applications whose 7 GB AMs mostly wait (one fits per node, the queue's AM
 * limit holds the rest in ACCEPTED). Prints the submission throughput (new-application + submit)
 * of each thousand, `GET /ws/v1/cluster/apps` latency at the end, and the RM's resident memory per
 * application. Goals: throughput flat within 20 % from the first thousand to the tenth (at least
 * 300 /s), `GET /apps` p50 under 100 ms at 10,000 apps, under 40 KB of RM memory per app.
 */
const CLIENTS = 8;
const USER = 'bench';

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

export async function run(args: readonly string[]): Promise<void> {
  const total = Number(option(args, '--apps') ?? 10_000);
  const registry = new ProcessRegistry();
  let cluster: MiniCluster | undefined;
  try {
    cluster = await startMiniCluster({
      nodes: 2,
      nodeMemoryMb: 8192,
      registry,
      rmConf: [
        'yarn.am.liveness-monitor.expiry-interval-ms=600000',
        'yarn.scheduler.minimum-allocation-mb=1024',
        `yarn.resourcemanager.max-completed-applications=${total}`,
      ],
    });
    const { rmUrl } = cluster;
    const rmPid = cluster.rm.pid;
    const post = async (path: string, body?: unknown): Promise<Response> => {
      const res = await fetch(`${rmUrl}/ws/v1/cluster${path}?user.name=${USER}`, {
        method: 'POST',
        headers: body ? { 'content-type': 'application/json' } : {},
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (res.status >= 300) throw new Error(`POST ${path} -> ${res.status}: ${await res.text()}`);
      return res;
    };
    const submitOne = async (): Promise<void> => {
      const id = ((await (await post('/apps/new-application')).json()) as { 'application-id': string })['application-id'];
      await post('/apps', {
        'application-id': id,
        'application-name': 'rm-scale',
        'am-container-spec': { commands: { command: 'sleep 600' } },
        resource: { memory: 7168, vCores: 1 },
      });
    };
    const rss0 = rssKb(rmPid);
    const done: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < total) {
          next++;
          await submitOne();
          done.push(performance.now());
        }
      }),
    );
    const wallS = (performance.now() - t0) / 1000;
    const rates: number[] = [];
    for (let k = 0; k + 1000 <= done.length; k += 1000) {
      const from = k === 0 ? t0 : (done[k - 1] as number);
      rates.push(1000 / (((done[k + 999] as number) - from) / 1000));
    }
    rates.forEach((r, i) => console.log(`rm_scale_submit_per_s_${(i + 1) * 1000}: ${r.toFixed(0)} /s`));
    const first = rates[0] ?? 0;
    const last = rates[rates.length - 1] ?? 0;
    console.log(`rm_scale_submit_per_s: ${(total / wallS).toFixed(0)} /s`);
    console.log(`rm_scale_submit_last_vs_first: ${first > 0 ? ((100 * last) / first).toFixed(0) : 'n/a'} %`);
    const latencies: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 11; i++) {
      const s = performance.now();
      const res = await fetch(`${rmUrl}/ws/v1/cluster/apps`);
      bytes = (await res.arrayBuffer()).byteLength;
      latencies.push(performance.now() - s);
    }
    console.log(`rm_scale_get_apps_p50_ms: ${percentile(latencies, 50).toFixed(1)} ms (${total} apps, ${(bytes / 2 ** 20).toFixed(1)} MB)`);
    const rss1 = rssKb(rmPid);
    console.log(`rm_scale_rm_rss_mb: ${(rss0 / 1024).toFixed(0)} -> ${(rss1 / 1024).toFixed(0)} MB`);
    console.log(`rm_scale_rm_kb_per_app: ${((rss1 - rss0) / total).toFixed(1)} KB`);
    console.log(`rm_scale_load_average: ${loadAverage()}`);
  } finally {
    await stopBenchCluster(cluster, registry);
  }
}
