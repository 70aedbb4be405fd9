import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startMiniCluster, type MiniCluster } from '../../fixtures/mini-cluster.ts';
import { ProcessRegistry } from '../../fixtures/processes.ts';
import { runWeft } from '../../fixtures/weft-cli.ts';
import { launchBrowser, screenshotPath, browserSuite } from './browser.ts';

/**
 * A container's log, read in the browser the way a user does: from the application page, through
 * the stdout link, on a real RM + NM. The log page reads the NodeManager (another origin), which
 * allows the RM's web UI origin.
 */
browserSuite('container logs in a real browser', () => {
  const registry = new ProcessRegistry();
  let cluster: MiniCluster;
  let browser: Browser;

  beforeAll(async () => {
    cluster = await startMiniCluster({ registry, nodes: 1, nodeMemoryMb: 4096 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    const dir = cluster?.dir;
    await cluster?.stop();
    await registry.cleanup();
    await registry.assertNoneLeft(dir ? [dir] : []);
  });

  it("shows a container's stdout through the application page's log link", async () => {
    const marker = `hello-from-the-log-page-${randomBytes(4).toString('hex')}`;
    const res = await runWeft(['dshell', '--num-containers', '1', '--container-memory', '128', '--', `echo ${marker}`], { rmUrl: cluster.rmUrl, registry });
    expect(res.code, res.stderr).toBe(0);
    const appId = /application_\d+_\d+/.exec(res.stdout + res.stderr)![0];

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${cluster.rmUrl}/#/apps/${appId}`);
    // The shell container is the attempt's second container; its stdout link opens the log page.
    const row = page.locator('tr', { hasText: '_000002' }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.locator('a', { hasText: /^stdout$/ }).click();
    const log = page.getByTestId('log-text');
    await expect.poll(async () => log.textContent(), { timeout: 15_000 }).toContain(marker);
    await page.screenshot({ path: screenshotPath('container-log'), fullPage: true });
    await page.close();
  });
});
