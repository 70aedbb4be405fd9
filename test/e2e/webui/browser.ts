import { describe, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, as `.ci/run` installs it (reference/platform.md). */
export const CHROMIUM = process.env.WEFT_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve('test-results/screenshots');

/**
 * Whether the browser suite can run. Without Chromium it is skipped with a visible warning,
 * unless `WEFT_REQUIRE_BROWSER=1` (CI) makes the missing browser a failing test.
 */
export function browserState(): 'present' | 'missing' | 'missing-required' {
  if (existsSync(CHROMIUM)) return 'present';
  if (process.env.WEFT_REQUIRE_BROWSER === '1') return 'missing-required';
  console.warn(`\n[webui e2e] SKIPPED: no Chromium at ${CHROMIUM}. Install it (apt-get install -y chromium) or set WEFT_CHROMIUM; WEFT_REQUIRE_BROWSER=1 makes this a failure.\n`);
  return 'missing';
}

export const missingBrowserMessage = `WEFT_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const screenshotPath = (name: string): string => resolve(SCREENSHOTS, `${name}.png`);

/**
 * A describe() for a browser suite: run when Chromium is there, skipped with a warning when it is
 * not, and one failing test instead when WEFT_REQUIRE_BROWSER=1 (CI) and it is missing.
 */
export function browserSuite(name: string, body: () => void): void {
  const state = browserState();
  if (state === 'missing-required') {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(missingBrowserMessage);
      });
    });
    return;
  }
  (state === 'present' ? describe : describe.skip)(name, body);
}
