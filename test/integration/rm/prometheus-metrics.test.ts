import { afterEach, describe, expect, it } from 'vitest';
import { MockAm } from '../../doubles/mock-am.ts';
import { RmHarness } from '../../doubles/rm-harness.ts';
import { scrape } from '../../fixtures/prometheus-scrape.ts';

let h: RmHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const ask = (n: number, memory = 1024) => ({ priority: 1, resourceName: '*', capability: { memory, vCores: 1 }, numContainers: n });

describe('the RM Prometheus endpoint (/prom)', () => {
  it("serves ClusterMetrics and QueueMetrics under Hadoop's Prometheus names, and they follow an application", async () => {
    h = await new RmHarness().start();
    const nm = await h.addNode('a:1', 8192, 8);
    const before = await scrape(`${h.rm.url}/prom`);
    expect(before.value('cluster_metrics_num_active_n_ms', { context: 'yarn' })).toBe(1);
    expect(before.value('cluster_metrics_num_lost_n_ms')).toBe(0);
    expect(before.type('queue_metrics_apps_submitted')).toBe('COUNTER');
    expect(before.value('queue_metrics_apps_submitted', { queue: 'root.default' })).toBe(0);
    expect(before.value('queue_metrics_available_mb', { queue: 'root' })).toBe(8192);

    const appId = await h.submit();
    const am = new MockAm(h.app, nm.started.at(-1)!);
    await am.register('http://localhost:1234/ui');
    await am.allocate([ask(2, 2048), { ...ask(50, 2048), allocationRequestId: 1 }]);
    const running = await scrape(`${h.rm.url}/prom`);
    expect(running.value('queue_metrics_apps_submitted', { queue: 'root.default' })).toBe(1);
    expect(running.value('queue_metrics_apps_submitted', { queue: 'root' })).toBe(1);
    expect(running.value('queue_metrics_apps_running', { queue: 'root.default' })).toBe(1);
    // The AM (1024 MB) and three 2048 MB containers fill the 8192 MB node; the rest stays pending.
    expect(running.value('queue_metrics_allocated_mb', { queue: 'root.default' })).toBe(1024 + 3 * 2048);
    expect(running.value('queue_metrics_allocated_v_cores', { queue: 'root.default' })).toBe(4);
    expect(running.value('queue_metrics_available_mb', { queue: 'root.default' })).toBe(1024);
    expect(running.value('queue_metrics_pending_mb', { queue: 'root.default' })).toBeGreaterThan(0);
    expect(running.value('capacity_scheduler_metrics_allocate_num_ops')).toBeGreaterThan(0);
    expect(running.value('capacity_scheduler_metrics_allocate_avg_time')).toBeGreaterThanOrEqual(0);

    await am.finish('SUCCEEDED');
    const done = await scrape(`${h.rm.url}/prom`);
    expect(done.value('queue_metrics_apps_completed', { queue: 'root.default' })).toBe(1);
    expect(done.value('queue_metrics_apps_running', { queue: 'root.default' })).toBe(0);
    void appId;
  });
});
