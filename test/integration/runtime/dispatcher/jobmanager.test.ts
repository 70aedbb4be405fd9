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
import { compiledSourceName } from '../../../../runtime/api/job-file-compiler.ts';
import { Dispatcher } from '../../../../runtime/dispatcher/dispatcher.ts';
import type { JobGraph } from '../../../../runtime/jobgraph/job-graph.ts';
import { httpJobMasterGateways } from '../../../../runtime/protocol/job-master-gateway.ts';
import { ANY_RESOURCE_PROFILE } from '../../../../runtime/protocol/records.ts';
import { createFlinkRestRouter } from '../../../../runtime/rest/flink-rest-router.ts';
import { TestingResourceManagerGateway } from '../../../doubles/testing-resource-manager-gateway.ts';
import { TestingTaskExecutor } from '../../../doubles/testing-task-executor.ts';
import { JOB_FILE, pipeline } from '../../../unit/runtime/jobmaster/test-job-graphs.ts';

interface Cluster {
  app: express.Express;
  address: string;
  dispatcher: Dispatcher;
  rm: TestingResourceManagerGateway;
  tm1: TestingTaskExecutor;
  tm2: TestingTaskExecutor;
  loads: { path: string; args: readonly string[]; parallelism?: number }[];
  shutdowns: number;
}

let cluster: Cluster;
let server: Server;
let blobDir: string;

beforeEach(async () => {
  blobDir = mkdtempSync(join(tmpdir(), 'weft-jm-'));
  const rm = new TestingResourceManagerGateway();
  const config = createFlinkConfiguration({
    'restart-strategy.type': 'fixed-delay',
    'restart-strategy.fixed-delay.attempts': '1',
    'restart-strategy.fixed-delay.delay': '50 ms',
    'taskmanager.numberOfTaskSlots': '2',
    'rest.server.max-content-length': '65536',
  });
  const loads: Cluster['loads'] = [];
  let address = '';
  const dispatcher = new Dispatcher({
    config,
    clock: new SystemClock(),
    logger: createSilentLogger(),
    resourceManager: rm,
    jobManagerAddress: () => address,
    blobDirectory: blobDir,
    loadJobGraph: async (path, args, options) => {
      loads.push({ path, args, ...(options.parallelism === undefined ? {} : { parallelism: options.parallelism }) });
      return pipeline(options.parallelism ?? 1);
    },
  });
  const app = express();
  app.use(dispatcher.rpcRouter());
  const state = { shutdowns: 0 };
  app.use(createFlinkRestRouter({ dispatcher, resourceManager: rm, config, clock: new SystemClock(), logger: createSilentLogger(), shutdown: () => void state.shutdowns++ }));
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tm1 = new TestingTaskExecutor('container_1_0001_01_000002');
  const tm2 = new TestingTaskExecutor('container_1_0001_01_000003');
  await tm1.listen();
  await tm2.listen();
  rm.taskManagerInfos = [tm1, tm2].map((tm) => ({
    resourceId: tm.resourceId,
    location: tm.location,
    numberOfSlots: 2,
    freeSlots: 1,
    memoryMb: 1728,
    slotResourceProfile: { cpuCores: 1, taskHeapMemoryMb: 384, managedMemoryMb: 256 },
    lastHeartbeat: 1_700_000_000_000,
    allocatedSlots: [{ jobId: 'a'.repeat(32), slotNumber: 0, allocationId: 'b'.repeat(32) }],
  }));
  cluster = {
    app,
    address,
    dispatcher,
    rm,
    tm1,
    tm2,
    loads,
    get shutdowns() {
      return state.shutdowns;
    },
  };
});

afterEach(async () => {
  cluster.dispatcher.stop();
  await cluster.tm1.close();
  await cluster.tm2.close();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(blobDir, { recursive: true, force: true });
});

/** Uploads a job file and runs it with parallelism 2 through REST; returns the job id. */
async function uploadAndRun(): Promise<string> {
  const upload = await request(cluster.app).post('/jars/upload').attach('jarfile', Buffer.from('export default () => {};\n'), 'word-count.ts').expect(200);
  expect(upload.body).toEqual({ filename: expect.stringMatching(new RegExp(`^${blobDir}/[0-9a-f]{64}_word-count\\.ts$`)) as unknown, status: 'success' });
  const jarId = (upload.body as { filename: string }).filename.split('/').at(-1)!;
  const run = await request(cluster.app).post(`/jars/${jarId}/run`).send({ programArgs: '--input "a b.txt" --n 5', parallelism: 2 }).expect(200);
  return (run.body as { jobid: string }).jobid;
}

/** Both TMs offer slots (one is accepted from each) and the test waits for the deployment. */
async function offerAndDeploy(jobId: string): Promise<void> {
  expect(await cluster.tm1.offerSlots(cluster.address, jobId, 1)).toHaveLength(1);
  expect(await cluster.tm2.offerSlots(cluster.address, jobId, 3)).toHaveLength(1);
  await vi.waitFor(() => expect(cluster.tm1.submitted.length + cluster.tm2.submitted.length).toBe(5));
}

async function reportAll(jobId: string, state: 'RUNNING' | 'FINISHED' | 'CANCELED'): Promise<void> {
  await cluster.tm1.reportAll(cluster.address, jobId, state);
  await cluster.tm2.reportAll(cluster.address, jobId, state);
}

describe('JobManager: Dispatcher + JobMasters + Flink REST', () => {
  it('runs an uploaded job file: slots declared, offers accepted, tasks deployed, FINISHED', async () => {
    const jobId = await uploadAndRun();
    expect(cluster.loads).toEqual([{ path: expect.stringContaining('word-count.mjs') as unknown, args: ['--input', 'a b.txt', '--n', '5'], parallelism: 2 }]);
    expect(cluster.rm.declaredSlots(jobId)).toBe(2);
    expect(cluster.rm.registrations).toEqual([{ jobId, jobMasterAddress: cluster.address }]);

    await offerAndDeploy(jobId);
    const all = [...cluster.tm1.submitted, ...cluster.tm2.submitted];
    const map2 = all.find((t) => t.taskName === 'Keyed Map (2/2)')!;
    const source1 = all.find((t) => t.taskName === 'Source: Sequence (1/2)')!;
    const sourceTm = cluster.tm1.submitted.includes(source1) ? cluster.tm1 : cluster.tm2;
    expect(map2.inputGates[0]!.channels[0]!.location).toEqual(sourceTm.location);
    expect(map2.jobMasterAddress).toBe(cluster.address);
    expect(map2.jobFile.args).toEqual(['--input', 'a b.txt', '--n', '5']);

    // TaskManagers fetch the job file from the blob path, compiled: the upload was a source file.
    expect(map2.jobFile.fileName).toBe('word-count.mjs');
    const blob = await request(cluster.app).get(`/rpc/blob/${map2.jobFile.blobKey}`).expect(200);
    const code = Buffer.from(blob.body as Buffer).toString();
    expect(compiledSourceName(code)).toBe('word-count.ts');
    expect(code).toMatch(/export \{\s*\S+ as default\s*\}/);

    await reportAll(jobId, 'RUNNING');
    const details = (await request(cluster.app).get(`/jobs/${jobId}`).expect(200)).body as Record<string, unknown>;
    expect(details).toMatchObject({ jid: jobId, name: 'pipeline', isStoppable: false, state: 'RUNNING', 'end-time': -1 });
    expect(Object.keys(details)).toEqual(
      expect.arrayContaining(['jid', 'name', 'isStoppable', 'state', 'start-time', 'end-time', 'duration', 'maxParallelism', 'now', 'timestamps', 'vertices', 'status-counts', 'plan']),
    );
    const vertices = details.vertices as Record<string, unknown>[];
    expect(vertices).toHaveLength(3);
    expect(Object.keys(vertices[0]!).sort()).toEqual(['duration', 'end-time', 'id', 'maxParallelism', 'metrics', 'name', 'parallelism', 'start-time', 'status', 'tasks'].sort());
    expect(vertices[0]).toMatchObject({ status: 'RUNNING', parallelism: 2, tasks: { RUNNING: 2, FINISHED: 0 } });
    expect(Object.keys(vertices[0]!.metrics as object)).toEqual([
      'read-bytes',
      'read-bytes-complete',
      'write-bytes',
      'write-bytes-complete',
      'read-records',
      'read-records-complete',
      'write-records',
      'write-records-complete',
      'accumulated-backpressured-time',
      'accumulated-idle-time',
      'accumulated-busy-time',
    ]);
    expect(details['status-counts']).toMatchObject({ RUNNING: 3 });
    expect((details.timestamps as Record<string, number>).RUNNING).toBeGreaterThan(0);

    const overview = (await request(cluster.app).get('/jobs/overview').expect(200)).body as { jobs: Record<string, unknown>[] };
    expect(overview.jobs[0]).toMatchObject({ jid: jobId, state: 'RUNNING', tasks: { total: 5, running: 5, finished: 0 } });
    expect(Object.keys(overview.jobs[0]!).sort()).toEqual(['duration', 'end-time', 'jid', 'last-modification', 'name', 'start-time', 'state', 'tasks']);
    await request(cluster.app).get('/v1/jobs').expect(200, { jobs: [{ id: jobId, status: 'RUNNING' }] });

    const vertexId = vertices[1]!.id as string;
    const vertex = (await request(cluster.app).get(`/jobs/${jobId}/vertices/${vertexId}`).expect(200)).body as { subtasks: Record<string, unknown>[] };
    expect(vertex.subtasks).toHaveLength(2);
    expect(vertex.subtasks[1]).toMatchObject({ subtask: 1, status: 'RUNNING', attempt: 0, host: '127.0.0.1', 'end-time': -1, 'other-concurrent-attempts': [] });
    expect(Object.keys(vertex.subtasks[1]!)).toEqual(expect.arrayContaining(['start-time', 'duration', 'metrics', 'taskmanager-id', 'status-duration']));
    expect((vertex.subtasks[1]!['status-duration'] as Record<string, number>).INITIALIZING).toBe(-1);

    // Metrics reported by a task drive the back-pressure level.
    const attempt = map2.executionAttemptId;
    const jm = httpJobMasterGateways()(cluster.address);
    const ioMetrics = { readBytes: 10, writeBytes: 20, readRecords: 1, writeRecords: 2, accumulatedBusyTimeMs: 5, accumulatedIdleTimeMs: 6, accumulatedBackPressuredTimeMs: 7, busyTimeMsPerSecond: 100, idleTimeMsPerSecond: 200, backPressuredTimeMsPerSecond: 700 };
    await jm.updateTaskExecutionState({ params: { jobId }, body: { executionAttemptId: attempt, state: 'RUNNING', ioMetrics } });
    const bp = (await request(cluster.app).get(`/jobs/${jobId}/vertices/${map2.jobVertexId}/backpressure`).expect(200)).body as Record<string, unknown>;
    expect(bp).toMatchObject({ status: 'ok', backpressureLevel: 'high', 'backpressure-level': 'high' });
    expect((bp.subtasks as Record<string, unknown>[])[1]).toMatchObject({ subtask: 1, 'attempt-number': 0, 'backpressure-level': 'high', ratio: 0.7, idleRatio: 0.2, busyRatio: 0.1 });
    const withMetrics = (await request(cluster.app).get(`/jobs/${jobId}`).expect(200)).body as { vertices: { metrics: Record<string, number> }[] };
    expect(withMetrics.vertices[1]!.metrics['write-records']).toBe(2);

    const plan = (await request(cluster.app).get(`/jobs/${jobId}/plan`).expect(200)).body as { plan: { nodes: { inputs?: { ship_strategy: string }[] }[] } };
    expect(plan.plan.nodes[1]!.inputs).toEqual([{ num: 0, id: vertices[0]!.id, ship_strategy: 'HASH', exchange: 'pipelined_bounded' }]);

    const sink = all.find((t) => t.taskName.startsWith('Sink'))!;
    const sinkTm = cluster.tm1.submitted.includes(sink) ? cluster.tm1 : cluster.tm2;
    await sinkTm.addCollectResults(cluster.address, jobId, sink.executionAttemptId, 'out', [['a', 1], ['b', 2]]);
    await request(cluster.app)
      .get(`/jobs/${jobId}/collect/out`)
      .expect(200, { sink: 'out', records: [['a', 1], ['b', 2]], 'job-status': 'RUNNING' });

    await request(cluster.app).get(`/jobs/${jobId}/execution-result`).expect(200, { status: { id: 'IN_PROGRESS' } });
    const result = cluster.dispatcher.requestJobResult(jobId);
    await reportAll(jobId, 'FINISHED');
    await expect(result).resolves.toMatchObject({ jobId, status: 'FINISHED' });
    await request(cluster.app).get(`/jobs/${jobId}/status`).expect(200, { status: 'FINISHED' });
    const exec = (await request(cluster.app).get(`/jobs/${jobId}/execution-result`).expect(200)).body as Record<string, Record<string, unknown>>;
    expect(exec.status).toEqual({ id: 'COMPLETED' });
    expect(exec['job-execution-result']).toMatchObject({ id: jobId, 'application-status': 'SUCCEEDED', 'accumulator-results': {} });
    await vi.waitFor(() => expect(cluster.tm1.freed.length + cluster.tm2.freed.length).toBe(2));
    expect(cluster.rm.declaredSlots(jobId)).toBe(0);
    expect(cluster.dispatcher.collectResults(jobId, 'out')).toEqual([['a', 1], ['b', 2]]);
    const clusterOverview = (await request(cluster.app).get('/overview').expect(200)).body as Record<string, unknown>;
    expect(clusterOverview).toMatchObject({ taskmanagers: 2, 'slots-total': 4, 'slots-available': 2, 'jobs-running': 0, 'jobs-finished': 1, 'jobs-cancelled': 0, 'jobs-failed': 0 });
  });

  it('says in /jobs/:id and /jobs/:id/exceptions why tasks wait for slots, and stops once they are deployed', async () => {
    cluster.rm.taskManagerInfos = cluster.rm.taskManagerInfos.map((tm) => ({ ...tm, freeSlots: 0 }));
    const diagnostics = 'Queue root is at its maximum capacity: used <memory:8192, vCores:3> of <memory:8192, vCores:16> (absoluteMaxCapacity 100%).';
    cluster.rm.pending = {
      requestedWorkers: 1,
      requestedSince: Date.now(),
      startingWorkers: 0,
      workerResource: { memoryMb: 1728, cpuCores: 2, numberOfSlots: 2 },
      providerDiagnostics: diagnostics,
    };
    const jobId = await uploadAndRun();
    const details = (await request(cluster.app).get(`/jobs/${jobId}`).expect(200)).body as Record<string, unknown>;
    expect(details.state).toBe('RUNNING');
    const wait = details['waiting-for-resources'] as Record<string, unknown>;
    expect(wait).toMatchObject({
      'waiting-tasks': 5,
      'required-slots': 2,
      'acquired-slots': 0,
      'available-slots': 0,
      'requested-taskmanagers': 1,
      'starting-taskmanagers': 0,
      'taskmanager-resource': { memory: 1728, vCores: 2, slots: 2 },
      'yarn-diagnostics': diagnostics,
      since: expect.any(Number) as unknown,
    });
    expect(wait.reason).toBe(
      'Waiting for slots: 0 of 2 acquired, 0 free slots in the cluster. 1 TaskManager container <memory:1728, vCores:2> (2 slots each) requested from YARN, not allocated yet. ' +
        `YARN: ${diagnostics}`,
    );
    const exceptions = (await request(cluster.app).get(`/jobs/${jobId}/exceptions`).expect(200)).body as Record<string, unknown>;
    expect(exceptions['waiting-for-resources']).toEqual(wait);
    expect(exceptions['root-exception']).toBeNull();

    await offerAndDeploy(jobId);
    expect(((await request(cluster.app).get(`/jobs/${jobId}`).expect(200)).body as Record<string, unknown>)['waiting-for-resources']).toBeNull();
    expect(((await request(cluster.app).get(`/jobs/${jobId}/exceptions`).expect(200)).body as Record<string, unknown>)['waiting-for-resources']).toBeNull();
  });

  it('cancels a running job with PATCH /jobs/:jobid?mode=cancel', async () => {
    const jobId = await uploadAndRun();
    await offerAndDeploy(jobId);
    await reportAll(jobId, 'RUNNING');
    await request(cluster.app).patch(`/jobs/${jobId}?mode=cancel`).expect(202, {});
    await request(cluster.app).get(`/jobs/${jobId}/status`).expect(200, { status: 'CANCELLING' });
    await vi.waitFor(() => expect(cluster.tm1.cancelled.length + cluster.tm2.cancelled.length).toBe(5));
    await reportAll(jobId, 'CANCELED');
    await request(cluster.app).get(`/jobs/${jobId}/status`).expect(200, { status: 'CANCELED' });
    const overview = (await request(cluster.app).get('/overview').expect(200)).body as Record<string, number>;
    expect(overview['jobs-cancelled']).toBe(1);
    const exec = (await request(cluster.app).get(`/jobs/${jobId}/execution-result`).expect(200)).body as Record<string, Record<string, unknown>>;
    expect(exec['job-execution-result']).toMatchObject({ 'application-status': 'CANCELED' });
  });

  it('restarts a failing task once, then fails the job with the exception in /exceptions', async () => {
    const jobGraph: JobGraph = pipeline(1);
    const jobId = await cluster.dispatcher.submitJob({ jobGraph, jobFile: JOB_FILE });
    expect(await cluster.tm1.offerSlots(cluster.address, jobId, 1)).toHaveLength(1);
    await vi.waitFor(() => expect(cluster.tm1.submitted).toHaveLength(3));
    await cluster.tm1.reportAll(cluster.address, jobId, 'RUNNING');
    const failing = cluster.tm1.submitted[1]!;
    const error = { className: 'java.lang.IllegalStateException', message: 'bad record', stack: 'java.lang.IllegalStateException: bad record\n\tat map(job.ts:3)' };
    const jm = httpJobMasterGateways()(cluster.address);
    await jm.updateTaskExecutionState({ params: { jobId }, body: { executionAttemptId: failing.executionAttemptId, state: 'FAILED', error } });
    await request(cluster.app).get(`/jobs/${jobId}/status`).expect(200, { status: 'RESTARTING' });
    await cluster.tm1.reportAll(cluster.address, jobId, 'CANCELED');

    // The slot stays in the pool: attempt 1 goes to the same TaskManager after the delay.
    await vi.waitFor(() => expect(cluster.tm1.submitted).toHaveLength(6));
    expect(cluster.tm1.submitted.slice(3).map((t) => t.attemptNumber)).toEqual([1, 1, 1]);
    await cluster.tm1.reportAll(cluster.address, jobId, 'RUNNING');
    const again = cluster.tm1.submitted[4]!;
    await jm.updateTaskExecutionState({ params: { jobId }, body: { executionAttemptId: again.executionAttemptId, state: 'FAILED', error: { ...error, message: 'bad record again', stack: 'java.lang.IllegalStateException: bad record again' } } });
    await request(cluster.app).get(`/jobs/${jobId}/status`).expect(200, { status: 'FAILING' });
    await cluster.tm1.reportAll(cluster.address, jobId, 'CANCELED');
    await request(cluster.app).get(`/jobs/${jobId}/status`).expect(200, { status: 'FAILED' });

    const exceptions = (await request(cluster.app).get(`/jobs/${jobId}/exceptions`).expect(200)).body as Record<string, unknown>;
    expect(exceptions['root-exception']).toBe('java.lang.IllegalStateException: bad record again');
    expect(exceptions.timestamp).toEqual(expect.any(Number));
    const history = exceptions.exceptionHistory as { entries: Record<string, unknown>[]; truncated: boolean };
    expect(history.truncated).toBe(false);
    expect(history.entries.map((e) => e.stacktrace)).toEqual(['java.lang.IllegalStateException: bad record again', error.stack]);
    expect(history.entries[0]).toMatchObject({ exceptionName: 'java.lang.IllegalStateException', taskName: again.taskName, taskManagerId: cluster.tm1.resourceId, concurrentExceptions: [] });
    expect((exceptions['all-exceptions'] as Record<string, unknown>[])[0]).toMatchObject({ task: again.taskName, taskManagerId: cluster.tm1.resourceId });
    const exec = (await request(cluster.app).get(`/jobs/${jobId}/execution-result`).expect(200)).body as Record<string, Record<string, Record<string, unknown>>>;
    expect(exec['job-execution-result']!['application-status']).toBe('FAILED');
    expect(exec['job-execution-result']!['failure-cause']).toMatchObject({ class: 'java.lang.IllegalStateException', 'stack-trace': 'java.lang.IllegalStateException: bad record again' });
  });

  it('answers errors as {"errors": [...]} and unknown jobs with 404', async () => {
    const unknown = 'c'.repeat(32);
    await request(cluster.app).get(`/jobs/${unknown}`).expect(404, { errors: [`Job ${unknown} not found`] });
    await request(cluster.app).get(`/v1/jobs/${unknown}/exceptions`).expect(404, { errors: [`Job ${unknown} not found`] });
    await request(cluster.app).patch(`/jobs/${unknown}?mode=cancel`).expect(404, { errors: [`Job ${unknown} not found`] });
    await request(cluster.app).delete('/jars/nope').expect(404, { errors: ['Jar file nope does not exist'] });
    const bad = await request(cluster.app).post('/jars/upload').set('content-type', 'application/octet-stream').send(Buffer.from('x')).expect(400);
    expect((bad.body as { errors: string[] }).errors[0]).toMatch(/x-file-name/);
    const tooLarge = await request(cluster.app).post('/jars/upload').attach('jarfile', Buffer.alloc(70_000, 0x20), 'big.ts').expect(413);
    expect((tooLarge.body as { errors: string[] }).errors[0]).toMatch(/rest\.server\.max-content-length \(65536 bytes\)/);
    expect(((await request(cluster.app).get('/jars').expect(200)).body as { files: unknown[] }).files).toEqual([]);
    // TaskManagers get RemoteException bodies on the RPC paths.
    const rpc = await request(cluster.app)
      .post(`/rpc/jobmaster/${unknown}/offerSlots`)
      .send({ resourceId: 'tm', offers: [{ allocationId: 'd'.repeat(32), slotIndex: 0, resourceProfile: ANY_RESOURCE_PROFILE }] })
      .expect(404);
    expect(rpc.body).toMatchObject({ RemoteException: { exception: 'NotFoundException' } });
  });

  it('takes raw uploads, lists and deletes job files, serves config, task managers, and shutdown', async () => {
    const up = await request(cluster.app).post('/jars/upload?name=job.ts').set('content-type', 'application/octet-stream').send(Buffer.from('export default () => {};')).expect(200);
    const id = (up.body as { filename: string }).filename.split('/').at(-1)!;
    const jars = (await request(cluster.app).get('/jars').expect(200)).body as { address: string; files: Record<string, unknown>[] };
    expect(jars.files).toEqual([{ id, name: 'job.ts', uploaded: expect.any(Number) as unknown, entry: [{ name: 'default', description: null }] }]);
    await request(cluster.app).delete(`/jars/${id}`).expect(200, {});
    await request(cluster.app).get('/jars').expect(200).expect((res) => expect((res.body as { files: unknown[] }).files).toEqual([]));

    const config = (await request(cluster.app).get('/config').expect(200)).body as Record<string, unknown>;
    expect(Object.keys(config).sort()).toEqual(['features', 'flink-revision', 'flink-version', 'refresh-interval', 'timezone-name', 'timezone-offset']);
    const jmConfig = (await request(cluster.app).get('/jobmanager/config').expect(200)).body as { key: string; value: string }[];
    expect(jmConfig).toContainEqual({ key: 'restart-strategy.fixed-delay.attempts', value: '1' });

    const tms = (await request(cluster.app).get('/taskmanagers').expect(200)).body as { taskmanagers: Record<string, unknown>[] };
    expect(tms.taskmanagers).toHaveLength(2);
    expect(tms.taskmanagers[0]).toMatchObject({ id: cluster.tm1.resourceId, path: cluster.tm1.location.address, slotsNumber: 2, freeSlots: 1, timeSinceLastHeartbeat: 1_700_000_000_000, blocked: false });
    expect(Object.keys(tms.taskmanagers[0]!).sort()).toEqual(
      ['blocked', 'dataPort', 'freeResource', 'freeSlots', 'hardware', 'id', 'jmxPort', 'memoryConfiguration', 'path', 'slotsNumber', 'timeSinceLastHeartbeat', 'totalResource'].sort(),
    );
    expect(Object.keys(tms.taskmanagers[0]!.totalResource as object).sort()).toEqual(['cpuCores', 'extendedResources', 'managedMemory', 'networkMemory', 'taskHeapMemory', 'taskOffHeapMemory']);
    const tm = (await request(cluster.app).get(`/taskmanagers/${cluster.tm2.resourceId}`).expect(200)).body as Record<string, unknown>;
    expect(tm).toMatchObject({ id: cluster.tm2.resourceId, allocatedSlots: [{ jobId: 'a'.repeat(32) }] });
    await request(cluster.app).get('/taskmanagers/nope').expect(404);

    await request(cluster.app).delete('/cluster').expect(200, {});
    await vi.waitFor(() => expect(cluster.shutdowns).toBe(1));
  });
});
