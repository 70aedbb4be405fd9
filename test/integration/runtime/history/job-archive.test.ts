import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SystemClock } from '../../../../rm/common/clock.ts';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import { Dispatcher } from '../../../../runtime/dispatcher/dispatcher.ts';
import { HistoryServer } from '../../../../runtime/history/history-server.ts';
import { historyServerArchivist } from '../../../../runtime/history/history-server-archivist.ts';
import { readJobArchive } from '../../../../runtime/history/job-archive.ts';
import { createFlinkRestRouter, type FlinkRestOptions } from '../../../../runtime/rest/flink-rest-router.ts';
import { archivedRestResponses } from '../../../../runtime/rest/rest-archive.ts';
import { TestingResourceManagerGateway } from '../../../doubles/testing-resource-manager-gateway.ts';
import { TestingTaskExecutor } from '../../../doubles/testing-task-executor.ts';
import { pipeline } from '../../../unit/runtime/jobmaster/test-job-graphs.ts';

/**
 * A JobManager (Dispatcher + JobMasters + REST, wired as am/flink/dispatcher-services.ts wires
 * them) archiving a finished job to jobmanager.archive.fs.dir, and a history server serving the
 * archive: the job's REST answers, in Flink's archive format, written before the job's result is
 * handed out (so a per-job cluster never stops before its archive exists).
 */
let dirs: { blobs: string; archive: string };
let server: Server;
let dispatcher: Dispatcher;
let address = '';
let tm: TestingTaskExecutor;
let history: HistoryServer | undefined;

beforeEach(async () => {
  dirs = { blobs: mkdtempSync(join(tmpdir(), 'weft-jm-')), archive: join(mkdtempSync(join(tmpdir(), 'weft-archive-')), 'completed-jobs') };
  const rm = new TestingResourceManagerGateway();
  const config = createFlinkConfiguration({ 'jobmanager.archive.fs.dir': `file://${dirs.archive}`, 'taskmanager.numberOfTaskSlots': '4' });
  const logger = createSilentLogger();
  const clock = new SystemClock();
  dispatcher = new Dispatcher({ config, clock, logger, resourceManager: rm, jobManagerAddress: () => address, blobDirectory: dirs.blobs, archiveJob: (jobId) => archivist.archiveJob(jobId) });
  const rest: FlinkRestOptions = { dispatcher, resourceManager: rm, config, clock, logger };
  const archivist = historyServerArchivist({ archiveDir: config['jobmanager.archive.fs.dir'], responses: (jobId) => archivedRestResponses(rest, jobId), logger });
  const app = express();
  app.use(dispatcher.rpcRouter());
  app.use(createFlinkRestRouter(rest));
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tm = new TestingTaskExecutor('container_1_0001_01_000002');
  await tm.listen();
});

afterEach(async () => {
  await history?.stop();
  history = undefined;
  dispatcher.stop();
  await tm.close();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dirs.blobs, { recursive: true, force: true });
  rmSync(join(dirs.archive, '..'), { recursive: true, force: true });
});

async function runToEnd(): Promise<string> {
  const jobId = await dispatcher.submitJob({ jobGraph: pipeline(2), jobFile: { blobKey: 'k', fileName: 'job.ts', args: [] } });
  expect(await tm.offerSlots(address, jobId, 4)).toHaveLength(2);
  await vi.waitFor(() => expect(tm.submitted).toHaveLength(5));
  await tm.reportAll(address, jobId, 'RUNNING');
  expect(existsSync(join(dirs.archive, jobId))).toBe(false);
  await tm.reportAll(address, jobId, 'FINISHED');
  return jobId;
}

describe('archiving finished jobs for the history server', () => {
  it("writes the job's REST answers as one Flink archive before the job result is handed out", async () => {
    const jobId = await runToEnd();
    const result = await dispatcher.requestJobResult(jobId);
    expect(result.status).toBe('FINISHED');
    expect(readdirSync(dirs.archive)).toEqual([jobId]);

    const entries = readJobArchive(join(dirs.archive, jobId));
    const vertices = dispatcher.requireJob(jobId).graph.verticesInTopologicalOrder.map((v) => v.id);
    expect(entries.map((e) => e.path).sort()).toEqual(
      [
        '/jobs/overview',
        `/jobs/${jobId}`,
        `/jobs/${jobId}/status`,
        `/jobs/${jobId}/plan`,
        `/jobs/${jobId}/exceptions`,
        `/jobs/${jobId}/execution-result`,
        `/jobs/${jobId}/jobmanager/config`,
        ...vertices.flatMap((v) => [`/jobs/${jobId}/vertices/${v}`, `/jobs/${jobId}/vertices/${v}/backpressure`]),
      ].sort(),
    );
    const json = (path: string): Record<string, unknown> => JSON.parse(entries.find((e) => e.path === path)!.json) as Record<string, unknown>;
    expect(json('/jobs/overview')).toMatchObject({ jobs: [{ jid: jobId, name: 'pipeline', state: 'FINISHED', tasks: { total: 5, finished: 5 } }] });
    expect(json(`/jobs/${jobId}`)).toMatchObject({ jid: jobId, state: 'FINISHED' });
    expect(json(`/jobs/${jobId}/status`)).toEqual({ status: 'FINISHED' });
    expect(json(`/jobs/${jobId}/vertices/${vertices[1]!}`)).toMatchObject({ id: vertices[1], parallelism: 2 });
    expect(entries.find((e) => e.path === `/jobs/${jobId}/jobmanager/config`)!.json).toContain('jobmanager.archive.fs.dir');
    // No temp file left next to the archive.
    expect(readdirSync(dirs.archive).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('is served by a history server reading that dir, as the JobManager answered it', async () => {
    const jobId = await runToEnd();
    await dispatcher.requestJobResult(jobId);
    history = new HistoryServer({
      config: createFlinkConfiguration({ 'historyserver.web.port': '0', 'historyserver.web.address': '127.0.0.1', 'historyserver.archive.fs.dir': dirs.archive }),
      clock: new SystemClock(),
      logger: createSilentLogger(),
    });
    await history.start();
    const overview = (await (await fetch(`${history.url}/jobs/overview`)).json()) as { jobs: { jid: string; state: string }[] };
    expect(overview.jobs).toMatchObject([{ jid: jobId, state: 'FINISHED' }]);
    const archived = readJobArchive(join(dirs.archive, jobId)).find((e) => e.path === `/jobs/${jobId}/plan`)!.json;
    const served = await fetch(`${history.url}/jobs/${jobId}/plan`);
    expect(served.headers.get('content-type')).toMatch(/application\/json/);
    expect(await served.text()).toBe(archived);
    const live = (await (await fetch(`${address}/jobs/${jobId}/plan`)).json());
    expect(JSON.parse(archived)).toEqual(live);
  });
});
