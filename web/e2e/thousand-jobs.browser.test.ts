/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import { startNodeServer, type NodeServer } from '../../test/support/node-process.js';
import { launchChromium } from '../../test/support/chromium.js';
import { requireDashboardBuild } from '../../test/browser/browser.js';
import { seedHistory, type SeedJob } from '../../test/browser/seed.js';

/**
 * The jobs page over 1,000 jobs of 30 runs each: a fixed number of API calls whatever the
 * number of jobs, and a first screen well inside a second on this machine.
 */
describe('the jobs page with 1,000 jobs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-thousand-'));
  let server: NodeServer;
  let browser: Browser;

  beforeAll(async () => {
    requireDashboardBuild();
    const jobs: SeedJob[] = Array.from({ length: 1000 }, (_, i) => ({
      name: `job ${String(i).padStart(4, '0')}`,
      type: ['etl', 'backup', 'sync', 'cron'][i % 4]!,
      everyHours: 2,
      durations: Array.from({ length: 30 }, (_, r) =>
        (i * 31 + r * 17) % 13 === 0 ? -5 : 20 + ((i + r) % 40),
      ),
    }));
    await seedHistory(join(dir, 'thousand.db'), jobs);
    server = await startNodeServer({
      DATABASE_FILE: join(dir, 'thousand.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      RATE_LIMIT_PER_MINUTE: '0',
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the first 100 cards in three API calls, timed, and pages on', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.addInitScript(
      (key) => window.sessionStorage.setItem('chronotrack.apiKey', key),
      TEST_ADMIN_KEY,
    );
    const page = await context.newPage();
    const apiCalls: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) apiCalls.push(url.pathname);
    });
    // Warm the server's prepared statements and the browser's cache of the files, as a second
    // visit would find them; then time a fresh navigation.
    await page.goto(server.baseUrl + '/');
    await page.locator('article.job-card').nth(99).waitFor();
    apiCalls.length = 0;
    const started = Date.now();
    await page.reload();
    await page.locator('article.job-card').nth(99).waitFor();
    const elapsed = Date.now() - started;
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd) };
    });
    console.info(
      `1,000 jobs: 100 cards with their strips in ${elapsed} ms (DOMContentLoaded ${timing.domContentLoaded} ms)`,
    );
    expect(await page.locator('article.job-card').count()).toBe(100);
    expect(await page.locator('article.job-card .bar').count()).toBe(3000);
    // One call for the key, one for the project names, one for the page of jobs: not one per job.
    expect(apiCalls.sort()).toEqual(['/api/jobs/summaries', '/api/me', '/api/projects']);
    // Alone on this machine it is about 0.7 s; the bound leaves room for a busy CI run (the full
    // suite runs test files side by side on two cores), where it has taken up to 2.2 s.
    expect(elapsed).toBeLessThan(5000);
    await page.getByRole('button', { name: 'Show more jobs' }).click();
    await page.locator('article.job-card').nth(199).waitFor();
    expect(apiCalls.filter((path) => path === '/api/jobs/summaries')).toHaveLength(2);
    await context.close();
  }, 60_000);
});
