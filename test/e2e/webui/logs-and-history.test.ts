import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ProcessRegistry } from '../../fixtures/processes.ts';
import { rmRest } from '../../fixtures/rm-rest.ts';
import { waitFor } from '../../fixtures/wait.ts';
import { startWeftCluster, type WeftCluster } from '../../fixtures/weft-cluster.ts';
import { runWeft } from '../../fixtures/weft-cli.ts';
import { FLINK_FLAGS } from '../flink/flink-e2e.ts';
import { launchBrowser, screenshotPath, browserSuite } from './browser.ts';

/**
 * Logs and finished jobs in a real browser, on the cluster `weft cluster start` runs: a
 * TaskManager's Logs and Stdout tabs on the Flink dashboard while a session job print()s; then,
 * once the session has stopped, the application's tracking link leads to the Flink history
 * server's dashboard with the job, the RM UI's log page lists every file of the TaskManager's
 * container from the aggregated copy, and the NM's log link is a page, not JSON.
 */
browserSuite('logs and the history server in a real browser', () => {
  const registry = new ProcessRegistry();
  let cluster: WeftCluster;
  let browser: Browser;
  let appId = '';
  let jobId = '';
  let tmContainer = '';
  const pageErrors: string[] = [];
  const weft = (args: string[], timeoutMs = 110_000) => runWeft(args, { rmUrl: cluster.ready.url, registry, timeoutMs });

  beforeAll(async () => {
    cluster = await startWeftCluster(registry, { nodes: 1, nodeMemoryMb: 4096 });
    browser = await launchBrowser();
    const res = await weft(['--json', 'session', 'start', '--detached', '--name', 'logs session', ...FLINK_FLAGS]);
    expect(res.code, res.stderr).toBe(0);
    appId = /application_\d+_\d+/.exec(res.stdout)![0];
  });

  afterAll(async () => {
    await browser?.close();
    const dir = cluster?.dir;
    await cluster?.stop();
    await registry.cleanup();
    await registry.assertNoneLeft(dir ? [dir] : []);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows a TaskManager's log and its print() output in the Logs and Stdout tabs", async () => {
    const run = await weft(['--json', 'run', '--target', 'session', '--app', appId, '--detached', 'test/e2e/flink/jobs/slow-count.ts', '--', '--name', 'Printing job', '--events', '100000', '--rate', '20']);
    expect(run.code, run.stderr).toBe(0);
    jobId = (JSON.parse(run.stdout) as { jobId: string }).jobId;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${cluster.ready.url}/proxy/${appId}/#/`);
    const card = page.locator('[data-tm-id]').first();
    await card.waitFor({ timeout: 45_000 });
    tmContainer = String(await card.getAttribute('data-tm-id'));

    await card.locator('[data-testid="tm-stdout"]').click();
    await page.waitForSelector('a.tab.active[data-tab="stdout"]');
    const text = page.getByTestId('log-text');
    await expect.poll(async () => text.textContent(), { timeout: 20_000 }).toMatch(/k[0-3]/);
    expect(await text.textContent()).not.toContain('"level"');
    await page.screenshot({ path: screenshotPath('flink-tm-stdout'), fullPage: true });

    await page.click('a.tab[data-tab="logs"]');
    await expect.poll(async () => page.getByTestId('log-text').textContent(), { timeout: 20_000 }).toContain('"process":"taskmanager"');
    await page.screenshot({ path: screenshotPath('flink-tm-log'), fullPage: true });

    await page.click('a.tab[data-tab="log-list"]');
    for (const f of ['taskmanager.log', 'taskmanager.out', 'taskmanager.err']) await page.waitForSelector(`text=${f}`, { timeout: 10_000 });

    // The Job Manager page lists the JobManager's own files the same way.
    await page.click('.nav-item:text-is("Job Manager")');
    await page.click('a.tab[data-tab="log-list"]');
    for (const f of ['jobmanager.log', 'jobmanager.out', 'jobmanager.err']) await page.waitForSelector(`text=${f}`, { timeout: 10_000 });
    await page.screenshot({ path: screenshotPath('flink-jm-log-list'), fullPage: true });
    await page.close();

    // The same files of the running app from the CLI, read from the NodeManager.
    const logs = await weft(['logs', appId, '--container', tmContainer]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('LogAggregationType: LOCAL');
    expect(logs.stdout.match(/^LogType:.*$/gm)).toEqual(['LogType:stderr', 'LogType:stdout', 'LogType:taskmanager.err', 'LogType:taskmanager.log', 'LogType:taskmanager.out']);
    expect(/LogType:taskmanager\.out\nLogLength:\d+\nLogContents:\n[^\n]*"key":"k/.test(logs.stdout)).toBe(true);
  });

  it('leads from the finished application to the history server dashboard with the job', async () => {
    // A cancelled job is globally terminal and archived; a session stop alone suspends its jobs, as in Flink.
    expect((await weft(['job', 'cancel', jobId, '--app', appId])).code).toBe(0);
    expect((await weft(['session', 'stop', appId], 60_000)).code).toBe(0);
    const rm = rmRest(cluster.ready.url);
    await waitFor(async () => (await rm.app({ params: { appid: appId }, body: undefined })).app.state === 'FINISHED', { timeoutMs: 30_000, description: 'the session app FINISHED' });

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const appPage = await context.newPage();
    appPage.on('pageerror', (e) => pageErrors.push(e.message));
    await appPage.goto(`${cluster.ready.url}/#/apps/${appId}`);
    const link = appPage.locator('a.button', { hasText: 'Flink history' });
    await link.waitFor({ timeout: 15_000 });
    const [history] = await Promise.all([context.waitForEvent('page'), link.click()]);
    history.on('pageerror', (e) => pageErrors.push(e.message));
    await history.waitForLoadState();
    expect(history.url()).toBe(`${cluster.ready.historyServer.url}/`);
    await history.waitForSelector('[data-testid="live-dot"][data-status="archive"]');
    // The history server lists the cancelled job within a refresh.
    const row = history.locator(`tr[data-key="${jobId}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('Printing job');
    expect(await history.textContent('[data-testid="identity"]')).toContain('History Server');
    expect(await history.locator('.nav-item').allTextContents()).toEqual(['Completed Jobs']);
    await history.screenshot({ path: screenshotPath('flink-history-jobs'), fullPage: true });

    await row.locator('a.job-name').click();
    await history.waitForSelector('[data-testid="job-graph"] .vertex', { timeout: 10_000 });
    expect(await history.textContent('[data-testid="job-name"]')).toBe('Printing job');
    expect(await history.locator('[data-testid="cancel-job"]').count()).toBe(0);
    await history.screenshot({ path: screenshotPath('flink-history-job'), fullPage: true });
    await context.close();
  });

  it("lists every file of the finished TaskManager's container from the aggregated logs", async () => {
    const rm = rmRest(cluster.ready.url);
    await waitFor(async () => (await rm.app({ params: { appid: appId }, body: undefined })).app.logAggregationStatus === 'SUCCEEDED', {
      timeoutMs: 20_000,
      description: 'logAggregationStatus SUCCEEDED',
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${cluster.ready.url}/#/apps/${appId}`);
    const row = page.locator('tr', { hasText: tmContainer.slice(-6) }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.getByTestId('all-logs').click();
    await page.waitForSelector('[data-testid="log-source"]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid="log-source"]')).toContain('aggregated');
    const chips = await page.locator('[data-testid="log-files"] a.chip').allTextContents();
    expect(chips).toEqual(['stderr', 'stdout', 'taskmanager.err', 'taskmanager.log', 'taskmanager.out']);
    await expect.poll(async () => page.getByTestId('log-text').textContent(), { timeout: 10_000 }).toContain('"process":"taskmanager"');
    await page.click('[data-testid="log-files"] a.chip:text-is("taskmanager.out")');
    await expect.poll(async () => page.getByTestId('log-text').textContent(), { timeout: 10_000 }).toMatch(/k[0-3]/);
    await page.screenshot({ path: screenshotPath('container-logs-aggregated'), fullPage: true });

    // The NodeManager's log link, as YARN hands it out, is a page.
    const { app } = await rm.app({ params: { appid: appId }, body: undefined });
    const nmPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const response = await nmPage.goto(app.amContainerLogs!);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    await nmPage.waitForSelector('text=jobmanager.log');
    await nmPage.screenshot({ path: screenshotPath('nm-container-logs'), fullPage: true });
    await nmPage.close();
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
