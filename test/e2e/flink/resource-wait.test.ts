import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMiniCluster, type MiniCluster } from '../../fixtures/mini-cluster.ts';
import { ProcessRegistry } from '../../fixtures/processes.ts';
import { rmRest } from '../../fixtures/rm-rest.ts';
import type { ApplicationClientProtocol } from '../../../rm/protocol/client-rm.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { runWeft, startWeft } from '../../fixtures/weft-cli.ts';
import { FAST_FLINK_CONF, flinkGet } from './flink-e2e.ts';

/**
 * A Flink cluster that cannot get its TaskManagers says so: before deploying when a container
 * can never fit (the RM's maximum allocation), and while it waits when YARN has no room now
 * (one 2 GB node: a 1 GB JobManager leaves no room for a 1.5 GB TaskManager).
 */
const registry = new ProcessRegistry();
let cluster: MiniCluster;
let rm: ApplicationClientProtocol;

const fast = FAST_FLINK_CONF.flatMap((kv) => ['-D', kv]);

beforeAll(async () => {
  cluster = await startMiniCluster({
    registry,
    nodes: 1,
    nodeMemoryMb: 2048,
    rmConf: ['yarn.scheduler.maximum-allocation-mb=2048', 'yarn.scheduler.capacity.maximum-am-resource-percent=0.5'],
  });
  rm = rmRest(cluster.rmUrl);
});

afterAll(async () => {
  const dir = cluster?.dir;
  await cluster?.stop();
  await registry.cleanup();
  await registry.assertNoneLeft(dir ? [dir] : []);
});

const appIds = async (): Promise<string[]> => ((await rm.apps({ params: undefined, body: undefined })).apps?.app ?? []).map((a) => a.id);

describe('Flink on YARN says why it waits for resources', () => {
  it('refuses a TaskManager larger than the maximum allocation before submitting anything', async () => {
    const res = await runWeft(['run', '--target', 'per-job', '--jm-memory', '512', '--tm-memory', '4096', ...fast, 'examples/word-count.ts'], { rmUrl: cluster.rmUrl, registry });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'The cluster does not have the requested resources for the TaskManagers available!\n' +
        "Maximum Memory: 2048 Requested: 4096MB. Please check the 'yarn.scheduler.maximum-allocation-mb' and the 'yarn.nodemanager.resource.memory-mb' configuration values",
    );
    expect(res.stderr).toContain('lower --tm-memory (taskmanager.memory.process.size)');
    expect(await appIds()).toEqual([]);
  });

  it('explains waiting TaskManager containers in the REST API and the attached CLI, with YARN’s diagnostic', async () => {
    const cli = startWeft(['run', '--target', 'per-job', '--jm-memory', '1024', '--tm-memory', '1536', '--slots', '1', ...fast, 'examples/word-count.ts'], {
      rmUrl: cluster.rmUrl,
      registry,
      timeoutMs: 120_000,
    });
    const appId = await waitFor(async () => (await appIds())[0], { description: 'the per-job application' });
    try {
      type Wait = { reason: string; 'yarn-diagnostics'?: string; 'requested-taskmanagers': number; 'taskmanager-resource': { memory: number } };
      const wait = await waitFor(
        async () => {
          const jobs = await flinkGet<{ jobs: { jid: string }[] }>(cluster.rmUrl, appId, '/jobs/overview');
          const job = jobs.jobs[0] && (await flinkGet<{ state: string; 'waiting-for-resources': Wait | null }>(cluster.rmUrl, appId, `/jobs/${jobs.jobs[0].jid}`));
          return job?.['waiting-for-resources']?.['yarn-diagnostics'] ? job['waiting-for-resources'] : undefined;
        },
        { timeoutMs: 60_000, description: 'waiting-for-resources with YARN diagnostics' },
      );
      expect(wait).toMatchObject({ 'requested-taskmanagers': 1, 'taskmanager-resource': { memory: 1536 } });
      expect(wait.reason).toMatch(/^Waiting for slots: 0 of 1 acquired, 0 free slots in the cluster\. 1 TaskManager container <memory:1536, vCores:1> \(1 slot each\) requested from YARN, not allocated yet\. YARN: \S/);
      // The RM's own report of the app carries the same diagnostic.
      const { app } = await rm.app({ params: { appid: appId }, body: undefined });
      expect(app.state).toBe('RUNNING');
      expect(app.diagnostics).toContain(wait['yarn-diagnostics']);
      await waitFor(() => cli.stderr().includes(`: ${wait.reason}\n`), { description: 'the CLI to print the reason' });
      // The dashboard the CLI points to answers.
      const dashboard = `${cluster.rmUrl}/proxy/${appId}/`;
      expect(cli.stdout()).toContain(`JobManager Web Interface: ${dashboard}\n`);
      expect((await fetch(dashboard)).status).toBe(200);
    } finally {
      const kill = await runWeft(['app', 'kill', appId], { rmUrl: cluster.rmUrl, registry });
      expect(kill.code, kill.stderr).toBe(0);
    }
    const res = await cli.result;
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`Application ${appId} finished with state KILLED`);
  }, 180_000);
});
