import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterEach, expect, it } from 'vitest';
import { SystemClock } from '../../../../rm/common/clock.ts';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import { Dispatcher } from '../../../../runtime/dispatcher/dispatcher.ts';
import { createFlinkRestRouter } from '../../../../runtime/rest/flink-rest-router.ts';
import { TestingResourceManagerGateway } from '../../../doubles/testing-resource-manager-gateway.ts';

const blobDir = mkdtempSync(join(tmpdir(), 'weft-jm-jobfile-'));
afterEach(() => rmSync(blobDir, { recursive: true, force: true }));

it('runs an uploaded example job file with the in-process job loader', async () => {
  const rm = new TestingResourceManagerGateway();
  const config = createFlinkConfiguration({});
  const dispatcher = new Dispatcher({ config, clock: new SystemClock(), logger: createSilentLogger(), resourceManager: rm, jobManagerAddress: 'http://jm.invalid:1', blobDirectory: blobDir });
  const app = express().use(createFlinkRestRouter({ dispatcher, resourceManager: rm, config, clock: new SystemClock(), logger: createSilentLogger() }));
  const upload = await request(app).post('/jars/upload').attach('jarfile', readFileSync(new URL('../../../../examples/word-count.ts', import.meta.url)), 'word-count.ts').expect(200);
  const jarId = (upload.body as { filename: string }).filename.split('/').at(-1)!;
  const run = await request(app).post(`/v1/jars/${jarId}/run?parallelism=2`).expect(200);
  const jobId = (run.body as { jobid: string }).jobid;
  const details = (await request(app).get(`/jobs/${jobId}`).expect(200)).body as { state: string; vertices: { parallelism: number }[] };
  expect(details.state).toBe('RUNNING');
  expect(Math.max(...details.vertices.map((v) => v.parallelism))).toBe(2);
  expect(rm.declaredSlots(jobId)).toBe(2);
  await request(app).patch(`/jobs/${jobId}`).expect(202, {});
  await request(app).get(`/jobs/${jobId}/status`).expect(200, { status: 'CANCELED' });
  dispatcher.stop();
});

it('refuses to run an uploaded TypeScript file that does not compile: 400 naming the file and line', async () => {
  const rm = new TestingResourceManagerGateway();
  const config = createFlinkConfiguration({});
  const dispatcher = new Dispatcher({ config, clock: new SystemClock(), logger: createSilentLogger(), resourceManager: rm, jobManagerAddress: 'http://jm.invalid:1', blobDirectory: blobDir });
  const app = express().use(createFlinkRestRouter({ dispatcher, resourceManager: rm, config, clock: new SystemClock(), logger: createSilentLogger() }));
  const upload = await request(app).post('/jars/upload').attach('jarfile', Buffer.from('export default (env: unknown) => {\n  console.log(;\n};\n'), 'broken.ts').expect(200);
  const jarId = (upload.body as { filename: string }).filename.split('/').at(-1)!;
  const run = await request(app).post(`/jars/${jarId}/run`).expect(400);
  expect(run.body).toEqual({ errors: ['Job file broken.ts could not be compiled:\n  broken.ts:2:15: Unexpected ";"'] });
  expect(((await request(app).get('/jobs/overview').expect(200)).body as { jobs: unknown[] }).jobs).toEqual([]);
  dispatcher.stop();
});
