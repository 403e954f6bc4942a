import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/support/chromium.js';
import { TEST_ADMIN_KEY } from '../../../test/support/keys.js';
import { startNodeServer } from '../../../test/support/node-process.js';

/** GET /api/docs in a real browser: Swagger UI loads from this server and renders every operation. */
describe('GET /api/docs in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-docs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders the API reference with every operation, with no request leaving this server', async () => {
    const server = await startNodeServer({
      DATABASE_FILE: join(dir, 'docs.db'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
    });
    const base = server.baseUrl;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const foreign: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(base)) foreign.push(request.url());
      });
      const response = await page.goto(`${base}/api/docs`);
      expect(response?.status()).toBe(200);
      await page.waitForSelector('.opblock', { timeout: 20_000 });
      const operations = await page.$$eval('.opblock-summary-path', (nodes) =>
        nodes.map((n) => n.getAttribute('data-path')),
      );
      expect(operations).toEqual(
        expect.arrayContaining([
          // Relative to the document's server, /api.
          '/jobs',
          '/jobs/{id}',
          '/jobs/{id}/runs',
          '/jobs/{id}/stats',
          '/runs',
          '/runs/{runId}',
          '/keys',
          '/keys/{id}',
          '/projects',
          '/health',
        ]),
      );
      expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(16);
      // Keys are declared: Swagger UI offers its Authorize button.
      expect(await page.locator('button.authorize').count()).toBeGreaterThan(0);
      expect(await page.textContent('.info .title')).toContain('ChronoTrack API');
      await page.screenshot({
        path: process.env.DOCS_SCREENSHOT ?? join(dir, 'docs.png'),
        fullPage: false,
      });
      expect(foreign).toEqual([]);
    } finally {
      await browser.close();
      server.child.kill('SIGTERM');
    }
  }, 90_000);
});
