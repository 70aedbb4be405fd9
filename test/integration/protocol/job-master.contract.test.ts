import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../rm/common/clock.ts';
import { createSilentLogger } from '../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../runtime/config/flink-configuration.ts';
import { Dispatcher } from '../../../runtime/dispatcher/dispatcher.ts';
import { httpJobMasterGateways, type JobMasterGateway } from '../../../runtime/protocol/job-master-gateway.ts';
import { ANY_RESOURCE_PROFILE, newFlinkId } from '../../../runtime/protocol/records.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { TestingResourceManagerGateway } from '../../doubles/testing-resource-manager-gateway.ts';
import { TestingTaskExecutor } from '../../doubles/testing-task-executor.ts';
import { JOB_FILE, pipeline } from '../../unit/runtime/jobmaster/test-job-graphs.ts';
import { failure } from './call-failure.ts';

/**
 * JobMasterGateway's contract: the HTTP client against the JobManager's RPC port and the
 * Dispatcher's in-process gateway take a TaskManager's registration, slot offers and task states
 * alike (a job runs to FINISHED through either), and refuse alike.
 */
interface JobManager {
  readonly dispatcher: Dispatcher;
  readonly tm: TestingTaskExecutor;
  readonly address: string;
  readonly server: Server;
  readonly blobs: string;
}

type Transport = (jm: JobManager) => JobMasterGateway;
const transports: Record<string, Transport> = {
  http: (jm) => httpJobMasterGateways({ retries: 0 })(jm.address),
  'in-process': (jm) => jm.dispatcher.jobMasterGateway(),
};

let jm: JobManager | undefined;
afterEach(async () => {
  if (!jm) return;
  const { dispatcher, server, blobs } = jm;
  jm = undefined;
  dispatcher.stop();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(blobs, { recursive: true, force: true });
});

async function jobManager(): Promise<JobManager> {
  const blobs = mkdtempSync(join(tmpdir(), 'weft-jm-'));
  const tm = new TestingTaskExecutor('container_1_0001_01_000002');
  let address = '';
  const dispatcher = new Dispatcher({
    config: createFlinkConfiguration({ 'taskmanager.numberOfTaskSlots': '4' }),
    clock: new SystemClock(),
    logger: createSilentLogger(),
    resourceManager: new TestingResourceManagerGateway(),
    jobManagerAddress: () => address,
    blobDirectory: blobs,
    // The JobMasters deploy into the testing TaskManager in-process: the gateway under test is the other direction.
    taskExecutorGateway: () => tm.gateway(),
  });
  const app = express();
  app.use(dispatcher.rpcRouter());
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  jm = { dispatcher, tm, address, server, blobs };
  return jm;
}

const offers = (count: number) => Array.from({ length: count }, (_, slotIndex) => ({ allocationId: newFlinkId(), slotIndex, resourceProfile: ANY_RESOURCE_PROFILE }));

describe.each(Object.keys(transports))('JobMasterGateway over %s', (name) => {
  const connect = transports[name]!;

  it('registers a TaskManager, accepts the slots the job needs, takes task states and finishes the job', async () => {
    const cluster = await jobManager();
    const gateway = connect(cluster);
    const { tm } = cluster;
    const jobId = await cluster.dispatcher.submitJob({ jobGraph: pipeline(2), jobFile: JOB_FILE });
    const params = { jobId };
    const { jobMasterId } = await gateway.registerTaskManager({ params, body: { location: tm.location } });
    expect(jobMasterId).toMatch(/^[0-9a-f]{32}$/);
    const { accepted } = await gateway.offerSlots({ params, body: { resourceId: tm.resourceId, offers: offers(4) } });
    expect(accepted).toHaveLength(2);
    await waitFor(() => tm.submitted.length === 5, { description: 'five tasks deployed', intervalMs: 10 });

    for (const state of ['INITIALIZING', 'RUNNING'] as const) {
      for (const tdd of tm.submitted) {
        expect(await gateway.updateTaskExecutionState({ params, body: { executionAttemptId: tdd.executionAttemptId, state } })).toEqual({ acknowledged: true });
      }
    }
    expect(await cluster.dispatcher.requestJobStatus(jobId)).toBe('RUNNING');
    const executions = tm.submitted.map((t) => ({ executionAttemptId: t.executionAttemptId, state: 'RUNNING' as const }));
    expect(await gateway.heartbeatFromTaskManager({ params, body: { resourceId: tm.resourceId, executions } })).toEqual({ known: true });

    const sink = tm.submitted.find((t) => t.taskName.startsWith('Sink'))!;
    await gateway.addCollectResults({ params, body: { executionAttemptId: sink.executionAttemptId, sinkName: 'out', records: [['a', 1]] } });
    expect(cluster.dispatcher.collectResults(jobId, 'out')).toEqual([['a', 1]]);

    for (const tdd of tm.submitted) await gateway.updateTaskExecutionState({ params, body: { executionAttemptId: tdd.executionAttemptId, state: 'FINISHED' } });
    expect((await cluster.dispatcher.requestJobResult(jobId)).status).toBe('FINISHED');
  });

  it('forgets a TaskManager that disconnects: its next heartbeat is not known', async () => {
    const cluster = await jobManager();
    const gateway = connect(cluster);
    const { tm } = cluster;
    const jobId = await cluster.dispatcher.submitJob({ jobGraph: pipeline(1), jobFile: JOB_FILE });
    const params = { jobId };
    await gateway.registerTaskManager({ params, body: { location: tm.location } });
    expect(await gateway.heartbeatFromTaskManager({ params, body: { resourceId: tm.resourceId, executions: [] } })).toEqual({ known: true });
    await gateway.disconnectTaskManager({ params, body: { resourceId: tm.resourceId, cause: 'TaskManager shutting down' } });
    expect(await gateway.heartbeatFromTaskManager({ params, body: { resourceId: tm.resourceId, executions: [] } })).toEqual({ known: false });
  });

  it('refuses a job it does not run and a malformed request, and does not acknowledge an unknown attempt', async () => {
    const cluster = await jobManager();
    const gateway = connect(cluster);
    const jobId = await cluster.dispatcher.submitJob({ jobGraph: pipeline(1), jobFile: JOB_FILE });
    const unknownJob = await failure(gateway.registerTaskManager({ params: { jobId: newFlinkId() }, body: { location: cluster.tm.location } }));
    expect(unknownJob.kind).toBe('NotFound');
    expect(unknownJob.message).toMatch(/Job [0-9a-f]{32} not found/);
    const bad = await failure(gateway.offerSlots({ params: { jobId }, body: { resourceId: 'tm', offers: 'all' } as never }));
    expect(bad.kind).toBe('BadRequest');
    expect(await gateway.updateTaskExecutionState({ params: { jobId }, body: { executionAttemptId: newFlinkId(), state: 'RUNNING' } })).toEqual({ acknowledged: false });
  });
});
