import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../../rm/common/clock.ts';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import { Dispatcher } from '../../../../runtime/dispatcher/dispatcher.ts';
import { createFlinkRestRouter } from '../../../../runtime/rest/flink-rest-router.ts';
import { LogDirectory } from '../../../../runtime/rest/log-directory.ts';
import { MemoryTextOutput } from '../../../../runtime/streaming/text-output.ts';
import { TaskManagerRunner } from '../../../../runtime/taskexecutor/task-manager-runner.ts';
import { TestingResourceManagerGateway } from '../../../doubles/testing-resource-manager-gateway.ts';
import { FakeJobManager } from '../taskexecutor/fake-job-manager.ts';

let dir: string;
let jm: FakeJobManager;
let runner: TaskManagerRunner | undefined;
let dispatcher: Dispatcher;

beforeEach(async () => {
  // A dot-directory on the way, as in `.weft/`: express's sendFile would refuse it.
  dir = join(mkdtempSync(join(tmpdir(), 'weft-logs-')), '.weft');
  mkdirSync(join(dir, 'jm'), { recursive: true });
  mkdirSync(join(dir, 'tm'), { recursive: true });
  jm = new FakeJobManager();
  await jm.start();
});

afterEach(async () => {
  await runner?.stop();
  runner = undefined;
  dispatcher?.stop();
  await jm.stop();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

function restApp(rm: TestingResourceManagerGateway, logFile: string | undefined): express.Express {
  const config = createFlinkConfiguration({});
  dispatcher = new Dispatcher({ config, clock: new SystemClock(), logger: createSilentLogger(), resourceManager: rm, jobManagerAddress: 'http://127.0.0.1:1', blobDirectory: join(dir, 'blobs') });
  const app = express();
  app.use(createFlinkRestRouter({ dispatcher, resourceManager: rm, config, clock: new SystemClock(), logger: createSilentLogger(), jobManagerLogs: new LogDirectory(logFile) }));
  return app;
}

describe('Flink log endpoints', () => {
  it('/jobmanager/logs lists the log dir; /log, /stdout and /logs/:name serve the files as text', async () => {
    writeFileSync(join(dir, 'jm', 'jobmanager.log'), '{"msg":"JobManager started"}\n');
    writeFileSync(join(dir, 'jm', 'jobmanager.out'), 'hello from print()\n');
    writeFileSync(join(dir, 'jm', 'jobmanager.err'), '');
    writeFileSync(join(dir, 'secret'), 'not a log');
    symlinkSync(join(dir, 'secret'), join(dir, 'jm', 'link.log'));
    const app = restApp(new TestingResourceManagerGateway(), join(dir, 'jm', 'jobmanager.log'));

    const list = await request(app).get('/jobmanager/logs').expect(200);
    expect((list.body as { logs: { name: string; size: number; mtime: number }[] }).logs).toEqual([
      { name: 'jobmanager.err', size: 0, mtime: expect.any(Number) as unknown },
      { name: 'jobmanager.log', size: 29, mtime: expect.any(Number) as unknown },
      { name: 'jobmanager.out', size: 19, mtime: expect.any(Number) as unknown },
    ]);
    const log = await request(app).get('/jobmanager/log').expect(200);
    expect(log.type).toBe('text/plain');
    expect(log.text).toBe('{"msg":"JobManager started"}\n');
    expect((await request(app).get('/v1/jobmanager/stdout').expect(200)).text).toBe('hello from print()\n');
    expect((await request(app).get('/jobmanager/logs/jobmanager.err').expect(200)).text).toBe('');
    // Nothing outside the log dir, not even through a link inside it.
    const escaped = await request(app).get('/jobmanager/logs/link.log').expect(404);
    expect(escaped.body).toEqual({ errors: ['This file does not exist in JobManager log dir.'] });
    await request(app).get('/jobmanager/logs/..%2Fsecret').expect(404);
  });

  it('without web.log.path the list is empty and the log is a 404', async () => {
    const app = restApp(new TestingResourceManagerGateway(), undefined);
    expect((await request(app).get('/jobmanager/logs').expect(200)).body).toEqual({ logs: [] });
    expect((await request(app).get('/jobmanager/log').expect(404)).body).toEqual({ errors: ['This file does not exist in JobManager log dir.'] });
  });

  it('/taskmanagers/:id/logs|log|stdout are relayed from the TaskManager, and a gone TaskManager is a 404', async () => {
    const tmLog = join(dir, 'tm', 'taskmanager.log');
    runner = new TaskManagerRunner({
      config: {
        jobManagerUrl: jm.url,
        resourceId: 'container_1_0001_01_000002',
        host: '127.0.0.1',
        numberOfSlots: 1,
        memoryMb: 512,
        workDir: null,
        logLevel: 'silent',
        flink: createFlinkConfiguration({ 'taskmanager.log.path': tmLog, 'heartbeat.interval': '200' }),
      },
      logger: createSilentLogger(),
      stdout: new MemoryTextOutput(),
      onFatalError: () => {},
    });
    const endpoints = await runner.start();
    writeFileSync(tmLog, '{"msg":"TaskExecutor starting"}\n');
    writeFileSync(join(dir, 'tm', 'taskmanager.out'), '3> (flink,1)\n');
    const rm = new TestingResourceManagerGateway();
    rm.taskManagerInfos = [
      {
        resourceId: endpoints.resourceId,
        location: { resourceId: endpoints.resourceId, address: endpoints.address, dataAddress: endpoints.dataAddress, host: '127.0.0.1' },
        numberOfSlots: 1,
        freeSlots: 1,
        memoryMb: 512,
        slotResourceProfile: { cpuCores: 1, taskHeapMemoryMb: 128, managedMemoryMb: 128 },
        lastHeartbeat: Date.now(),
        allocatedSlots: [],
      },
    ];
    const app = restApp(rm, undefined);
    const id = endpoints.resourceId;
    const list = await request(app).get(`/taskmanagers/${id}/logs`).expect(200);
    expect((list.body as { logs: { name: string }[] }).logs.map((l) => l.name)).toEqual(['taskmanager.log', 'taskmanager.out']);
    expect((await request(app).get(`/taskmanagers/${id}/log`).expect(200)).text).toBe('{"msg":"TaskExecutor starting"}\n');
    const stdout = await request(app).get(`/taskmanagers/${id}/stdout`).expect(200);
    expect(stdout.type).toBe('text/plain');
    expect(stdout.text).toBe('3> (flink,1)\n');
    expect((await request(app).get(`/taskmanagers/${id}/logs/taskmanager.err`).expect(404)).body).toEqual({ errors: ['The file taskmanager.err does not exist on the TaskExecutor.'] });
    expect((await request(app).get('/taskmanagers/container_1_0001_01_000009/log').expect(404)).body).toEqual({ errors: ['Could not find TaskExecutor container_1_0001_01_000009.'] });
  });
});
