import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { createMemoryLogger } from '../../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import type { TaskManagerMetricsInfo } from '../../../../runtime/protocol/task-manager-metrics-info.ts';
import { FlinkResourceManager } from '../../../../runtime/resourcemanager/flink-resource-manager.ts';
import { taskManagerDetailsInfo } from '../../../../runtime/rest/task-manager-info.ts';
import { FakeDriver, FakeTaskExecutors, registration } from './fakes.ts';

const figures = (heapUsed: number, used: number): TaskManagerMetricsInfo => ({
  heapUsed,
  heapCommitted: 64 << 20,
  heapMax: 2048 << 20,
  nonHeapUsed: 1 << 20,
  nonHeapCommitted: 1 << 20,
  nonHeapMax: -1,
  directCount: used,
  directUsed: used * 32768,
  directMax: used * 32768,
  mappedCount: 0,
  mappedUsed: 0,
  mappedMax: 0,
  memorySegmentsAvailable: 2048 - used,
  memorySegmentsTotal: 2048,
  nettyShuffleMemorySegmentsAvailable: 2048 - used,
  nettyShuffleMemorySegmentsUsed: used,
  nettyShuffleMemorySegmentsTotal: 2048,
  nettyShuffleMemoryAvailable: (2048 - used) * 32768,
  nettyShuffleMemoryUsed: used * 32768,
  nettyShuffleMemoryTotal: 2048 * 32768,
  garbageCollectors: [{ name: 'Scavenge', count: 3, time: 7 }],
});

const tick = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe("/taskmanagers/:id shows the TaskManager's own memory and buffers, as its heartbeats report them", () => {
  it('zeros before the first heartbeat; then the figures of the latest heartbeat, either direction', async () => {
    const clock = new ManualClock();
    const tes = new FakeTaskExecutors();
    const config = createFlinkConfiguration({ 'heartbeat.interval': '1000', 'heartbeat.timeout': '5000' });
    const rm = new FlinkResourceManager({ config, clock, logger: createMemoryLogger().logger, driver: new FakeDriver(), taskExecutors: tes.factory });
    await rm.start();
    const handlers = rm.handlers();
    const res = await handlers.registerTaskExecutor({ body: registration('tm1'), params: {}, query: {}, caller: undefined, origin: '' });
    if (!('status' in res) || res.status !== 'success') throw new Error('registration rejected');
    const details = () => taskManagerDetailsInfo(rm.taskManagers()[0]!).metrics;
    expect(details()).toMatchObject({ heapUsed: 0, nettyShuffleMemorySegmentsTotal: 0, garbageCollectors: [] });

    // TM -> RM heartbeat.
    await handlers.heartbeatFromTaskManager({ body: { resourceId: 'tm1', instanceId: res.instanceId, slotReport: [], metrics: figures(5 << 20, 4) }, params: {}, query: {}, caller: undefined, origin: '' });
    expect(details()).toEqual(figures(5 << 20, 4));

    // RM -> TM heartbeat: the answer carries newer figures.
    tes.metrics.set(registration('tm1').location.address, figures(6 << 20, 10));
    clock.advance(1000);
    await tick();
    expect(details().nettyShuffleMemorySegmentsUsed).toBe(10);
    expect(details().heapUsed).toBe(6 << 20);
    await rm.stop();
  });
});
