import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../rm/common/clock.ts';
import { errorHandler, jsonBody, registerRoutes } from '../../../rm/common/http-server.ts';
import { createSilentLogger } from '../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../runtime/config/flink-configuration.ts';
import { httpResourceManagerTaskExecutorGateway, resourceManagerRoutes, type ResourceManagerTaskExecutorGateway } from '../../../runtime/protocol/resource-manager-gateway.ts';
import { FlinkResourceManager } from '../../../runtime/resourcemanager/flink-resource-manager.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { FakeDriver, FakeTaskExecutors, JOB_A, registration } from '../../unit/runtime/resourcemanager/fakes.ts';
import { failure } from './call-failure.ts';

/**
 * The Flink RM's TaskManager-facing contract (ResourceManagerTaskExecutorGateway): the HTTP
 * client against the JobManager's port and the RM's in-process gateway register TaskManagers,
 * take their heartbeats, slot reports and freed slots, and forget them alike.
 */
interface RunningRm {
  readonly rm: FlinkResourceManager;
  readonly tes: FakeTaskExecutors;
  readonly url: string;
  readonly server: Server;
  readonly lost: string[];
}

type Transport = (r: RunningRm) => ResourceManagerTaskExecutorGateway;
const transports: Record<string, Transport> = {
  http: (r) => httpResourceManagerTaskExecutorGateway(r.url),
  'in-process': (r) => r.rm.taskExecutorGateway(),
};

let running: RunningRm | undefined;
afterEach(async () => {
  if (!running) return;
  const { rm, server } = running;
  running = undefined;
  await rm.stop();
  await new Promise<void>((r) => server.close(() => r()));
});

async function resourceManager(): Promise<RunningRm> {
  const tes = new FakeTaskExecutors();
  const config = createFlinkConfiguration({ 'taskmanager.numberOfTaskSlots': '2', 'heartbeat.interval': '1000', 'heartbeat.timeout': '5000' });
  const rm = new FlinkResourceManager({ config, clock: new ManualClock(), logger: createSilentLogger(), driver: new FakeDriver(), taskExecutors: tes.factory });
  await rm.start();
  const lost: string[] = [];
  rm.onTaskManagerLost((resourceId) => lost.push(resourceId));
  const app = express();
  app.use(jsonBody());
  const router = express.Router();
  registerRoutes(router, resourceManagerRoutes, rm.handlers(), () => undefined);
  app.use(router);
  app.use(errorHandler(createSilentLogger()));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  running = { rm, tes, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, lost };
  return running;
}

async function registered(gateway: ResourceManagerTaskExecutorGateway, resourceId: string): Promise<string> {
  const res = await gateway.registerTaskExecutor({ body: registration(resourceId) });
  if (res.status !== 'success') throw new Error(`registration rejected: ${res.reason}`);
  return res.instanceId;
}

const declare = (rm: FlinkResourceManager, slots: number): void =>
  rm.declareRequiredResources({ jobId: JOB_A, jobMasterAddress: 'http://jm', requirements: [{ resourceProfile: { cpuCores: 0, taskHeapMemoryMb: 0, managedMemoryMb: 0 }, numberOfRequiredSlots: slots }] });

describe.each(Object.keys(transports))('ResourceManagerTaskExecutorGateway over %s', (name) => {
  const connect = transports[name]!;

  it('registers a TaskManager with the heartbeat settings, knows its heartbeats and takes its slot reports', async () => {
    const r = await resourceManager();
    const gateway = connect(r);
    const res = await gateway.registerTaskExecutor({ body: registration('tm1') });
    expect(res).toMatchObject({ status: 'success', resourceManagerId: r.rm.resourceManagerId, heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 5000 });
    const instanceId = res.status === 'success' ? res.instanceId : '';
    expect(await gateway.heartbeatFromTaskManager({ body: { resourceId: 'tm1', instanceId, slotReport: [] } })).toEqual({ known: true });
    expect(await gateway.heartbeatFromTaskManager({ body: { resourceId: 'tm1', instanceId: '0'.repeat(32), slotReport: [] } })).toEqual({ known: false });
    expect(r.rm.taskManagers()).toMatchObject([{ resourceId: 'tm1', numberOfSlots: 2, freeSlots: 2 }]);

    const profile = { cpuCores: 1, taskHeapMemoryMb: 256, managedMemoryMb: 0 };
    const slotReport = [
      { slotId: { resourceId: 'tm1', slotNumber: 0 }, resourceProfile: profile, allocationId: 'c'.repeat(32), jobId: JOB_A },
      { slotId: { resourceId: 'tm1', slotNumber: 1 }, resourceProfile: profile, allocationId: null, jobId: null },
    ];
    await gateway.sendSlotReport({ body: { resourceId: 'tm1', instanceId, slotReport } });
    expect(r.rm.taskManagers()[0]).toMatchObject({ freeSlots: 1, allocatedSlots: [{ jobId: JOB_A, slotNumber: 0, allocationId: 'c'.repeat(32) }] });
  });

  it('frees a slot the TaskManager says is available again', async () => {
    const r = await resourceManager();
    const gateway = connect(r);
    const instanceId = await registered(gateway, 'tm1');
    declare(r.rm, 1);
    const request = await waitFor(() => r.tes.slotRequests[0], { description: 'a slot request to the TaskManager', intervalMs: 10 });
    expect(r.rm.taskManagers()[0]!.freeSlots).toBe(1);
    declare(r.rm, 0);
    await gateway.notifySlotAvailable({ body: { resourceId: 'tm1', instanceId, slotId: { resourceId: 'tm1', slotNumber: request.slotNumber }, allocationId: request.allocationId } });
    expect(r.rm.taskManagers()[0]!.freeSlots).toBe(2);
  });

  it('forgets a TaskManager that disconnects, and refuses calls of unregistered ones and malformed requests', async () => {
    const r = await resourceManager();
    const gateway = connect(r);
    const instanceId = await registered(gateway, 'tm1');
    await gateway.disconnectTaskManager({ body: { resourceId: 'tm1', cause: 'TaskManager shutting down' } });
    expect(r.rm.taskManagers()).toEqual([]);
    expect(r.lost).toEqual(['tm1']);
    expect(await gateway.heartbeatFromTaskManager({ body: { resourceId: 'tm1', instanceId, slotReport: [] } })).toEqual({ known: false });
    const gone = await failure(gateway.sendSlotReport({ body: { resourceId: 'tm1', instanceId, slotReport: [] } }));
    expect(gone.kind).toBe('NotFound');
    expect(gone.message).toContain('is not registered');
    const bad = await failure(gateway.registerTaskExecutor({ body: { ...registration('tm2'), numberOfSlots: 0 } }));
    expect(bad.kind).toBe('BadRequest');
  });
});
