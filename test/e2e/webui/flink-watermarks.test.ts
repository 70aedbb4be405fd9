import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { httpJobMasterGateways } from '../../../runtime/protocol/job-master-gateway.ts';
import type { TaskMetricsReport } from '../../../runtime/protocol/records.ts';
import type { TaskDeploymentDescriptor } from '../../../runtime/protocol/task-deployment-descriptor.ts';
import { TestingTaskExecutor } from '../../doubles/testing-task-executor.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { JOB_FILE, hexId, pipeline } from '../../unit/runtime/jobmaster/test-job-graphs.ts';
import { launchBrowser, screenshotPath, browserSuite } from './browser.ts';
import { startScriptedJobManager, type ScriptedJobManager } from './scripted-job-manager.ts';

/**
 * The job page's watermarks in a real browser: Source (2) -> Keyed Map (2) -> Sink (1) where
 * source subtask 1 lags. The page names who holds each vertex back (the subtask, and the input
 * channel from the lagging source subtask), follows the watermarks live as the tasks report
 * (the hub pushes, the page is not reloaded), and says "idle" once every subtask of a vertex is.
 */
const SOURCE = hexId('Source: Sequence');
const MAP = hexId('Keyed Map');

/**
 * What the tasks report when source subtask 0 is at `fast` and subtask 1 at `slow`; with `idle`,
 * both sources went idle (withIdleness), so everything downstream is idle too and waits for no one.
 */
function report(tdd: TaskDeploymentDescriptor, fast: number, slow: number, idle: boolean): TaskMetricsReport {
  const low = Math.min(fast, slow);
  const status = idle ? 'IDLE' : 'ACTIVE';
  const op = (name: string, metrics: Record<string, number>): TaskMetricsReport['operators'][number] => ({ id: hexId(name), name, metrics });
  if (tdd.jobVertexId === SOURCE) return { watermarkStatus: status, inputs: [], operators: [op('Source: Sequence', { currentOutputWatermark: tdd.subtaskIndex === 0 ? fast : slow })] };
  const upstream = tdd.jobVertexId === MAP ? SOURCE : MAP;
  const channels = tdd.jobVertexId === MAP ? [fast, slow] : [low, low];
  return {
    currentInputWatermark: low,
    watermarkStatus: status,
    inputs: [{ sourceVertexId: upstream, channels: channels.map((watermark, producerSubtaskIndex) => ({ producerSubtaskIndex, watermark, status })) }],
    ...(idle ? {} : { heldBackBy: { gate: 0, channel: channels[0]! <= channels[1]! ? 0 : 1 } }),
    operators: [op(tdd.jobVertexId === MAP ? 'Keyed Map' : 'Sink: Collect', { currentInputWatermark: low, currentOutputWatermark: low })],
  };
}

browserSuite('Flink watermarks in a real browser', () => {
  let jm: ScriptedJobManager;
  let tm: TestingTaskExecutor;
  let browser: Browser;

  beforeAll(async () => {
    jm = await startScriptedJobManager({});
    tm = new TestingTaskExecutor('container_1_0001_01_000002');
    await tm.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await tm?.close();
    await jm?.close();
  });

  it('shows which subtask and which input channel hold each vertex back, live, and when a vertex is idle', async () => {
    const jobId = await jm.dispatcher.submitJob({ jobGraph: pipeline(2), jobFile: JOB_FILE });
    await tm.offerSlots(jm.url, jobId, 2);
    await waitFor(() => tm.submitted.filter((t) => t.jobId === jobId).length === 5, { description: 'the tasks to be deployed' });
    await tm.reportAll(jm.url, jobId, 'RUNNING');
    const jobMaster = httpJobMasterGateways()(jm.url);
    const reportAll = async (fast: number, slow: number, idle = false): Promise<void> => {
      for (const tdd of tm.submitted.filter((t) => t.jobId === jobId)) {
        await jobMaster.updateTaskExecutionState({ params: { jobId }, body: { executionAttemptId: tdd.executionAttemptId, state: 'RUNNING', metrics: report(tdd, fast, slow, idle) } });
      }
    };

    const pageErrors: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${jm.url}/#/jobs/${jobId}`);
    await page.waitForSelector('[data-testid="watermarks-panel"]', { timeout: 10_000 });
    const map = `[data-testid="watermark-vertex"][data-vertex="${MAP}"]`;
    const source = `[data-testid="watermark-vertex"][data-vertex="${SOURCE}"]`;
    expect(await page.textContent(`${map} [data-testid="held-back-by"]`)).toBe('not reported yet');

    // Source subtask 1 lags: 2 000 ms of event time against 5 000.
    await reportAll(5000, 2000);
    await page.waitForSelector(`${map} [data-testid="held-back-by"][data-input-subtask="1"]`, { timeout: 10_000 });
    expect(await page.textContent(`${map} [data-testid="held-back-by"]`)).toBe('subtask #0 waits for Source: Sequence #1 (2,000)');
    expect(await page.textContent(`${map} [data-testid="low-watermark"]`)).toBe('2,000');
    expect(await page.getAttribute(`${source} [data-testid="held-back-by"]`, 'data-subtask')).toBe('1');
    // The per-subtask table: each map subtask waits for the lagging channel, marked among its inputs.
    const row = `${map} tr[data-key="1"]`;
    // The tasks report one by one: wait until the page saw the last of them.
    await expect.poll(() => page.locator(`${row} td`).allTextContents(), { timeout: 10_000 }).toEqual(['1', '2,000', 'ACTIVE', 'Source: Sequence #1', 'Source: Sequence #0: 5,000Source: Sequence #1: 2,000']);
    expect(await page.getAttribute(`${row} [data-holds="true"]`, 'data-channel')).toBe(`${SOURCE}/1`);
    // Downstream, the sink waits for a map subtask, and through it for the lagging source subtask.
    const sinkHeld = `[data-testid="watermark-vertex"][data-vertex="${hexId('Sink: Collect')}"] [data-testid="held-back-by"]`;
    await expect.poll(() => page.textContent(sinkHeld), { timeout: 10_000 }).toBe('subtask #0 waits for Keyed Map #0 (2,000), which waits for Source: Sequence #1');
    // The job graph shows each vertex's lowest watermark beside its backpressure.
    expect(await page.textContent(`[data-testid="job-graph"] .vertex[data-vertex="${MAP}"] [data-testid="vertex-watermark"]`)).toContain('WM 2,000');
    // The vertex table says it too.
    const vertexRow = `tr[data-key="${MAP}"]`;
    expect(await page.textContent(`${vertexRow} [data-testid="held-back-by"]`)).toBe('subtask #0 waits for Source: Sequence #1 (2,000)');
    await page.screenshot({ path: screenshotPath('flink-watermarks-lagging-source'), fullPage: true });

    // Subtask 1 overtakes subtask 0: the page follows without a reload, now blaming channel 0.
    await reportAll(5000, 9000);
    await page.waitForSelector(`${map} [data-testid="held-back-by"][data-input-subtask="0"]`, { timeout: 10_000 });
    await expect.poll(() => page.textContent(`${map} [data-testid="low-watermark"]`), { timeout: 10_000 }).toBe('5,000');

    // Both sources idle: every vertex says so instead of naming a subtask.
    await reportAll(5000, 9000, true);
    await page.waitForSelector(`${map} [data-testid="held-back-by"][data-idle="true"]`, { timeout: 10_000 });
    expect(await page.textContent(`${map} [data-testid="held-back-by"]`)).toBe('idle: every subtask is idle');
    expect(await page.textContent(`[data-testid="job-graph"] .vertex[data-vertex="${MAP}"] [data-testid="vertex-watermark"]`)).toContain('WM idle');
    await expect.poll(() => page.getAttribute(`${source} [data-testid="held-back-by"]`, 'data-idle'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => page.locator(`${map} tr[data-key="0"] td`).allTextContents(), { timeout: 10_000 }).toEqual(['0', '5,000', 'IDLE', '–', 'Source: Sequence #0: idleSource: Sequence #1: idle']);
    await page.screenshot({ path: screenshotPath('flink-watermarks-idle'), fullPage: true });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
