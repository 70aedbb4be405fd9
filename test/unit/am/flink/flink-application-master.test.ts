import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApplicationMasterContext } from '../../../../am/application-master-context.ts';
import { FlinkApplicationMaster } from '../../../../am/flink/flink-application-master.ts';
import { parseJobManagerArguments } from '../../../../am/flink/job-manager-arguments.ts';
import { NMClient } from '../../../../am/nm-client.ts';
import { NmTokenCache } from '../../../../am/nm-token-cache.ts';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { createMemoryLogger } from '../../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import type { DispatcherGateway, JobResult, JobSubmission } from '../../../../runtime/protocol/dispatcher-gateway.ts';
import { FakeAmRmGateway } from '../../../doubles/fake-amrm-gateway.ts';
import { JOB_A, registration } from '../../runtime/resourcemanager/fakes.ts';

const context: ApplicationMasterContext = {
  containerId: 'container_1700000000000_0001_01_000001',
  applicationAttemptId: 'appattempt_1700000000000_0001_000001',
  applicationId: 'application_1700000000000_0001',
  rmUrl: 'http://rm',
  amrmToken: 't',
  nmHost: '127.0.0.1',
  nmHttpPort: undefined,
  logDirs: [],
  appSubmitTime: undefined,
  maxAppAttempts: undefined,
  webProxyBase: undefined,
};

/** A Dispatcher that records submissions and ends the job with the given result. */
function fakeDispatcher(result: Omit<JobResult, 'jobId'>) {
  const submissions: JobSubmission[] = [];
  const dispatcher: DispatcherGateway = {
    uploadJobFile: (name) => ({ id: `k_${name}`, path: `blobs/k_${name}`, name, uploaded: 0, blobKey: `k_${name}` }),
    listJobFiles: () => [],
    deleteJobFile: () => {},
    runJobFile: async () => JOB_A,
    submitJob: async (s) => {
      submissions.push(s);
      return JOB_A;
    },
    cancelJob: async () => {},
    requestJobResult: async (jobId) => ({ ...result, jobId }),
    onJobTerminated: () => () => {},
    requestJob: async (jobId) => Promise.reject(new Error(`Job ${jobId} not found`)),
    requestJobStatus: async () => 'RUNNING',
    requestMultipleJobDetails: async () => ({ jobs: [] }),
    requestClusterOverview: async () => ({
      taskmanagers: 0,
      'slots-total': 0,
      'slots-available': 0,
      'taskmanagers-blocked': 0,
      'slots-free-and-blocked': 0,
      'jobs-running': 0,
      'jobs-finished': 0,
      'jobs-cancelled': 0,
      'jobs-failed': 0,
    }),
    collectResults: () => [],
  };
  return { dispatcher, submissions };
}

let dir: string | undefined;

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function setup(argv: string[], result: Omit<JobResult, 'jobId'> = { status: 'FINISHED', netRuntimeMs: 1 }) {
  const gateway = new FakeAmRmGateway();
  const nmTokens = new NmTokenCache();
  const { dispatcher, submissions } = fakeDispatcher(result);
  const args = parseJobManagerArguments(argv);
  const am = new FlinkApplicationMaster({
    args,
    config: createFlinkConfiguration(args.conf),
    context,
    clock: new ManualClock(),
    logger: createMemoryLogger().logger,
    amRmGateway: gateway,
    nmClient: new NMClient(nmTokens),
    nmTokens,
    services: () => ({ dispatcher, handler: Router(), stop: async () => {} }),
  });
  return { gateway, submissions, am };
}

describe('Flink ApplicationMaster (JobManager process)', () => {
  it('registers with its REST address as tracking URL and serves the Flink RM routes', async () => {
    const { gateway, am: master } = setup(['--mode', 'session']);
    const url = await master.start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gateway.registrations).toEqual([{ host: '127.0.0.1', rpcPort: Number(new URL(url).port), trackingUrl: `${url}/` }]);
    const res = await fetch(`${url}/rpc/flink-resourcemanager/registerTaskExecutor`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(registration('container_1700000000000_0001_01_000002')),
    });
    expect(await res.json()).toMatchObject({ status: 'success' });
    master.finish({ kind: 'killed', signal: 'SIGTERM' });
    await master.run();
  });

  it('session: DELETE /cluster unregisters SUCCEEDED "Flink session stopped"', async () => {
    const { gateway, am: master } = setup(['--mode', 'session']);
    const url = await master.start();
    const running = master.run();
    expect((await fetch(`${url}/cluster`, { method: 'DELETE' })).status).toBe(202);
    expect(await running).toEqual({ kind: 'unregister', finalStatus: 'SUCCEEDED', diagnostics: 'Flink session stopped' });
    expect(gateway.finishes).toEqual([{ finalApplicationStatus: 'SUCCEEDED', diagnostics: 'Flink session stopped', trackingUrl: '' }]);
  });

  it('per-job: submits the shipped JobGraph with its job file, and unregisters FAILED with the cause when the job fails', async () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-am-'));
    writeFileSync(join(dir, 'job-graph.json'), JSON.stringify({ jobId: JOB_A }));
    writeFileSync(join(dir, 'job.ts'), 'export default () => {}');
    const failureCause = { className: 'Error', message: 'boom', stack: 'Error: boom\n    at map' };
    const { gateway, submissions, am: master } = setup(
      ['--mode', 'per-job', '--job-graph', join(dir, 'job-graph.json'), '--job-file', join(dir, 'job.ts'), '--args', '["--x","1"]'],
      { status: 'FAILED', failureCause, netRuntimeMs: 5 },
    );
    await master.start();
    const outcome = await master.run();
    expect(submissions).toEqual([{ jobGraph: { jobId: JOB_A }, jobFile: { blobKey: 'k_job.ts', fileName: 'job.ts', args: ['--x', '1'] } }]);
    expect(outcome).toMatchObject({ kind: 'unregister', finalStatus: 'FAILED' });
    expect(gateway.finishes[0]?.finalApplicationStatus).toBe('FAILED');
    expect(gateway.finishes[0]?.diagnostics).toBe(`Job ${JOB_A} failed: Error: boom\n    at map`);
  });

  it('application: a cancelled job ends the app KILLED; a killed AM does not unregister', async () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-am-'));
    writeFileSync(join(dir, 'job.ts'), 'export default () => {}');
    const cancelled = setup(['--mode', 'application', '--job-file', join(dir, 'job.ts')], { status: 'CANCELED', netRuntimeMs: 5 });
    await cancelled.am.start();
    await cancelled.am.run();
    expect(cancelled.gateway.finishes[0]).toMatchObject({ finalApplicationStatus: 'KILLED' });

    const killed = setup(['--mode', 'session']);
    await killed.am.start();
    const running = killed.am.run();
    killed.am.finish({ kind: 'killed', signal: 'SIGTERM' });
    expect(await running).toEqual({ kind: 'killed', signal: 'SIGTERM' });
    expect(killed.gateway.finishes).toEqual([]);
  });

  it('parses its command line and refuses incomplete modes', () => {
    expect(parseJobManagerArguments(['--mode', 'application', '--job-file', 'a.ts', '--args', '["x"]', '--conf', 'heartbeat.interval=500 ms'])).toEqual({
      mode: 'application',
      jobFile: 'a.ts',
      jobGraph: undefined,
      programArgs: ['x'],
      parallelism: undefined,
      conf: [['heartbeat.interval', '500 ms']],
    });
    expect(() => parseJobManagerArguments(['--mode', 'per-job', '--job-file', 'a.ts'])).toThrow(/needs --job-graph/);
    expect(() => parseJobManagerArguments(['--mode', 'cluster'])).toThrow(/session, per-job or application/);
    expect(() => parseJobManagerArguments(['--args', '{"a":1}'])).toThrow(/JSON array of strings/);
  });
});
