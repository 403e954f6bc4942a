import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../../functions/http/middleware/content-security-policy.js';
import { client } from '../../test/support/client.js';
import { TEST_ADMIN_KEY } from '../../test/support/keys.js';
import {
  startNodeServer,
  stopNodeServer,
  type NodeServer,
} from '../../test/support/node-process.js';
import { launchChromium } from '../../test/support/chromium.js';
import { requireDashboardBuild, watchCspViolations } from '../../test/browser/browser.js';

/**
 * The dashboard and /api/docs under their Content-Security-Policy, in Chromium against the Node
 * server: every page renders, and not one load or script is refused.
 */
describe('Content-Security-Policy in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-csp-'));
  let server: NodeServer;
  let browser: Browser;
  beforeAll(async () => {
    requireDashboardBuild();
    server = await startNodeServer({
      DATABASE_FILE: join(dir, 'csp.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) await stopNodeServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves each kind of answer with its policy and Permissions-Policy', async () => {
    const html = { Accept: 'text/html' };
    const dashboard = await fetch(`${server.baseUrl}/jobs/1`, { headers: html });
    expect(dashboard.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(dashboard.headers.get('permissions-policy')).toContain('camera=()');
    const docs = await fetch(`${server.baseUrl}/api/docs`);
    expect(docs.headers.get('content-security-policy')).toBe(PAGE_CSP);
    const api = await fetch(`${server.baseUrl}/api/jobs`);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect((await fetch(`${server.baseUrl}/health`)).headers.get('permissions-policy')).toContain(
      'microphone=()',
    );
    // No inline script left for the policies to allow.
    expect(await dashboard.text()).not.toMatch(/<script>|<script(?![^>]*\ssrc=)[^>]*>/);
    expect(await docs.text()).not.toMatch(/<script>|<script(?![^>]*\ssrc=)[^>]*>/);
  });

  it('renders every dashboard page and the API reference with no violation', async () => {
    const admin = client(
      { fetch: (path, init) => fetch(server.baseUrl + path, init) },
      TEST_ADMIN_KEY,
    );
    const job = await admin.job('Under policy', { schedule: '*/5 * * * *' });
    const runs = [];
    for (const [status, ms] of [
      ['SUCCESS', 1200],
      ['FAILED', 3400],
      ['SUCCESS', 900],
    ] as const) {
      const run = await admin.run(job.id, { status: 'RUNNING' });
      await admin.patch(`/api/runs/${run.id}`, {
        status,
        finishedAt: new Date(Date.parse(run.startedAt as string) + ms).toISOString(),
      });
      runs.push(run.id);
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const violations = await watchCspViolations(context);
    const page = await context.newPage();
    const base = server.baseUrl;
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill(TEST_ADMIN_KEY);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('article', { name: 'Under policy' }).waitFor();
    // The theme script (a file now) still runs before the first paint.
    await page.evaluate(() => localStorage.setItem('chronotrack.theme', 'dark'));
    await page.goto(`${base}/jobs/${job.id}`);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.locator('.run-list tbody tr').first().waitFor();
    await page.locator('.uplot, canvas').first().waitFor();
    await page.goto(`${base}/runs`);
    await page.locator('tbody tr').first().waitFor();
    await page.goto(`${base}/runs/${runs[1]}`);
    await page.getByText('This run is finished').waitFor();
    await page.goto(`${base}/api/docs`);
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    // Authorize with the key, then try GET /api/me from the page.
    await page.locator('button.authorize').first().click();
    await page
      .locator('.modal-ux input[type=text], .modal-ux input[type=password]')
      .first()
      .fill(TEST_ADMIN_KEY);
    await page.locator('.modal-ux button.authorize').first().click();
    await page.locator('.modal-ux button.btn-done, .modal-ux .close-modal').first().click();
    const me = page.locator('.opblock', { has: page.locator('[data-path="/me"]') }).first();
    await me.locator('.opblock-summary').click();
    await me.getByRole('button', { name: 'Try it out' }).click();
    await me.getByRole('button', { name: 'Execute' }).click();
    await me.locator('.live-responses-table tbody .response-col_status').first().waitFor();
    expect(
      await me.locator('.live-responses-table tbody .response-col_status').first().textContent(),
    ).toContain('200');
    expect(violations()).toEqual([]);
    await context.close();
  });
});
