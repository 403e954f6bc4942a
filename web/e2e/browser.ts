import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (scripts/ensure-chromium.sh checks it is there), headless and offline. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

const BUILD = new URL('../../dist/web/index.html', import.meta.url);

/** The end-to-end tests drive the built dashboard: `npm test` builds it first (pretest). */
export function requireDashboardBuild(): void {
  if (!existsSync(BUILD))
    throw new Error('dist/web is not built: run `npm run build:web` (npm test does it first)');
}

/**
 * Where the screenshots go: docs/images/ with SCREENSHOTS=docs (`npm run screenshots`), else a
 * temporary folder, so an ordinary test run leaves the work tree alone.
 */
export function screenshotDir(fallback: string): string {
  const dir =
    process.env.SCREENSHOTS === 'docs'
      ? new URL('../../docs/images/', import.meta.url).pathname
      : join(fallback, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
