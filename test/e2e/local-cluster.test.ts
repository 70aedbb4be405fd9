import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessRegistry, WEFT_HOME, type StartedProcess } from '../fixtures/processes.ts';
import { appState, rmRest } from '../fixtures/rm-rest.ts';
import type { ApplicationClientProtocol } from '../../rm/protocol/client-rm.ts';
import { runWeft } from '../fixtures/weft-cli.ts';
import { FAST_FLINK_CONF, appIdOf } from './flink/flink-e2e.ts';

/**
 * The cluster `npm start` gives (`weft cluster start` with its defaults: two 8 GB NodeManagers)
 * must hold what the product is for: a Flink session, a per-job cluster and a DistributedShell
 * at the same time, each with its default sizes (a 1600 MB JobManager AM).
 */
const registry = new ProcessRegistry();
let dir: string;
let cli: StartedProcess;
let rmUrl: string;
let rm: ApplicationClientProtocol;

const weft = (args: string[], timeoutMs = 90_000) => runWeft(args, { rmUrl, registry, timeoutMs });
const fastFlink = FAST_FLINK_CONF.flatMap((kv) => ['-D', kv]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-local-'));
  cli = await registry.start('weft cluster start', process.execPath, {
    args: [resolve(WEFT_HOME, 'bin/weft.js'), '--json', 'cluster', 'start', '--port', '0', '--dir', join(dir, 'state')],
  });
  rmUrl = String(cli.ready.url);
  rm = rmRest(rmUrl);
});

afterAll(async () => {
  if (cli && !cli.hasExited()) {
    process.kill(cli.pid, 'SIGTERM');
    await cli.exited;
  }
  await registry.cleanup();
  await registry.assertNoneLeft(dir ? [dir] : []);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the local cluster (weft cluster start defaults)', () => {
  it('reports its scheduler settings, which the RM applies', async () => {
    expect(cli.ready.conf).toMatchObject({ 'yarn.scheduler.capacity.maximum-am-resource-percent': '0.5', 'yarn.scheduler.minimum-allocation-mb': '32' });
    const { scheduler } = await rm.scheduler({ params: undefined, body: undefined });
    const leaf = (scheduler.schedulerInfo as unknown as { queues: { queue: Record<string, unknown>[] } }).queues.queue[0]!;
    expect(leaf).toMatchObject({ queueName: 'default', configuredMaxAMResourceLimit: 0.5, AMResourceLimit: { memory: 8192, vCores: 8 } });
    const created = await rm.newApplication({ params: undefined, body: undefined });
    expect(created['maximum-resource-capability']).toEqual({ memory: 8192, vCores: 8 });
  });

  it('runs a per-job cluster and a DistributedShell while a Flink session holds its JobManager', async () => {
    const session = await weft(['session', 'start', '--detached', ...fastFlink]);
    expect(session.code, session.stderr).toBe(0);
    const sessionId = appIdOf(session.stdout);
    try {
      expect((await appState(rm, sessionId)).state).toBe('RUNNING');
      const output = join(dir, 'word-count');
      // Neither may wait in ACCEPTED for the session's AM share: both finish while it runs.
      const [perJob, dshell] = await Promise.all([
        weft(['run', '--target', 'per-job', ...fastFlink, 'examples/word-count.ts', '--', '--output', output]),
        weft(['dshell', '--num-containers', '2', '--', 'echo side-by-side']),
      ]);
      expect(perJob.code, `${perJob.stdout}\n${perJob.stderr}`).toBe(0);
      expect(perJob.stdout).toMatch(/finished with state FINISHED and final status SUCCEEDED/);
      expect(readFileSync(output, 'utf8')).toContain('"word":"question"');
      expect(dshell.code, `${dshell.stdout}\n${dshell.stderr}`).toBe(0);
      expect((await appState(rm, sessionId)).state).toBe('RUNNING');
    } finally {
      const stop = await weft(['session', 'stop', sessionId]);
      expect(stop.code, stop.stderr).toBe(0);
    }
  }, 240_000);
});
