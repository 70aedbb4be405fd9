import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, as `.ci/run` installs it (reference/platform.md). */
export const CHROMIUM = process.env.WEFT_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve('test-results/screenshots');

/**
 * Whether the browser suite runs: with Chromium present, or when `WEFT_REQUIRE_BROWSER=1` says a
 * missing browser is a failure (CI). Otherwise the suite is skipped with a visible warning.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.WEFT_REQUIRE_BROWSER === '1') return true;
  console.warn(`\n[webui e2e] SKIPPED: no Chromium at ${CHROMIUM}. Install it (apt-get install -y chromium) or set WEFT_CHROMIUM; WEFT_REQUIRE_BROWSER=1 makes this a failure.\n`);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`WEFT_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const screenshotPath = (name: string): string => resolve(SCREENSHOTS, `${name}.png`);
