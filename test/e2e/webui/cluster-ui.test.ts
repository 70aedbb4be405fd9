import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { UiRm } from '../../integration/webui/ui-rm.ts';
import { launchBrowser, screenshotPath, browserSuite } from './browser.ts';
import { reportDone, runApp } from './scenario.ts';

const XSS = '<img src=x onerror=alert(1)>';
browserSuite('cluster web UI in a real browser', () => {
  let ui: UiRm;
  let browser: Browser;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ui = await UiRm.start({
      properties: {
        'yarn.scheduler.capacity.maximum-am-resource-percent': 0.5,
        'yarn.scheduler.capacity.root.queues': 'default,batch',
        'yarn.scheduler.capacity.root.default.capacity': 70,
        'yarn.scheduler.capacity.root.batch.capacity': 30,
        'yarn.scheduler.capacity.root.batch.maximum-capacity': 50,
      },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  /** A fresh page; marks its window so a test can prove there was no reload. */
  async function open(hash: string, options: { width?: number; dark?: boolean } = {}): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: 900 }, colorScheme: options.dark ? 'dark' : 'light' });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${ui.url}/${hash}`);
    await page.waitForSelector('[data-testid="live-dot"][data-status="live"]');
    // Page-side code runs as strings: the test project has no DOM types.
    await page.evaluate('window.__noReload = true');
    return page;
  }

  const notReloaded = (page: Page): Promise<boolean> => page.evaluate<boolean>('window.__noReload === true');

  it('shows nodes on the cluster page as they register, without reloading', async () => {
    const page = await open('#/');
    await page.waitForSelector('[data-testid="card-nodes"]');
    await ui.addNode('node-a:45454', 8192, 8);
    await ui.addNode('node-b:45454', 8192, 8);
    await page.waitForSelector('tr[data-key="node-a:45454"]', { timeout: 5000 });
    await page.waitForSelector('tr[data-key="node-b:45454"]', { timeout: 5000 });
    await expect.poll(() => page.textContent('[data-testid="card-nodes"] .card-value')).toBe('2');
    expect(await page.textContent('tr[data-key="node-a:45454"]')).toContain('RUNNING');
    expect(await page.textContent('[data-testid="identity"]')).toMatch(/RM \S+/);
    expect(await notReloaded(page)).toBe(true);
    await page.close();
  });

  it('lists submitted apps live and shows a kill as it happens', async () => {
    const page = await open('#/apps');
    await page.waitForSelector('table.grid');
    const first = await ui.submit('live one');
    const second = await ui.submit('live two', 'bob');
    await page.waitForSelector(`tr[data-key="${first}"]`, { timeout: 5000 });
    await page.waitForSelector(`tr[data-key="${second}"]`, { timeout: 5000 });
    expect(await page.textContent(`tr[data-key="${second}"]`)).toContain('bob');

    await ui.kill(second, 'bob');
    await page.waitForSelector(`tr[data-key="${second}"] .badge[data-state="KILLED"]`, { timeout: 5000 });
    // The filter chips count it, and the KILLED filter shows it alone of the two.
    await page.click('a.chip[data-state="KILLED"]');
    await page.waitForSelector(`tr[data-key="${second}"]`);
    expect(await page.$(`tr[data-key="${first}"]`)).toBeNull();
    expect(await notReloaded(page)).toBe(true);
    await page.close();
  });

  it('renders an application named like markup as text', async () => {
    const page = await open('#/apps');
    const appId = await ui.submit(XSS, 'mallory');
    const row = `tr[data-key="${appId}"]`;
    await page.waitForSelector(row, { timeout: 5000 });
    expect(await page.textContent(`${row} .app-name`)).toBe(XSS);
    expect(await page.locator('img').count()).toBe(0);

    await page.click(`${row} a[href="#/apps/${appId}"]`);
    await page.waitForSelector('[data-testid="app-name"]');
    expect(await page.textContent('[data-testid="app-name"]')).toBe(XSS);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.title()).not.toContain('<img');
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('shows an application with its attempts, containers, log links and a live timeline', async () => {
    const app = await runApp(ui, 'timeline demo', 3);
    const [ok, failed, running] = app.containers;
    await reportDone(ui, ok!.nodeId, ok!.id, 0);
    await reportDone(ui, failed!.nodeId, failed!.id, 1, 'Exception from container-launch.\nExit code: 1');

    const page = await open(`#/apps/${app.appId}`);
    await page.waitForSelector(`[data-container-id="${running!.id}"]`, { timeout: 5000 });
    expect(await page.locator('[data-container-id]').count()).toBe(4);
    expect(await page.locator('[data-testid="timeline"] .tl-bar').count()).toBe(4);
    expect(await page.locator(`[data-container="${ok!.id}"] .tl-bar.tone-ok`).count()).toBe(1);
    expect(await page.locator(`[data-container="${failed!.id}"] .tl-bar.tone-bad`).count()).toBe(1);
    expect(await page.locator(`[data-container="${running!.id}"] .tl-bar.tl-open`).count()).toBe(1);
    const row = page.locator(`tr[data-key="${failed!.id}"]`);
    expect(await row.textContent()).toContain('Exception from container-launch.');
    const raw = await row.locator('a.raw').first().getAttribute('href');
    expect(raw).toBe(`http://${failed!.nodeHttpAddress}/ws/v1/node/containerlogs/${failed!.id}/stdout`);
    expect(await page.textContent('.page-app')).toContain('Attempt 1');

    // The running container ends while the page is open: its bar closes without a reload.
    await reportDone(ui, running!.nodeId, running!.id, 0);
    await page.waitForSelector(`[data-container="${running!.id}"] .tl-bar.tone-ok`, { timeout: 5000 });
    expect(await notReloaded(page)).toBe(true);
    await page.screenshot({ path: screenshotPath('application'), fullPage: true });
    await page.close();
  });

  it('says prominently why an ACCEPTED application waits', async () => {
    const appId = await ui.submit('too big to start', 'carol', { queue: 'batch', resource: { memory: 8192, vCores: 1 } });
    for (const nm of ui.nms.values()) await nm.heartbeat();
    const page = await open(`#/apps/${appId}`);
    await page.waitForSelector('[data-testid="why-waiting"]', { timeout: 5000 });
    expect(await page.textContent('[data-testid="why-waiting"]')).toMatch(/\S{10,}/);
    await page.close();
  });

  it("shows each leaf queue's AM limit and what AMs use of it, as the scheduler REST reports them", async () => {
    type Leaf = { queueName: string; configuredMaxAMResourceLimit: number; AMResourceLimit: { memory: number; vCores: number }; usedAMResource: { memory: number; vCores: number } };
    const sched = (await (await fetch(`${ui.url}/ws/v1/cluster/scheduler`)).json()) as { scheduler: { schedulerInfo: { queues: { queue: Leaf[] } } } };
    const batch = sched.scheduler.schedulerInfo.queues.queue.find((q) => q.queueName === 'batch')!;
    expect(batch.configuredMaxAMResourceLimit).toBe(0.5);
    expect(batch.AMResourceLimit.memory).toBeGreaterThan(0);
    const page = await open('#/queues');
    const row = 'tr[data-key="root.batch"]';
    await page.waitForSelector(`${row} [data-am="limit"]`);
    const gb = (mb: number): string => (mb >= 1024 ? `${(mb / 1024).toFixed(1).replace(/\.0$/, '')} GB` : `${mb} MB`);
    const cell = async (which: string): Promise<string[]> => page.locator(`${row} [data-am="${which}"] > span`).allTextContents();
    expect(await cell('limit')).toEqual([gb(batch.AMResourceLimit.memory), ' (50%)', `${batch.AMResourceLimit.vCores} vcores`]);
    expect(await cell('used')).toEqual([gb(batch.usedAMResource.memory), `${batch.usedAMResource.vCores} vcores`]);
    expect(await page.textContent('table.grid thead')).toContain('AM limit');
    await page.close();
  });

  it('fits a narrow window and renders the dark theme, saving screenshots', async () => {
    const wide = await open('#/');
    await wide.waitForSelector('tr[data-key="node-a:45454"]');
    await wide.waitForSelector('[data-testid="card-apps"]');
    await wide.screenshot({ path: screenshotPath('cluster'), fullPage: true });
    await wide.close();

    const dark = await open('#/', { dark: true });
    await dark.waitForSelector('tr[data-key="node-a:45454"]');
    const bg = await dark.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(bg).not.toBe('rgb(246, 247, 249)');
    await dark.screenshot({ path: screenshotPath('cluster-dark'), fullPage: true });
    await dark.close();

    const narrow = await open('#/', { width: 400 });
    await narrow.waitForSelector('tr[data-key="node-a:45454"]');
    const overflow = await narrow.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await narrow.screenshot({ path: screenshotPath('cluster-narrow'), fullPage: true });
    await narrow.close();

    const queues = await open('#/queues');
    await queues.waitForSelector('tr[data-key="root.batch"], tr[data-key="batch"]');
    await queues.screenshot({ path: screenshotPath('queues'), fullPage: true });
    await queues.close();
    expect(pageErrors).toEqual([]);
  });
});
