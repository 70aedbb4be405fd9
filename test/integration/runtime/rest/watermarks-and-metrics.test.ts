import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SystemClock } from '../../../../rm/common/clock.ts';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import { Dispatcher } from '../../../../runtime/dispatcher/dispatcher.ts';
import { httpJobMasterGateways } from '../../../../runtime/protocol/job-master-gateway.ts';
import type { TaskMetricsReport } from '../../../../runtime/protocol/records.ts';
import type { TaskDeploymentDescriptor } from '../../../../runtime/protocol/task-deployment-descriptor.ts';
import { createFlinkRestRouter } from '../../../../runtime/rest/flink-rest-router.ts';
import type { JobWatermarksInfo } from '../../../../runtime/rest/job-watermarks-info.ts';
import { NO_TIMESTAMP } from '../../../../runtime/streaming/stream-element.ts';
import { TestingResourceManagerGateway } from '../../../doubles/testing-resource-manager-gateway.ts';
import { TestingTaskExecutor } from '../../../doubles/testing-task-executor.ts';
import { hexId, pipeline } from '../../../unit/runtime/jobmaster/test-job-graphs.ts';

/**
 * A JobManager's REST API over what tasks report: Source (2) -> Keyed Map (2) -> Sink (1), where
 * source subtask 1 lags (its watermark is 2000, subtask 0's is 5000) and Keyed Map subtask 1 has
 * gone idle. Reports are sent as a TaskManager sends them, with the task's state.
 */
let blobs: string;
let server: Server;
let dispatcher: Dispatcher;
let address = '';
let tm: TestingTaskExecutor;

beforeEach(async () => {
  blobs = mkdtempSync(join(tmpdir(), 'weft-jm-'));
  const rm = new TestingResourceManagerGateway();
  const config = createFlinkConfiguration({ 'taskmanager.numberOfTaskSlots': '4' });
  const logger = createSilentLogger();
  const clock = new SystemClock();
  dispatcher = new Dispatcher({ config, clock, logger, resourceManager: rm, jobManagerAddress: () => address, blobDirectory: blobs });
  const app = express();
  app.use(dispatcher.rpcRouter());
  app.use(createFlinkRestRouter({ dispatcher, resourceManager: rm, config, clock, logger }));
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tm = new TestingTaskExecutor('container_1_0001_01_000002');
  await tm.listen();
});

afterEach(async () => {
  dispatcher.stop();
  await tm.close();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(blobs, { recursive: true, force: true });
});

const SOURCE = hexId('Source: Sequence');
const MAP = hexId('Keyed Map');
const SINK = hexId('Sink: Collect');

const op = (name: string, metrics: Record<string, number>): TaskMetricsReport['operators'][number] => ({ id: hexId(name), name, metrics });

function reportFor(tdd: TaskDeploymentDescriptor): TaskMetricsReport {
  const i = tdd.subtaskIndex;
  if (tdd.jobVertexId === SOURCE) return { watermarkStatus: 'ACTIVE', inputs: [], operators: [op('Source: Sequence', { currentOutputWatermark: i === 0 ? 5000 : 2000 })] };
  if (tdd.jobVertexId === MAP) {
    return {
      currentInputWatermark: 2000,
      watermarkStatus: i === 1 ? 'IDLE' : 'ACTIVE',
      inputs: [{ sourceVertexId: SOURCE, channels: [{ producerSubtaskIndex: 0, watermark: 5000, status: 'ACTIVE' }, { producerSubtaskIndex: 1, watermark: 2000, status: 'ACTIVE' }] }],
      heldBackBy: { gate: 0, channel: 1 },
      operators: [op('Keyed Map', { currentInputWatermark: 2000, currentOutputWatermark: 2000, numLateRecordsDropped: i === 0 ? 3 : 1 })],
    };
  }
  return {
    currentInputWatermark: NO_TIMESTAMP,
    watermarkStatus: 'ACTIVE',
    inputs: [{ sourceVertexId: MAP, channels: [{ producerSubtaskIndex: 0, watermark: NO_TIMESTAMP, status: 'ACTIVE' }, { producerSubtaskIndex: 1, watermark: NO_TIMESTAMP, status: 'IDLE' }] }],
    heldBackBy: { gate: 0, channel: 0 },
    operators: [op('Sink: Collect', { currentInputWatermark: NO_TIMESTAMP, currentOutputWatermark: NO_TIMESTAMP })],
  };
}

async function runningJob(): Promise<string> {
  const jobId = await dispatcher.submitJob({ jobGraph: pipeline(2), jobFile: { blobKey: 'k', fileName: 'job.ts', args: [] } });
  expect(await tm.offerSlots(address, jobId, 4)).toHaveLength(2);
  await vi.waitFor(() => expect(tm.submitted).toHaveLength(5));
  await tm.reportAll(address, jobId, 'RUNNING');
  return jobId;
}

async function reportMetrics(jobId: string): Promise<void> {
  const jm = httpJobMasterGateways({ retries: 0 })(address);
  for (const tdd of tm.submitted) {
    const ioMetrics = { readBytes: 0, writeBytes: 0, readRecords: 10 * (tdd.subtaskIndex + 1), writeRecords: 0, accumulatedBusyTimeMs: 0, accumulatedIdleTimeMs: 0, accumulatedBackPressuredTimeMs: 0, busyTimeMsPerSecond: 0, idleTimeMsPerSecond: 0, backPressuredTimeMsPerSecond: 0 };
    await jm.updateTaskExecutionState({ params: { jobId }, body: { executionAttemptId: tdd.executionAttemptId, state: 'RUNNING', ioMetrics, metrics: reportFor(tdd) } });
  }
}

describe('watermarks and metrics over Flink REST', () => {
  it("GET /jobs/:jobid/vertices/:vertexid/watermarks answers each subtask's currentInputWatermark as Flink prints it", async () => {
    const jobId = await runningJob();
    // Nothing reported yet: no metric, as Flink answers before its MetricFetcher saw the task.
    expect((await request(server).get(`/jobs/${jobId}/vertices/${MAP}/watermarks`).expect(200)).body).toEqual([]);
    await reportMetrics(jobId);
    expect((await request(server).get(`/jobs/${jobId}/vertices/${MAP}/watermarks`).expect(200)).body).toEqual([
      { id: '0.currentInputWatermark', value: '2000' },
      { id: '1.currentInputWatermark', value: '2000' },
    ]);
    // No watermark yet is Long.MIN_VALUE; a source task has no input watermark at all.
    expect((await request(server).get(`/v1/jobs/${jobId}/vertices/${SINK}/watermarks`).expect(200)).body).toEqual([{ id: '0.currentInputWatermark', value: '-9223372036854775808' }]);
    expect((await request(server).get(`/jobs/${jobId}/vertices/${SOURCE}/watermarks`).expect(200)).body).toEqual([]);

    const missing = await request(server).get(`/jobs/${jobId}/vertices/${'f'.repeat(32)}/watermarks`).expect(404);
    expect(missing.body).toEqual({ errors: [expect.stringContaining('f'.repeat(32))] });
  });

  it('GET .../vertices/:vertexid/metrics lists the metric ids without `get` and answers values with it', async () => {
    const jobId = await runningJob();
    await reportMetrics(jobId);
    const ids = (await request(server).get(`/jobs/${jobId}/vertices/${MAP}/metrics`).expect(200)).body as { id: string }[];
    expect(ids.every((m) => Object.keys(m).join() === 'id')).toBe(true);
    expect(ids.map((m) => m.id)).toEqual(expect.arrayContaining(['0.currentInputWatermark', '1.Keyed Map.currentOutputWatermark', '0.Keyed Map.numLateRecordsDropped', '1.numRecordsIn']));

    const values = await request(server).get(`/jobs/${jobId}/vertices/${MAP}/metrics`).query({ get: '0.Keyed Map.numLateRecordsDropped,1.numRecordsIn,0.nope' }).expect(200);
    expect(values.body).toEqual([
      { id: '0.Keyed Map.numLateRecordsDropped', value: '3' },
      { id: '1.numRecordsIn', value: '20' },
    ]);
    const subtask = await request(server).get(`/jobs/${jobId}/vertices/${SOURCE}/subtasks/1/metrics`).query({ get: 'Source: Sequence.currentOutputWatermark' }).expect(200);
    expect(subtask.body).toEqual([{ id: 'Source: Sequence.currentOutputWatermark', value: '2000' }]);
  });

  it('GET .../subtasks/metrics aggregates over subtasks with `agg` and `subtasks`, as Flink does', async () => {
    const jobId = await runningJob();
    await reportMetrics(jobId);
    const url = `/jobs/${jobId}/vertices/${MAP}/subtasks/metrics`;
    expect(((await request(server).get(url).expect(200)).body as { id: string }[]).map((m) => m.id)).toContain('Keyed Map.numLateRecordsDropped');
    expect((await request(server).get(url).query({ get: 'Keyed Map.numLateRecordsDropped' }).expect(200)).body).toEqual([{ id: 'Keyed Map.numLateRecordsDropped', min: 1, max: 3, avg: 2, sum: 4, skew: 50 }]);
    expect((await request(server).get(url).query({ get: 'numRecordsIn', agg: 'min,max', subtasks: '1' }).expect(200)).body).toEqual([{ id: 'numRecordsIn', min: 20, max: 20 }]);
    expect((await request(server).get(url).query({ get: 'numRecordsIn', subtasks: '0-1', agg: 'sum' }).expect(200)).body).toEqual([{ id: 'numRecordsIn', sum: 30 }]);
    // A metric no subtask has empties the answer (AbstractAggregatingMetricsHandler).
    expect((await request(server).get(url).query({ get: 'numRecordsIn,nope' }).expect(200)).body).toEqual([]);
    const bad = await request(server).get(url).query({ get: 'numRecordsIn', agg: 'median' }).expect(400);
    expect((bad.body as { errors: string[] }).errors[0]).toMatch(/median/);
  });

  it('GET /jobs/:jobid/watermarks says which subtask and which input channel holds each vertex back, or that it is idle', async () => {
    const jobId = await runningJob();
    await reportMetrics(jobId);
    const body = (await request(server).get(`/jobs/${jobId}/watermarks`).expect(200)).body as JobWatermarksInfo;
    const [source, map, sink] = body.vertices as [JobWatermarksInfo['vertices'][number], JobWatermarksInfo['vertices'][number], JobWatermarksInfo['vertices'][number]];
    expect(source).toMatchObject({ id: SOURCE, source: true, 'low-watermark': '2000', status: 'ACTIVE', 'held-back-by': { subtask: 1, input: null } });
    expect(map).toMatchObject({
      id: MAP,
      source: false,
      'low-watermark': '2000',
      'held-back-by': { subtask: 0, input: { 'vertex-id': SOURCE, 'vertex-name': 'Source: Sequence', subtask: 1, watermark: '2000', status: 'ACTIVE' } },
    });
    expect(map.subtasks[1]).toMatchObject({ subtask: 1, watermark: '2000', status: 'IDLE' });
    expect(map.subtasks[0]!.channels.map((c) => [c.subtask, c.watermark])).toEqual([[0, '5000'], [1, '2000']]);
    expect(sink).toMatchObject({ 'low-watermark': '-9223372036854775808', 'held-back-by': { subtask: 0, input: { 'vertex-name': 'Keyed Map', subtask: 0, status: 'ACTIVE' } } });
    expect(sink.subtasks[0]!.channels[1]).toMatchObject({ subtask: 1, status: 'IDLE' });
    // Followed upstream, the sink's wait starts at the lagging source subtask.
    expect(sink.origin).toEqual({ 'vertex-id': SOURCE, 'vertex-name': 'Source: Sequence', subtask: 1 });
    expect(map.origin).toEqual({ 'vertex-id': SOURCE, 'vertex-name': 'Source: Sequence', subtask: 1 });
    expect(source.origin).toEqual({ 'vertex-id': SOURCE, 'vertex-name': 'Source: Sequence', subtask: 1 });
  });
});
