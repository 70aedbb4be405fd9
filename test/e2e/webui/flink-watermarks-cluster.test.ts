import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startMiniCluster, type MiniCluster } from '../../fixtures/mini-cluster.ts';
import { ProcessRegistry } from '../../fixtures/processes.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { runWeft } from '../../fixtures/weft-cli.ts';
import { FAST_FLINK_CONF, flinkGet } from '../flink/flink-e2e.ts';
import { launchBrowser, screenshotPath, browserSuite } from './browser.ts';

/**
 * The job page's watermarks on a real cluster: a Flink session with two one-slot TaskManagers
 * runs test/e2e/flink/jobs/silent-source.ts at parallelism 2, whose source subtask 1 goes silent
 * after its first reading. Through the RM's proxy, the page names the windows' subtask and the
 * input channel from source subtask 1 as what holds the windows back, and follows live when that
 * subtask resumes — from the tasks' own heartbeats, nothing scripted.
 */
browserSuite('Flink watermarks on a real cluster in a real browser', () => {
  const registry = new ProcessRegistry();
  let cluster: MiniCluster;
  let browser: Browser;
  let appId = '';
  let scratch = '';
  const weft = (args: string[], timeoutMs = 110_000) => runWeft(args, { rmUrl: cluster.rmUrl, registry, timeoutMs });

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'weft-watermarks-e2e-'));
    cluster = await startMiniCluster({ registry, nodes: 2, nodeMemoryMb: 4096 });
    browser = await launchBrowser();
    const flags = ['--tm-memory', '256', '--jm-memory', '256', '--slots', '1', ...FAST_FLINK_CONF.flatMap((kv) => ['-D', kv])];
    const res = await weft(['--json', 'session', 'start', '--detached', '--name', 'watermarks session', ...flags]);
    expect(res.code, res.stderr).toBe(0);
    appId = /application_\d+_\d+/.exec(res.stdout)![0];
  });

  afterAll(async () => {
    await browser?.close();
    if (appId) await weft(['session', 'stop', appId], 60_000).catch(() => undefined);
    const dir = cluster?.dir;
    await cluster?.stop();
    await registry.cleanup();
    await registry.assertNoneLeft(dir ? [dir] : []);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('names the silent source subtask as what holds the windows back, then follows it live', async () => {
    const resume = join(scratch, 'resume');
    const run = await weft(['--json', 'run', '--target', 'session', '--app', appId, '--detached', '--parallelism', '2', 'test/e2e/flink/jobs/silent-source.ts', '--', '--resume', resume]);
    expect(run.code, run.stderr).toBe(0);
    const jobId = (JSON.parse(run.stdout) as { jobId: string }).jobId;
    const job = await waitFor(
      async () => {
        const j = await flinkGet<{ state: string; vertices: { id: string; name: string }[] }>(cluster.rmUrl, appId, `/jobs/${jobId}`);
        return j.state === 'RUNNING' ? j : undefined;
      },
      { timeoutMs: 60_000, description: 'the job RUNNING' },
    );
    const windows = job.vertices.find((v) => v.name.includes('10 s windows'))!;
    const source = job.vertices.find((v) => v.name.startsWith('Source:'))!;

    const pageErrors: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${cluster.rmUrl}/proxy/${appId}/#/jobs/${jobId}`);
    const held = `[data-testid="watermark-vertex"][data-vertex="${windows.id}"] [data-testid="held-back-by"]`;
    // Source subtask 1 sent one reading at 2 s (watermark 2000 - 1000 - 1); subtask 0 is at 23 999.
    await page.waitForSelector(`${held}[data-input-vertex="${source.id}"][data-input-subtask="1"]`, { timeout: 60_000 });
    await expect.poll(() => page.textContent(held), { timeout: 30_000 }).toMatch(/ waits for Source: .* #1 \(999\)$/);
    await expect.poll(() => page.textContent(`[data-testid="watermark-vertex"][data-vertex="${windows.id}"] [data-testid="low-watermark"]`), { timeout: 30_000 }).toBe('999');
    await page.screenshot({ path: screenshotPath('flink-watermarks-cluster-held-back'), fullPage: true });

    // Subtask 1 resumes (its last reading at 26 s): now subtask 0's channel is the lower one.
    writeFileSync(resume, '');
    await page.waitForSelector(`${held}[data-input-subtask="0"]`, { timeout: 60_000 });
    await expect.poll(() => page.textContent(`[data-testid="watermark-vertex"][data-vertex="${windows.id}"] [data-testid="low-watermark"]`), { timeout: 30_000 }).toBe('23,999');
    await page.screenshot({ path: screenshotPath('flink-watermarks-cluster-resumed'), fullPage: true });
    await page.close();
    expect(pageErrors).toEqual([]);

    const cancel = await fetch(`${cluster.rmUrl}/proxy/${appId}/jobs/${jobId}?mode=cancel`, { method: 'PATCH' });
    expect(cancel.status).toBe(202);
  });
});
