import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startNodeServer } from './test-support/node-process.js';

/** GET /docs in a real browser: Swagger UI loads from this server and renders every operation. */
describe('GET /docs in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronotrack-docs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders the API reference with every operation, with no request leaving this server', async () => {
    const server = await startNodeServer({
      DATABASE_FILE: join(dir, 'docs.db'),
    });
    const base = server.baseUrl;
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
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
    try {
      const page = await browser.newPage();
      const foreign: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(base)) foreign.push(request.url());
      });
      const response = await page.goto(`${base}/docs`);
      expect(response?.status()).toBe(200);
      await page.waitForSelector('.opblock', { timeout: 20_000 });
      const operations = await page.$$eval('.opblock-summary-path', (nodes) =>
        nodes.map((n) => n.getAttribute('data-path')),
      );
      expect(operations).toEqual(
        expect.arrayContaining([
          '/api/jobs',
          '/api/jobs/{id}',
          '/api/jobs/{id}/runs',
          '/api/jobs/{id}/stats',
          '/api/runs',
          '/api/runs/{runId}',
          '/health',
        ]),
      );
      expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(11);
      expect(await page.textContent('.info .title')).toContain('ChronoTrack API');
      await page.screenshot({ path: join(dir, 'docs.png'), fullPage: false });
      expect(foreign).toEqual([]);
    } finally {
      await browser.close();
      server.child.kill('SIGTERM');
    }
  }, 90_000);
});
