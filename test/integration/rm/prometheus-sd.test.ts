import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { AllocateResponse } from '../../../rm/protocol/am-rm.ts';
import { PrometheusSdTargetGroup } from '../../../rm/protocol/client-rm.ts';
import { MockAm } from '../../doubles/mock-am.ts';
import { containerIdOf } from '../../doubles/mock-nm.ts';
import { RmHarness, settle } from '../../doubles/rm-harness.ts';

let h: RmHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function serviceDiscovery(): Promise<PrometheusSdTargetGroup[]> {
  const res = await request(h!.rm.app).get('/ws/v1/cluster/prometheus-sd').expect(200).expect('content-type', /json/);
  return PrometheusSdTargetGroup.array().parse(res.body);
}

const byComponent = (groups: PrometheusSdTargetGroup[], component: string) => groups.filter((g) => g.labels.weft_component === component);

describe('Prometheus HTTP service discovery (/ws/v1/cluster/prometheus-sd)', () => {
  it("lists the RM, its NMs and the containers an AM announced while they live; a completed container or a finished app drops out", async () => {
    h = await new RmHarness().start();
    const nm = await h.addNode('a:1', 8192, 8);
    const rmHost = new URL(h.rm.ctx.rmAddress).host;
    const idle = await serviceDiscovery();
    expect(idle).toEqual([
      { targets: [rmHost], labels: { __metrics_path__: '/prom', weft_component: 'resourcemanager' } },
      { targets: [h.rm.ctx.nodes.get('a:1')!.httpAddress], labels: { __metrics_path__: '/prom', weft_component: 'nodemanager', node_id: 'a:1' } },
    ]);

    const appId = await h.submit({ queue: 'default' }, 'alice');
    const launch = nm.started.at(-1)!;
    const amContainerId = containerIdOf(launch.containerToken);
    const am = new MockAm(h.app, launch);
    await am.register('http://a:8081/');
    const allocate = async (metricsEndpoints?: object[], ask: object[] = []): Promise<AllocateResponse> => {
      const res = await am.post('allocate', { ask, release: [], responseId: am.responseId, progress: 0.5, ...(metricsEndpoints ? { metricsEndpoints } : {}) }).expect(200);
      am.responseId = (res.body as AllocateResponse).responseId;
      return res.body as AllocateResponse;
    };
    const granted = await allocate(undefined, [{ priority: 1, resourceName: '*', capability: { memory: 1024, vCores: 1 }, numContainers: 1 }]);
    const tmContainerId = granted.allocatedContainers[0]!.id;
    await allocate([
      { containerId: amContainerId, address: 'a:8081', component: 'jobmanager' },
      { containerId: tmContainerId, address: 'a:40123', metricsPath: '/prom', component: 'taskmanager' },
    ]);

    const running = await serviceDiscovery();
    const containerLabels = { app_id: appId, queue: 'default', user: 'alice', node_id: 'a:1', __metrics_path__: '/prom' };
    expect(byComponent(running, 'jobmanager')).toEqual([{ targets: ['a:8081'], labels: { ...containerLabels, weft_component: 'jobmanager', container_id: amContainerId } }]);
    expect(byComponent(running, 'taskmanager')).toEqual([{ targets: ['a:40123'], labels: { ...containerLabels, weft_component: 'taskmanager', container_id: tmContainerId } }]);

    // An allocate without the list leaves it as it was.
    await allocate();
    expect(byComponent(await serviceDiscovery(), 'taskmanager')).toHaveLength(1);

    // The TaskManager's container ends: gone at once, before the AM says anything.
    await nm.heartbeat([{ containerId: tmContainerId, state: 'COMPLETE', exitStatus: 0, diagnostics: '' }]);
    await settle();
    const afterTm = await serviceDiscovery();
    expect(byComponent(afterTm, 'taskmanager')).toEqual([]);
    expect(byComponent(afterTm, 'jobmanager')).toHaveLength(1);

    await am.finish('SUCCEEDED');
    await nm.heartbeat([{ containerId: amContainerId, state: 'COMPLETE', exitStatus: 0, diagnostics: '' }]);
    await settle();
    expect(await serviceDiscovery()).toEqual(idle);
  });

  it('refuses an endpoint that is not host:port', async () => {
    h = await new RmHarness().start();
    const nm = await h.addNode('a:1', 8192, 8);
    await h.submit();
    const launch = nm.started.at(-1)!;
    const am = new MockAm(h.app, launch);
    await am.register();
    const res = await am.post('allocate', { ask: [], release: [], responseId: 0, metricsEndpoints: [{ containerId: containerIdOf(launch.containerToken), address: 'http://a:8081/prom', component: 'jobmanager' }] });
    expect(res.status).toBe(400);
  });
});
