import { afterEach, describe, expect, it } from 'vitest';
import { scrape } from '../../fixtures/prometheus-scrape.ts';
import { attemptId, containerId, startNm, waitFor, type NmHarness } from './nm-fixture.ts';

let h: NmHarness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

describe('the NM Prometheus endpoint (/prom)', () => {
  it('counts containers launched, completed, failed and killed, and shows a live container’s allocation and memory', async () => {
    h = await startNm({}, 4096);
    const prom = `${h.nm.url}/prom`;
    const empty = await scrape(prom);
    expect(empty.value('node_manager_metrics_containers_launched', { context: 'yarn' })).toBe(0);
    expect(empty.value('node_manager_metrics_available_gb')).toBe(4);

    const ok = containerId(2);
    const bad = containerId(3);
    await h.start(ok, ['exit 0']);
    await h.start(bad, ['exit 5']);
    await waitFor('both exited', () => h!.rm.lastStatus(ok)?.state === 'COMPLETE' && h!.rm.lastStatus(bad)?.state === 'COMPLETE');

    const sleeper = containerId(4);
    await h.start(sleeper, ['sleep 30'], { memoryMb: 2048 });
    // The monitor samples every 200 ms here: wait for the first sample of the sleeping container.
    const live = await waitFor('a memory sample of the running container', async () => {
      const s = await scrape(prom);
      return s.value('container_resource_p_mem_usage_m_bs', { container_id: sleeper }) !== undefined ? s : undefined;
    });
    expect(live.value('node_manager_metrics_containers_running')).toBe(1);
    expect(live.value('node_manager_metrics_allocated_gb')).toBe(2);
    expect(live.value('node_manager_metrics_available_gb')).toBe(2);
    expect(live.value('container_resource_p_mem_limit_m_bs', { container_id: sleeper })).toBe(2048);
    expect(live.value('container_resource_p_mem_usage_m_bs', { container_id: sleeper })).toBeGreaterThan(0);

    await h.cmAs(attemptId()).stopContainers({ body: { containerIds: [sleeper] } });
    await waitFor('the sleeper killed', () => h!.rm.lastStatus(sleeper)?.state === 'COMPLETE');
    const after = await scrape(prom);
    expect(after.value('node_manager_metrics_containers_launched')).toBe(3);
    expect(after.value('node_manager_metrics_containers_completed')).toBe(1);
    expect(after.value('node_manager_metrics_containers_failed')).toBe(1);
    expect(after.value('node_manager_metrics_containers_killed')).toBe(1);
    expect(after.value('node_manager_metrics_containers_running')).toBe(0);
    // A container that is gone has no series any more.
    expect(after.series('container_resource_p_mem_limit_m_bs')).toHaveLength(0);
  });
});
