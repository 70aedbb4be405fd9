import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startMiniCluster, type MiniCluster } from '../../fixtures/mini-cluster.ts';
import { ProcessRegistry } from '../../fixtures/processes.ts';
import { runWeft } from '../../fixtures/weft-cli.ts';
import { FLINK_FLAGS } from '../flink/flink-e2e.ts';
import { launchBrowser, screenshotPath, browserSuite } from './browser.ts';

/**
 * The Flink dashboard in a real browser, on a real mini cluster (1 RM + 2 NMs) with a Flink
 * session: reached from the cluster UI's application page through the RM's web proxy, updated
 * live over the proxied websocket as a job is submitted, occupies slots and is cancelled.
 */
browserSuite('Flink dashboard in a real browser', () => {
  const registry = new ProcessRegistry();
  let cluster: MiniCluster;
  let browser: Browser;
  let appId = '';
  const pageErrors: string[] = [];
  const weft = (args: string[], timeoutMs = 110_000) => runWeft(args, { rmUrl: cluster.rmUrl, registry, timeoutMs });

  beforeAll(async () => {
    cluster = await startMiniCluster({ registry, nodes: 2, nodeMemoryMb: 4096 });
    browser = await launchBrowser();
    const res = await weft(['--json', 'session', 'start', '--detached', '--name', 'dashboard session', ...FLINK_FLAGS]);
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
  });

  const notReloaded = (page: Page): Promise<boolean> => page.evaluate<boolean>('window.__noReload === true');

  it('is linked from the YARN application page and follows a job live through the proxy', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const appPage = await context.newPage();
    appPage.on('pageerror', (e) => pageErrors.push(e.message));
    await appPage.goto(`${cluster.rmUrl}/#/apps/${appId}`);
    const link = appPage.locator('a.button', { hasText: 'Flink dashboard' });
    await link.waitFor({ timeout: 15_000 });
    expect(await link.getAttribute('href')).toBe(`${cluster.rmUrl}/proxy/${appId}/`);
    const [dash] = await Promise.all([context.waitForEvent('page'), link.click()]);
    dash.on('pageerror', (e) => pageErrors.push(e.message));
    await dash.waitForLoadState();
    expect(new URL(dash.url()).pathname).toBe(`/proxy/${appId}/`);
    await dash.waitForSelector('[data-testid="live-dot"][data-status="live"]', { timeout: 10_000 });
    await dash.waitForSelector('[data-testid="card-taskmanagers"]');
    await dash.evaluate('window.__noReload = true');
    expect(await dash.textContent('[data-testid="card-taskmanagers"] .card-value')).toBe('0');
    expect(await dash.getAttribute('.nav-section[data-section="YARN"] a', 'href')).toBe(`${cluster.rmUrl}/#/apps/${appId}`);
    expect(await dash.textContent('[data-testid="identity"]')).toContain(appId);

    // Submit a long job: it appears, a TaskManager starts, its slot shows the job — no reload.
    const run = await weft(['--json', 'run', '--target', 'session', '--app', appId, '--detached', 'test/e2e/flink/jobs/slow-count.ts', '--', '--name', 'Dashboard <b>demo</b>', '--events', '4000', '--rate', '20']);
    expect(run.code, run.stderr).toBe(0);
    const jobId = (JSON.parse(run.stdout) as { jobId: string }).jobId;
    await dash.waitForSelector(`tr[data-key="${jobId}"]`, { timeout: 10_000 });
    expect(await dash.textContent(`tr[data-key="${jobId}"] .job-name`)).toBe('Dashboard <b>demo</b>');
    await dash.waitForSelector('[data-tm-id]', { timeout: 45_000 });
    await dash.waitForSelector(`.slot-used[data-job="${jobId}"]`, { timeout: 20_000 });
    await dash.waitForSelector(`tr[data-key="${jobId}"] .badge[data-state="RUNNING"]`, { timeout: 20_000 });
    await expect.poll(() => dash.textContent('[data-testid="card-taskmanagers"] .card-value'), { timeout: 10_000 }).toBe('1');
    await expect.poll(() => dash.locator(`.slot-used[data-job="${jobId}"] .slot-tasks li`).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await notReloaded(dash)).toBe(true);
    await dash.screenshot({ path: screenshotPath('flink-overview'), fullPage: true });

    // The job page: the graph with its vertices, running, with records and backpressure.
    await dash.click(`tr[data-key="${jobId}"] a.job-name`);
    await dash.waitForSelector('[data-testid="job-graph"] .vertex', { timeout: 10_000 });
    expect(await dash.locator('[data-testid="job-graph"] .vertex').count()).toBeGreaterThanOrEqual(2);
    expect(await dash.locator('[data-testid="job-graph"] .edge').count()).toBeGreaterThanOrEqual(1);
    await dash.waitForSelector('[data-testid="job-graph"] .vertex[data-state="RUNNING"]', { timeout: 15_000 });
    await dash.waitForSelector('[data-testid="job-graph"] .vertex[data-bp="OK"], [data-testid="job-graph"] .vertex[data-bp="LOW"], [data-testid="job-graph"] .vertex[data-bp="HIGH"]', { timeout: 10_000 });
    const graphText = await dash.textContent('[data-testid="job-graph"]');
    expect(graphText).toContain('events');
    expect(graphText).toMatch(/parallelism \d+/);
    expect(graphText).toMatch(/HASH|FORWARD|REBALANCE/);
    expect(await dash.textContent('[data-testid="job-name"]')).toBe('Dashboard <b>demo</b>');
    await dash.waitForTimeout(3500);
    await dash.screenshot({ path: screenshotPath('flink-job'), fullPage: true });

    await dash.click('a.tab[data-tab="checkpoints"]');
    await dash.waitForSelector('[data-testid="checkpoints-placeholder"]');
    expect(await dash.textContent('[data-testid="checkpoints-placeholder"]')).toContain('later version');
    await dash.click('a.tab[data-tab="overview"]');
    await dash.waitForSelector('[data-testid="job-graph"] .vertex');

    // Cancel from the page: the state changes live.
    await dash.click('[data-testid="cancel-job"]');
    await dash.waitForSelector('[data-testid="job-state"] .badge[data-state="CANCELED"]', { timeout: 20_000 });
    expect(await notReloaded(dash)).toBe(true);

    // Back on the overview the job counts as cancelled and its slots free up.
    await dash.click('.nav-item[href="#/"]');
    await dash.waitForSelector(`tr[data-key="${jobId}"] .badge[data-state="CANCELED"]`, { timeout: 10_000 });
    await expect.poll(() => dash.textContent('[data-jobs="cancelled"] b'), { timeout: 10_000 }).toBe('1');
    expect(await notReloaded(dash)).toBe(true);
    await context.close();
  });

  it('renders the TaskManagers page, dark and narrow, without errors', async () => {
    // A running job keeps its TaskManager: an idle one is released after resourcemanager.taskmanager-timeout.
    const run = await weft(['--json', 'run', '--target', 'session', '--app', appId, '--detached', 'test/e2e/flink/jobs/slow-count.ts', '--', '--events', '4000', '--rate', '20']);
    expect(run.code, run.stderr).toBe(0);
    const jobId = (JSON.parse(run.stdout) as { jobId: string }).jobId;
    const dark = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    dark.on('pageerror', (e) => pageErrors.push(e.message));
    await dark.goto(`${cluster.rmUrl}/proxy/${appId}/#/taskmanagers`);
    await dark.waitForSelector('[data-testid="live-dot"][data-status="live"]', { timeout: 10_000 });
    await dark.waitForSelector('.page-flink-tms .panel');
    await dark.screenshot({ path: screenshotPath('flink-taskmanagers-dark'), fullPage: true });
    // The TaskManager's Metrics tab: its own memory and GC, as its heartbeats report them.
    const tmId = await dark.waitForSelector('[data-tm-id]', { timeout: 45_000 }).then((e) => e.getAttribute('data-tm-id'));
    await dark.goto(`${cluster.rmUrl}/proxy/${appId}/#/taskmanagers/${tmId}?tab=metrics`);
    await dark.waitForSelector('tr[data-key="Heap"]');
    expect(await dark.textContent('tr[data-key="Heap"] td:nth-child(2)')).toMatch(/\d+(\.\d)? (KB|MB|GB)/);
    await dark.waitForSelector('tr[data-key="Scavenge"]');
    await dark.screenshot({ path: screenshotPath('flink-taskmanager-metrics-dark'), fullPage: true });
    await dark.close();

    const narrow = await browser.newPage({ viewport: { width: 400, height: 900 } });
    narrow.on('pageerror', (e) => pageErrors.push(e.message));
    await narrow.goto(`${cluster.rmUrl}/proxy/${appId}/#/`);
    await narrow.waitForSelector('[data-testid="card-slots"]');
    await narrow.waitForSelector('table.grid');
    await narrow.waitForSelector('[data-tm-id]', { timeout: 45_000 });
    await narrow.waitForSelector('[data-testid="live-dot"][data-status="live"]', { timeout: 10_000 });
    const overflow = await narrow.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await narrow.screenshot({ path: screenshotPath('flink-overview-narrow'), fullPage: true });
    await narrow.close();
    expect((await weft(['job', 'cancel', '--app', appId, jobId])).code).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
