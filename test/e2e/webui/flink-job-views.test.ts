import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { httpJobMasterGateways } from '../../../runtime/protocol/job-master-gateway.ts';
import { TestingTaskExecutor } from '../../doubles/testing-task-executor.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { JOB_FILE, pipeline } from '../../unit/runtime/jobmaster/test-job-graphs.ts';
import { launchBrowser, screenshotPath, browserSuite } from './browser.ts';
import { startScriptedJobManager, type ScriptedJobManager } from './scripted-job-manager.ts';

/**
 * The Flink dashboard's job views in a real browser, on a JobManager whose jobs the test brings
 * into the states to look at: a job waiting for slots says why, a click on a vertex shows its
 * subtasks, identical failures are one group with a count, a RESTARTING job is not "running".
 */
const ERROR = { className: 'java.lang.IllegalStateException', message: 'bad record', stack: 'java.lang.IllegalStateException: bad record\n\tat map(job.ts:3)' };
const YARN_SAYS = 'Queue root is at its maximum capacity: used <memory:8192, vCores:3> of <memory:8192, vCores:16> (absoluteMaxCapacity 100%).';

browserSuite('Flink job views in a real browser', () => {
  let jm: ScriptedJobManager;
  let slow: ScriptedJobManager;
  let tm: TestingTaskExecutor;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    jm = await startScriptedJobManager({ 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': '10', 'restart-strategy.fixed-delay.delay': '50 ms' });
    slow = await startScriptedJobManager({ 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': '10', 'restart-strategy.fixed-delay.delay': '1 h' });
    tm = new TestingTaskExecutor('container_1_0001_01_000002');
    await tm.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await tm?.close();
    await jm?.close();
    await slow?.close();
  });

  const open = async (base: string, hash: string): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/${hash}`);
    return page;
  };

  /** Deploys the job's tasks into one slot of `tm` and reports them RUNNING. */
  async function deploy(on: ScriptedJobManager, jobId: string, tasks: number): Promise<void> {
    const before = tm.submitted.length;
    await tm.offerSlots(on.url, jobId, 1);
    await waitFor(() => tm.submitted.length === before + tasks, { description: 'the tasks to be deployed' });
    await tm.reportAll(on.url, jobId, 'RUNNING');
  }

  /** Fails the job's keyed map task with ERROR; the JobMaster cancels the others, which report it. */
  async function failOnce(on: ScriptedJobManager, jobId: string): Promise<void> {
    const task = tm.submitted.filter((t) => t.jobId === jobId && t.taskName.startsWith('Keyed Map')).at(-1)!;
    await tm.reportState(on.url, jobId, task.executionAttemptId, 'FAILED', ERROR);
    await tm.reportAll(on.url, jobId, 'CANCELED');
  }

  it('says why a job waits for slots, then shows a clicked vertex’s subtasks with their TaskManager', async () => {
    jm.rm.pending = {
      requestedWorkers: 1,
      requestedSince: Date.now(),
      startingWorkers: 0,
      workerResource: { memoryMb: 1728, cpuCores: 1, numberOfSlots: 1 },
      providerDiagnostics: YARN_SAYS,
    };
    const jobId = await jm.dispatcher.submitJob({ jobGraph: pipeline(1), jobFile: JOB_FILE });
    const page = await open(jm.url, `#/jobs/${jobId}`);
    await page.waitForSelector('[data-testid="resource-wait"]', { timeout: 10_000 });
    expect(await page.textContent('[data-testid="resource-wait-reason"]')).toBe(
      'Waiting for slots: 0 of 1 acquired, 0 free slots in the cluster. 1 TaskManager container <memory:1728, vCores:1> (1 slot each) requested from YARN, not allocated yet.',
    );
    expect(await page.textContent('[data-testid="resource-wait-yarn"]')).toBe(YARN_SAYS);
    await page.screenshot({ path: screenshotPath('flink-job-waiting'), fullPage: true });

    jm.rm.pending = { requestedWorkers: 0, startingWorkers: 0, workerResource: { memoryMb: 1728, cpuCores: 1, numberOfSlots: 1 } };
    await deploy(jm, jobId, 3);
    const map = tm.submitted.find((t) => t.jobId === jobId && t.taskName.startsWith('Keyed Map'))!;
    const ioMetrics = { readBytes: 4096, writeBytes: 2048, readRecords: 120, writeRecords: 60, accumulatedBusyTimeMs: 5, accumulatedIdleTimeMs: 6, accumulatedBackPressuredTimeMs: 7, busyTimeMsPerSecond: 250, idleTimeMsPerSecond: 100, backPressuredTimeMsPerSecond: 650 };
    await httpJobMasterGateways()(jm.url).updateTaskExecutionState({ params: { jobId }, body: { executionAttemptId: map.executionAttemptId, state: 'RUNNING', ioMetrics } });
    await page.waitForSelector('[data-testid="resource-wait"]', { state: 'detached', timeout: 10_000 });

    await page.click(`[data-testid="job-graph"] .vertex[data-vertex="${map.jobVertexId}"] a`);
    const row = `[data-testid="vertex-panel"][data-vertex="${map.jobVertexId}"] tr[data-key="0"]`;
    await page.waitForSelector(row, { timeout: 10_000 });
    expect(await page.getAttribute(`${row} [data-tm]`, 'data-tm')).toBe(tm.resourceId);
    const cells = await page.locator(`${row} td`).allTextContents();
    expect(cells).toEqual(['0', 'RUNNING', '0', `${tm.resourceId}127.0.0.1`, '120', '60', '4,096 / 2,048', 'BP HIGH 65%', '25%', expect.stringMatching(/^\d+(ms|s)$/)]);
    expect(await page.getAttribute(`[data-testid="job-graph"] .vertex[data-vertex="${map.jobVertexId}"]`, 'class')).toContain('selected');
    expect(await page.textContent('[data-testid="vertex-panel"] .vertex-aside')).toContain('parallelism 1 · in 120 · out 60 records');
    await page.screenshot({ path: screenshotPath('flink-vertex-subtasks'), fullPage: true });
    // A second click on the selected vertex closes its subtasks.
    await page.click(`[data-testid="job-graph"] .vertex[data-vertex="${map.jobVertexId}"] a`);
    await page.waitForSelector('[data-testid="vertex-panel"]', { state: 'detached' });
    await page.close();
  });

  it('groups identical failures with a count on the exceptions tab', async () => {
    const jobId = await jm.dispatcher.submitJob({ jobGraph: pipeline(1), jobFile: JOB_FILE });
    await deploy(jm, jobId, 3);
    for (let i = 1; i <= 3; i++) {
      await failOnce(jm, jobId);
      await waitFor(() => tm.submitted.filter((t) => t.jobId === jobId).length === 3 * (i + 1), { description: `restart ${i}` });
      await tm.reportAll(jm.url, jobId, 'RUNNING');
    }
    const page = await open(jm.url, `#/jobs/${jobId}?tab=exceptions`);
    await page.waitForSelector('[data-testid="exception-group"]', { timeout: 10_000 });
    const groups = page.locator('[data-testid="exception-group"]');
    expect(await groups.count()).toBe(1);
    expect(await groups.first().getAttribute('data-count')).toBe('3');
    expect(await groups.first().locator('h3').textContent()).toBe('×3 java.lang.IllegalStateException · Keyed Map (1/1)');
    expect(await groups.first().locator('pre').textContent()).toBe(ERROR.stack);
    expect(await page.textContent('.panel-aside')).toBe('3 failures · 1 distinct');
    await page.screenshot({ path: screenshotPath('flink-exceptions-grouped'), fullPage: true });
    await page.close();
  });

  it('does not count a RESTARTING job as running on the overview', async () => {
    const jobId = await slow.dispatcher.submitJob({ jobGraph: pipeline(1), jobFile: JOB_FILE });
    await deploy(slow, jobId, 3);
    const page = await open(slow.url, '#/');
    await expect.poll(() => page.textContent('[data-jobs="running"] b'), { timeout: 10_000 }).toBe('1');
    await failOnce(slow, jobId);
    await waitFor(() => slow.dispatcher.job(jobId)?.graph.status === 'RESTARTING', { description: 'RESTARTING' });
    await expect.poll(() => page.textContent('[data-jobs="restarting"] b'), { timeout: 10_000 }).toBe('1');
    expect(await page.textContent('[data-jobs="running"] b')).toBe('0');
    expect(await page.textContent('[data-testid="card-jobs"] .card-value')).toBe('1');
    await page.screenshot({ path: screenshotPath('flink-overview-restarting'), fullPage: true });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
