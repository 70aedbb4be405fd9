import { resolve } from 'node:path';
import { percentile } from './bench-support.ts';
import { startMiniCluster } from '../test/fixtures/mini-cluster.ts';
import { WEFT_HOME } from '../test/fixtures/processes.ts';
import { isFinalApplicationState } from '../rm/protocol/records.ts';

/**
 * `npm run bench -- launch` (issue 3): on a real RM + NM started as processes,
 *  - allocate -> container process running: a probe AM asks for one container at a time and
 *    measures from the allocate response to the moment the process prints its start time;
 *  - REST submit -> app RUNNING for a trivial AM (node + tsx start-up is most of it).
 * 20 runs each; prints medians and p95s. Heartbeats at YARN's 1000 ms default do not enter
 * either figure: the RM schedules on allocate and starts AMs as soon as it places them.
 */
const RUNS = 20;


export async function run(args: readonly string[]): Promise<void> {
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? RUNS);
  const cluster = await startMiniCluster({ nodes: 1, nodeMemoryMb: 8192 });
  const probe = resolve(WEFT_HOME, 'bench/launch/launch-probe-am.ts');
  const user = 'bench';
  const rest = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${cluster.rmUrl}/ws/v1/cluster${path}${path.includes('?') ? '&' : '?'}user.name=${user}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const submit = async (containers: number): Promise<string> => {
    const appId = ((await (await rest('POST', '/apps/new-application')).json()) as { 'application-id': string })['application-id'];
    const res = await rest('POST', '/apps', {
      'application-id': appId,
      'application-name': `launch-bench-${containers}`,
      'am-container-spec': { commands: { command: `{{WEFT_HOME}}/bin/weft-run ${probe} --containers ${containers} 1><LOG_DIR>/stdout 2><LOG_DIR>/stderr` } },
      resource: { memory: 256, vCores: 1 },
    });
    if (res.status !== 202) throw new Error(`submit failed: ${res.status} ${await res.text()}`);
    return appId;
  };
  const stateOf = async (appId: string): Promise<string> => ((await (await rest('GET', `/apps/${appId}/state`)).json()) as { state: string }).state;
  const waitFinal = async (appId: string): Promise<void> => {
    for (;;) {
      const s = await stateOf(appId);
      if (isFinalApplicationState(s)) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    // submit -> RUNNING, polled every 2 ms.
    const submitToRunning: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const appId = await submit(0);
      while ((await stateOf(appId)) !== 'RUNNING') await new Promise((r) => setTimeout(r, 2));
      submitToRunning.push(performance.now() - t0);
      await waitFinal(appId);
    }
    // allocate -> running, measured inside one AM over `runs` containers.
    const appId = await submit(runs);
    await waitFinal(appId);
    const attempts = (await (await rest('GET', `/apps/${appId}/appattempts`)).json()) as { appAttempts: { appAttempt: { nodeHttpAddress: string; containerId: string }[] } };
    const am = attempts.appAttempts.appAttempt.at(-1)!;
    const log = await (await fetch(`http://${am.nodeHttpAddress}/ws/v1/node/containerlogs/${am.containerId}/stdout`)).text();
    const line = log.split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`the probe AM printed no result; its stdout was: ${log.slice(0, 500)}`);
    const samples = (JSON.parse(line) as { allocateToRunningMs: number[] }).allocateToRunningMs;
    console.log(`runs: ${runs}`);
    console.log(`allocate_to_running_p50: ${percentile(samples, 50).toFixed(0)} ms`);
    console.log(`allocate_to_running_p95: ${percentile(samples, 95).toFixed(0)} ms`);
    console.log(`submit_to_running_p50: ${percentile(submitToRunning, 50).toFixed(0)} ms`);
    console.log(`submit_to_running_p95: ${percentile(submitToRunning, 95).toFixed(0)} ms`);
  } finally {
    await cluster.stop();
  }
}
