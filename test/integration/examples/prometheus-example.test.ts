import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../rm/common/clock.ts';
import { clientRmRoutes } from '../../../rm/protocol/client-rm.ts';
import { jobManagerMetrics } from '../../../runtime/metrics/job-manager-metrics.ts';
import { taskManagerMetrics } from '../../../runtime/metrics/task-manager-metrics.ts';
import { TestingResourceManagerGateway } from '../../doubles/testing-resource-manager-gateway.ts';
import { RmHarness } from '../../doubles/rm-harness.ts';
import { scrape, Scrape } from '../../fixtures/prometheus-scrape.ts';

interface Dashboard {
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
  templating: { list: { name: string; definition: string }[] };
}

let h: RmHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** Every metric family the RM, a JobManager and a TaskManager export (names only). */
async function exportedNames(): Promise<Set<string>> {
  h = await new RmHarness().start();
  await h.addNode('a:1');
  const rm = await scrape(`${h.rm.url}/prom`);
  const dispatcher = { requestMultipleJobDetails: async () => ({ jobs: [] }), requestJob: async () => Promise.reject(new Error('no jobs')) };
  const jm = new Scrape(await jobManagerMetrics({ host: 'jm', clock: new ManualClock(), dispatcher, resourceManager: new TestingResourceManagerGateway() }).metrics());
  const pool = { totalSegments: 1, availableSegments: 1, usedSegments: 0, segmentSize: 32768 };
  const tm = new Scrape(await taskManagerMetrics({ resourceId: 'tm', host: 'tm', tasks: () => [], bufferPool: pool }).metrics());
  return new Set([...rm.families.keys(), ...jm.families.keys(), ...tm.families.keys()]);
}

describe('examples/prometheus', () => {
  it('the Grafana dashboard is valid JSON and queries only metrics weft exports', async () => {
    const dashboard = JSON.parse(readFileSync('examples/prometheus/grafana-flink-job.json', 'utf8')) as Dashboard;
    const exprs = [...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...dashboard.templating.list.map((v) => v.definition)];
    const used = new Set(exprs.flatMap((e) => e.match(/\b(?:flink|queue_metrics|cluster_metrics)_[A-Za-z0-9_]+/g) ?? []));
    expect(used.size).toBeGreaterThan(10);
    const exported = await exportedNames();
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    expect(dashboard.panels.filter((p) => p.type !== 'row').map((p) => p.title)).toEqual(
      expect.arrayContaining(['Records in per second', 'Records out per second', 'Busy time (ms/s)', 'Back-pressured time (ms/s)', 'Task slots', 'Restarts', 'Queue memory (MB)']),
    );
  });

  it('prometheus.yml discovers its targets from the RM route', () => {
    const config = readFileSync('examples/prometheus/prometheus.yml', 'utf8');
    expect(config).toContain('http_sd_configs:');
    expect(config).toContain(`url: http://localhost:8088${clientRmRoutes.prometheusSd.path}`);
  });
});
